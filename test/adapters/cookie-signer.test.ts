import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { CookieSigner } from '../../adapters/http/cookie-signer.js';

/** What keygrip (koa's default) produces: HMAC-SHA1 in base64 with / + = made URL-safe. */
const keygripSign = (data: string, key: string) =>
  createHmac('sha1', key)
    .update(data)
    .digest('base64')
    .replace(/\/|\+|=/g, (c) => ({ '/': '_', '+': '-', '=': '' })[c]!);

describe('CookieSigner', () => {
  const data = 'sid=abc123';

  it('signs as keygrip does, with the first key', () => {
    expect(new CookieSigner(['new', 'old']).sign(data)).to.equal(keygripSign(data, 'new'));
  });

  it('names the key that made a signature, and refuses altered, truncated or foreign ones', () => {
    const signer = new CookieSigner(['new', 'old']);
    expect(signer.index(data, keygripSign(data, 'new'))).to.equal(0);
    expect(signer.index(data, keygripSign(data, 'old'))).to.equal(1);
    expect(signer.verify(data, keygripSign(data, 'old'))).to.equal(true);
    const good = keygripSign(data, 'new');
    const altered = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
    for (const digest of [altered, good.slice(0, -1), `${good}x`, '', keygripSign(data, 'other'), keygripSign('sid=abc124', 'new')]) {
      expect(signer.index(data, digest), digest).to.equal(-1);
      expect(signer.verify(data, digest)).to.equal(false);
    }
  });
});
