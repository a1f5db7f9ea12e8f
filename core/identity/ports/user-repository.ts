import type { Profile, Provider, User } from '../user.js';

export interface OAuthIdentity {
  provider: Provider;
  /** Provider ids are strings: Kakao's reach 19 digits. */
  providerUserId: string;
  nickname: string | null;
  profileImage: string | null;
}

/**
 * Users, one per (provider, providerUserId).
 * Contract: test/contracts/user-repository.contract.ts.
 */
export interface UserRepository {
  findById(id: number): Promise<User | null>;
  /** The user signed in with this provider id, if any. */
  findByIdentity(provider: Provider, providerUserId: string): Promise<User | null>;
  /**
   * Creates the user or refreshes nickname and image of the existing one, and returns it.
   * Safe under concurrency: parallel calls for one identity leave one row.
   */
  upsertIdentity(identity: OAuthIdentity): Promise<User>;
  /** Sets birthday and gender; false when no such user exists. */
  updateProfile(id: number, profile: Profile): Promise<boolean>;
  /** Deletes the user row (their other rows go first: see UserDataStore); false when there was none. */
  delete(id: number): Promise<boolean>;
}
