import { expect } from 'chai';
import { FakeKakaoUnlinker, FakeOAuthProvider } from '../../adapters/mock-providers/fake-oauth-provider.js';
import { pkceChallenge, randomToken } from '../../core/identity/index.js';
import { rejection } from '../support/rejection.js';

const CALLBACK = 'http://localhost:8000/auth/kakao/callback';

function start(provider: FakeOAuthProvider, state = 'state-1') {
  const verifier = randomToken();
  const url = new URL(provider.authorizationUrl({ state, codeChallenge: pkceChallenge(verifier) }));
  return { url, verifier, code: url.searchParams.get('code')! };
}

describe('FakeOAuthProvider (MOCK_PROVIDERS)', () => {
  it('sends the browser straight to our callback with a fresh code and the state', () => {
    const provider = new FakeOAuthProvider('kakao', CALLBACK);
    expect(provider.configured).to.equal(true);
    const first = start(provider, 'the-state');
    expect(first.url.origin + first.url.pathname).to.equal(CALLBACK);
    expect([...first.url.searchParams.keys()]).to.deep.equal(['code', 'state']);
    expect(first.url.searchParams.get('state')).to.equal('the-state');
    expect(first.code).to.have.length.greaterThan(20);
    expect(start(provider).code).to.not.equal(first.code);
  });

  it('appends to a callback URL that already has a query', () => {
    const url = new URL(new FakeOAuthProvider('google', `${CALLBACK}?x=1`).authorizationUrl({ state: 's', codeChallenge: 'c' }));
    expect(url.searchParams.get('x')).to.equal('1');
    expect(url.searchParams.get('state')).to.equal('s');
  });

  it('identifies the Kakao demo user with a 19-digit string id', async () => {
    const provider = new FakeOAuthProvider('kakao', CALLBACK);
    const { code, verifier } = start(provider);
    expect(await provider.identify(code, verifier)).to.deep.equal({
      provider: 'kakao',
      providerUserId: '1000000000000000001',
      nickname: '데모 사용자',
      profileImage: null,
    });
  });

  it('identifies the Google demo user', async () => {
    const provider = new FakeOAuthProvider('google', CALLBACK);
    const { code, verifier } = start(provider);
    expect(await provider.identify(code, verifier)).to.deep.equal({
      provider: 'google',
      providerUserId: 'demo-google-user',
      nickname: 'Demo User',
      profileImage: null,
    });
  });

  it('a code works once', async () => {
    const provider = new FakeOAuthProvider('kakao', CALLBACK);
    const { code, verifier } = start(provider);
    await provider.identify(code, verifier);
    const error = await rejection(provider.identify(code, verifier));
    expect(error).to.include({ kind: 'upstream', code: 'provider_error' });
  });

  it('checks the PKCE verifier against the challenge (S256), and a failed try uses the code up', async () => {
    const provider = new FakeOAuthProvider('kakao', CALLBACK);
    const { code, verifier } = start(provider);
    expect((await rejection(provider.identify(code, randomToken()))).code).to.equal('provider_error');
    expect((await rejection(provider.identify(code, verifier))).code).to.equal('provider_error');
  });

  it('refuses a code it never gave out', async () => {
    const error = await rejection(new FakeOAuthProvider('google', CALLBACK).identify('made-up', randomToken()));
    expect(error.code).to.equal('provider_error');
  });

  it('forgets the oldest unused codes past 1000', async () => {
    const provider = new FakeOAuthProvider('kakao', CALLBACK);
    const oldest = start(provider);
    for (let i = 0; i < 1000; i++) start(provider);
    const newest = start(provider);
    expect((await rejection(provider.identify(oldest.code, oldest.verifier))).code).to.equal('provider_error');
    expect((await provider.identify(newest.code, newest.verifier)).provider).to.equal('kakao');
  });
});

describe('FakeKakaoUnlinker', () => {
  it('is configured and records the ids it unlinks', async () => {
    const unlinker = new FakeKakaoUnlinker();
    expect(unlinker.configured).to.equal(true);
    await unlinker.unlink('1000000000000000001');
    expect(unlinker.unlinked).to.deep.equal(['1000000000000000001']);
  });
});
