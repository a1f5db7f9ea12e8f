import type { SealedToken } from './instagram-token-store.js';

/**
 * Authenticated encryption of tokens at rest. `associatedData` binds a ciphertext to its row:
 * opening it with other associated data fails.
 */
export interface TokenCipher {
  seal(plaintext: string, associatedData: string): SealedToken;
  /** Throws when the key id is unknown or the ciphertext, tag or associated data do not match. */
  open(sealed: SealedToken, associatedData: string): string;
}
