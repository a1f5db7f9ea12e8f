export type Provider = 'kakao' | 'google';
/** One of the genders the contract accepts; which words those are is the edge's, handed to UpdateProfile. */
export type Gender = string;

export interface User {
  id: number;
  provider: Provider;
  providerUserId: string;
  nickname: string | null;
  profileImage: string | null;
  /** YYYY-MM-DD */
  birthday: string | null;
  gender: Gender | null;
}

export interface Profile {
  birthday: string;
  gender: Gender;
}

/** A user must still give birthday and gender before using the app. */
export function needsConsent(user: User): boolean {
  return user.birthday === null || user.gender === null;
}
