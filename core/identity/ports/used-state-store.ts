/**
 * The OAuth states whose callback has run, kept until they expire: a callback replayed with the same
 * state (and the same sign-in cookie) is refused by every instance. Contract:
 * test/contracts/used-state-store.contract.ts.
 */
export interface UsedStateStore {
  /** Records `state` as used until `expiresAt`; false, changing nothing, when it already was (atomic). */
  markUsed(state: string, expiresAt: Date): Promise<boolean>;
  /** Deletes every record expired at `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
