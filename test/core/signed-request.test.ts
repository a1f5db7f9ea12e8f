import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { DomainError } from '../../core/shared/index.js';
import { verifySignedRequest } from '../../core/your-data/index.js';
import { metaNoticePayload, metaSignedRequest } from '../support/meta-signed-request.js';

const SECRET = 'the-meta-app-secret';
const ISSUED = new Date('2026-11-29T01:02:03Z');

function refused(signedRequest: string, secret = SECRET): void {
  let thrown: unknown;
  try {
    verifySignedRequest(signedRequest, secret);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, signedRequest).to.be.instanceOf(DomainError).and.include({ code: 'invalid_signed_request', kind: 'invalid_request' });
}

describe("Meta's signed_request", () => {
  const good = () => metaSignedRequest(metaNoticePayload('1234567890', ISSUED), SECRET);

  it('reads the user and issuing time of a request signed like Meta signs it', () => {
    const request = verifySignedRequest(good(), SECRET);
    expect(request).to.deep.include({ userId: '1234567890', issuedAt: ISSUED });
    expect(request.requestKey).to.match(/^[0-9a-f]{64}$/);
  });

  it('reads the sample signed_request of a public implementation (key "key")', () => {
    const sample =
      'Mf_s6nTb38UYqioBmPqu0Ewm9souPZB9I2fIGwV729U.eyJ1c2VyX2lkIjoiMCIsImFsZ29yaXRobSI6IkhNQUMtU0hBMjU2IiwiaXNzdWVkX2F0IjoxNjI0MjQ0MTU2fQ';
    expect(verifySignedRequest(sample, 'key')).to.deep.include({ userId: '0', issuedAt: new Date(1624244156 * 1000) });
  });

  it('tolerates the base64 pad some senders add to the signature, and gives the same request the same key', () => {
    const [signature, payload] = good().split('.');
    expect(signature).to.have.length(43);
    expect(verifySignedRequest(`${signature}=.${payload}`, SECRET).requestKey).to.equal(verifySignedRequest(good(), SECRET).requestKey);
  });

  it('refuses another key: another app, or a wrong secret', () => {
    refused(good(), 'another-apps-secret');
    refused(metaSignedRequest(metaNoticePayload('1234567890'), 'another-apps-secret'));
  });

  it('refuses a tampered payload or signature', () => {
    const [signature, payload] = good().split('.');
    const forged = Buffer.from(JSON.stringify(metaNoticePayload('999', ISSUED))).toString('base64url');
    refused(`${signature}.${forged}`);
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] ^= 1;
    refused(`${flipped.toString('base64url')}.${payload}`);
    refused(`${signature.slice(0, -4)}.${payload}`);
  });

  it('refuses an algorithm other than HMAC-SHA256, even correctly signed', () => {
    for (const algorithm of ['HMAC-SHA1', 'hmac-sha256', 'none', undefined]) {
      refused(metaSignedRequest({ ...metaNoticePayload('1'), algorithm }, SECRET));
    }
  });

  it('refuses malformed requests: no dot, more dots, bad base64, not JSON, not an object', () => {
    const [signature, payload] = good().split('.');
    const sign = (encoded: string) => `${createHmac('sha256', SECRET).update(encoded).digest('base64url')}.${encoded}`;
    for (const bad of [
      '',
      '.',
      signature,
      `${signature}${payload}`,
      `${signature}.${payload}.x`,
      `.${payload}`,
      `${signature}.`,
      `${signature}.${payload}*`,
      `${signature}+.${payload}`,
      `${signature}.a b`,
      sign(Buffer.from('not json').toString('base64url')),
      sign(Buffer.from('[1,2]').toString('base64url')),
      sign(Buffer.from('null').toString('base64url')),
    ]) {
      refused(bad);
    }
  });

  it('refuses a signed payload without a numeric-string user_id or an integer issued_at', () => {
    for (const change of [
      { user_id: 1234 },
      { user_id: '' },
      { user_id: '12a' },
      { user_id: undefined },
      { issued_at: '1700000000' },
      { issued_at: 1.5 },
      { issued_at: -1 },
      { issued_at: undefined },
    ]) {
      refused(metaSignedRequest({ ...metaNoticePayload('1234'), ...change }, SECRET));
    }
  });
});
