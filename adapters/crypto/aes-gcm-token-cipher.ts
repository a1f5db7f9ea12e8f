import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SealedToken, TokenCipher } from '../../core/instagram/index.js';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** Passed to createDecipheriv too: without it Node 20 accepts a tag cut down to 4 bytes. */
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh random 12-byte IV per seal and a 16-byte tag; the associated data (the row's
 * user id + persona num) is authenticated, not stored. `previousKeys` still open what they sealed (key
 * rotation: seal with the new key, keep the old one here until every row has been re-sealed).
 */
export class AesGcmTokenCipher implements TokenCipher {
  private readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(key: Buffer, previousKeys: Buffer[] = []) {
    for (const candidate of [key, ...previousKeys]) {
      if (candidate.length !== KEY_BYTES) throw new Error(`A token encryption key must be ${KEY_BYTES} bytes.`);
      if (!this.keys.has(keyIdOf(candidate))) this.keys.set(keyIdOf(candidate), Buffer.from(candidate));
    }
    this.keyId = keyIdOf(key);
  }

  seal(plaintext: string, associatedData: string): SealedToken {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      ciphertext: ciphertext.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      keyId: this.keyId,
    };
  }

  open(sealed: SealedToken, associatedData: string): string {
    try {
      const key = this.keys.get(sealed.keyId);
      const ciphertext = strictBase64(sealed.ciphertext);
      const iv = strictBase64(sealed.iv);
      const tag = strictBase64(sealed.tag);
      if (!key || !ciphertext || iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES) throw new Error();
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // One message for every cause: which check failed is of use to an attacker, not to the caller.
      throw new Error('token could not be opened');
    }
  }
}

/** The first 16 hex digits of sha256('selfstar-token-key:' ‖ key): names the key without revealing it. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('selfstar-token-key:', 'utf8').update(key).digest('hex').slice(0, 16);
}

/** Node's base64 decoder skips junk: accept only the canonical encoding it would itself produce. */
function strictBase64(value: unknown): Buffer | null {
  if (typeof value !== 'string') return null;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : null;
}
