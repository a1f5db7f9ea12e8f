export type Provider = 'kakao' | 'google';
export const GENDERS = ['남성', '여성'] as const;
export type Gender = (typeof GENDERS)[number];

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
