import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { AesGcmTokenCipher } from '../../adapters/crypto/aes-gcm-token-cipher.js';
import type { SealedToken } from '../../core/instagram/index.js';

const AD = 'user:7/persona:2';
const TOKEN = 'EAAGm0PX4ZCpsBAKZC6yqZBkZCzZAm5ZBZC1ZAexample';

/** `value` (base64) with one bit of its byte `index` flipped. */
function flip(value: string, index = 0): string {
  const bytes = Buffer.from(value, 'base64');
  bytes[index] ^= 0x01;
  return bytes.toString('base64');
}

describe('AesGcmTokenCipher', () => {
  const key = randomBytes(32);
  const cipher = new AesGcmTokenCipher(key);

  const opens = (sealed: SealedToken, ad = AD, by = cipher): boolean => {
    try {
      by.open(sealed, ad);
      return true;
    } catch (error) {
      expect((error as Error).message).to.equal('token could not be opened');
      return false;
    }
  };

  it('round-trips tokens, Korean text and the empty string', () => {
    for (const plaintext of [TOKEN, '셀프스타 토큰 🔑', '', 'x'.repeat(4096)]) {
      expect(cipher.open(cipher.seal(plaintext, AD), AD)).to.equal(plaintext);
    }
  });

  it('stores base64 ciphertext, a 12-byte IV and a 16-byte tag, without the plaintext', () => {
    const sealed = cipher.seal(TOKEN, AD);
    expect(Object.keys(sealed).sort()).to.deep.equal(['ciphertext', 'iv', 'keyId', 'tag']);
    expect(Buffer.from(sealed.iv, 'base64')).to.have.length(12);
    expect(Buffer.from(sealed.tag, 'base64')).to.have.length(16);
    expect(Buffer.from(sealed.ciphertext, 'base64')).to.have.length(Buffer.byteLength(TOKEN));
    const stored = JSON.stringify(sealed);
    expect(stored).to.not.include(TOKEN).and.not.include(TOKEN.slice(0, 12));
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).to.not.include(TOKEN.slice(0, 8));
  });

  it('uses a fresh IV each time, so the same token seals differently', () => {
    const seals = Array.from({ length: 20 }, () => cipher.seal(TOKEN, AD));
    expect(new Set(seals.map((s) => s.iv)).size).to.equal(20);
    expect(new Set(seals.map((s) => s.ciphertext)).size).to.equal(20);
  });

  it('fails with other associated data (another row)', () => {
    const sealed = cipher.seal(TOKEN, AD);
    expect(opens(sealed, 'user:7/persona:3')).to.equal(false);
    expect(opens(sealed, '')).to.equal(false);
    expect(opens(sealed)).to.equal(true);
  });

  it('fails when the ciphertext, the tag or the IV is tampered with', () => {
    const sealed = cipher.seal(TOKEN, AD);
    expect(opens({ ...sealed, ciphertext: flip(sealed.ciphertext, 3) })).to.equal(false);
    expect(opens({ ...sealed, tag: flip(sealed.tag, 15) })).to.equal(false);
    expect(opens({ ...sealed, iv: flip(sealed.iv, 11) })).to.equal(false);
    expect(opens({ ...sealed, ciphertext: `${sealed.ciphertext}AAAA` })).to.equal(false);
    expect(opens({ ...sealed, ciphertext: `${sealed.ciphertext}!!` }), 'junk Node would skip').to.equal(false);
    expect(opens({ ...sealed, iv: Buffer.from(sealed.iv, 'base64').subarray(0, 8).toString('base64') })).to.equal(false);
  });

  it('refuses a tag cut down to 4 bytes (which Node 20 otherwise accepts)', () => {
    const sealed = cipher.seal(TOKEN, AD);
    const short = Buffer.from(sealed.tag, 'base64').subarray(0, 4).toString('base64');
    expect(opens({ ...sealed, tag: short })).to.equal(false);
    expect(opens({ ...sealed, tag: '' })).to.equal(false);
  });

  it('rotation: opens what an old key sealed while it is among previousKeys, and not after', () => {
    const oldKey = randomBytes(32);
    const sealedOld = new AesGcmTokenCipher(oldKey).seal(TOKEN, AD);
    const rotated = new AesGcmTokenCipher(key, [oldKey]);
    expect(rotated.open(sealedOld, AD)).to.equal(TOKEN);
    const sealedNew = rotated.seal(TOKEN, AD);
    expect(sealedNew.keyId).to.equal(cipher.seal(TOKEN, AD).keyId).and.not.equal(sealedOld.keyId);
    expect(cipher.open(sealedNew, AD)).to.equal(TOKEN);
    expect(opens(sealedOld, AD, cipher)).to.equal(false);
    expect(opens({ ...sealedNew, keyId: 'ffffffffffffffff' }, AD, rotated)).to.equal(false);
  });

  it('a key id is stable, 16 hex digits, and reveals nothing of the key', () => {
    const id = cipher.seal(TOKEN, AD).keyId;
    expect(id).to.match(/^[0-9a-f]{16}$/);
    expect(new AesGcmTokenCipher(Buffer.from(key)).seal('other', 'ad').keyId).to.equal(id);
    expect(new AesGcmTokenCipher(randomBytes(32)).seal(TOKEN, AD).keyId).to.not.equal(id);
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      expect(key.toString(encoding)).to.not.include(id);
      expect(key.toString(encoding).slice(0, 16)).to.not.equal(id);
    }
  });

  it('refuses keys that are not 32 bytes, current or previous', () => {
    expect(() => new AesGcmTokenCipher(randomBytes(16))).to.throw(/32 bytes/);
    expect(() => new AesGcmTokenCipher(randomBytes(33))).to.throw(/32 bytes/);
    expect(() => new AesGcmTokenCipher(key, [randomBytes(31)])).to.throw(/32 bytes/);
  });

  it('keeps its own copy of the key', () => {
    const mutable = randomBytes(32);
    const own = new AesGcmTokenCipher(mutable);
    const sealed = own.seal(TOKEN, AD);
    mutable.fill(0);
    expect(own.open(sealed, AD)).to.equal(TOKEN);
  });
});
