import type { MediaReferences, UserDataStore } from '../../shared/index.js';
import type { InstagramLink, InstagramLogin, Persona, PersonaRef } from '../persona.js';

/**
 * Personas, each owned by one user, with a per-user `num`.
 * Contract: test/contracts/persona-repository.contract.ts.
 */
export interface PersonaRepository extends UserDataStore, MediaReferences {
  /**
   * Creates the user's next persona: num = 1 + the user's highest. Parallel creates by one user
   * get distinct consecutive nums (unique key on user + num, retried on collision).
   */
  create(userId: number, name: string, parameters: Record<string, unknown>): Promise<Persona>;
  /** Every persona linked to an Instagram account, of every user, ordered by id (the daily token check). */
  listLinked(): Promise<Persona[]>;
  /** The user's personas ordered by num. */
  listByUser(userId: number): Promise<Persona[]>;
  /** The persona when it exists and belongs to `userId`; null otherwise (never another user's). */
  findOwned(userId: number, ref: PersonaRef): Promise<Persona | null>;
  /** One statement; false when the persona is not the user's. */
  setImageUrl(userId: number, personaId: number, imageUrl: string): Promise<boolean>;
  /**
   * Stores the link in the columns and under `parameters.instagram` (other parameters untouched),
   * atomically. Throws errors.igAccountAlreadyLinked() when another persona
   * has this igUserId. False when the persona is not the user's. Times are stored to the whole
   * second (`linkedAt` reads back as `wholeSecond(link.linkedAt)`).
   */
  linkInstagram(userId: number, personaId: number, link: InstagramLink): Promise<boolean>;
  /**
   * Clears the columns and `parameters.instagram` and deletes the persona's stored token,
   * in one transaction. Idempotent; false when the persona is not the user's.
   */
  unlinkInstagram(userId: number, ref: PersonaRef): Promise<boolean>;
  /**
   * For every persona whose token was issued by `login`'s app (default Facebook Login's) to `metaUserId` and was
   * stored no later than `storedBy`
   * (to the second): clears the link as unlinkInstagram does and deletes the token, in one
   * transaction (joining the caller's). Tokens stored later (the user linked again) are kept. Returns the
   * ids of the personas whose token went, in ascending order (their posts go too: DeauthorizeMetaUser).
   */
  unlinkMetaUser(metaUserId: string, storedBy: Date, login?: InstagramLogin): Promise<number[]>;
}
