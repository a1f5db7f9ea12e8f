import { expect } from 'chai';
import sinon from 'sinon';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { InMemoryUsedStateStore } from '../../adapters/in-memory/in-memory-used-state-store.js';
import { InMemoryUserRepository } from '../../adapters/in-memory/in-memory-user-repository.js';
import { errors } from '../../core/shared/index.js';
import { codeOf } from '../support/rejection.js';
import {
  pkceChallenge,
  safeNextPath,
  STATE_TTL_MS,
  type KakaoUnlinker,
  type OAuthProvider,
  CompleteSignIn,
  StartSignIn,
  UpsertOAuthUser,
  UnlinkKakao,
} from '../../core/identity/index.js';
const NOW = new Date('2026-11-26T03:00:00Z');

function stubProvider(configured = true) {
  return {
    configured,
    authorizationUrl: sinon.spy(
      ({ state, codeChallenge }: { state: string; codeChallenge: string }) =>
        `https://p.example/authorize?state=${state}&cc=${codeChallenge}`,
    ),
    identify: sinon.stub().resolves({
      provider: 'kakao',
      providerUserId: '1234567890123456789',
      nickname: ' 카카오 ',
      profileImage: 'https://img.example/a.png',
    }),
  } satisfies OAuthProvider;
}

describe('sign-in use cases', () => {
  let clock: FixedClock;
  let users: InMemoryUserRepository;
  let kakao: ReturnType<typeof stubProvider>;
  let start: StartSignIn;
  let complete: CompleteSignIn;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    users = new InMemoryUserRepository();
    kakao = stubProvider();
    const providers = { kakao, google: stubProvider(false) };
    start = new StartSignIn(providers, clock);
    complete = new CompleteSignIn(providers, new UpsertOAuthUser(users), new InMemoryUsedStateStore(), clock);
  });

  describe('StartSignIn', () => {
    it('makes a fresh random state and a PKCE S256 challenge of the kept verifier', () => {
      const a = start.execute({ provider: 'kakao', next: '/mypage' });
      const b = start.execute({ provider: 'kakao' });
      expect(a.pending.state).to.have.length(43).and.not.equal(b.pending.state);
      expect(a.pending.codeVerifier).to.have.length(43).and.not.equal(a.pending.state);
      const sent = kakao.authorizationUrl.firstCall.args[0];
      expect(sent).to.deep.equal({ state: a.pending.state, codeChallenge: pkceChallenge(a.pending.codeVerifier) });
      expect(a.pending).to.include({ provider: 'kakao', next: '/mypage', expiresAt: NOW.getTime() + STATE_TTL_MS });
      expect(b.pending.next).to.equal('/');
    });

    it('is provider_not_configured without keys', async () => {
      expect(await codeOf(Promise.resolve().then(() => start.execute({ provider: 'google' })))).to.equal('provider_not_configured');
    });
  });

  describe('safeNextPath', () => {
    it('keeps relative paths starting with a single slash', () => {
      expect(safeNextPath('/mypage?tab=1#top')).to.equal('/mypage?tab=1#top');
    });
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'mypage', '/a\nb', '/a\\b', '', undefined]) {
      it(`refuses ${JSON.stringify(bad)}`, () => expect(safeNextPath(bad)).to.equal('/'));
    }
  });

  describe('CompleteSignIn', () => {
    const begin = () => start.execute({ provider: 'kakao', next: '/welcome' }).pending;

    it('exchanges the code with the kept verifier and upserts the user', async () => {
      const pending = begin();
      const { user, next } = await complete.execute({ provider: 'kakao', pending, query: { code: 'c1', state: pending.state } });
      expect(kakao.identify.calledOnceWithExactly('c1', pending.codeVerifier)).to.equal(true);
      expect(next).to.equal('/welcome');
      expect(user).to.include({ providerUserId: '1234567890123456789', nickname: '카카오', profileImage: 'https://img.example/a.png' });
      expect(await users.findById(user.id)).to.deep.equal(user);
    });

    it('refreshes nickname and image at each sign-in, keeping one user', async () => {
      const first = begin();
      const one = await complete.execute({ provider: 'kakao', pending: first, query: { code: 'c', state: first.state } });
      kakao.identify.resolves({
        provider: 'kakao',
        providerUserId: '1234567890123456789',
        nickname: '새이름',
        profileImage: 'javascript:alert(1)',
      });
      const second = begin();
      const two = await complete.execute({ provider: 'kakao', pending: second, query: { code: 'c', state: second.state } });
      expect(two.user.id).to.equal(one.user.id);
      expect(two.user).to.include({ nickname: '새이름', profileImage: null });
    });

    it('is state_mismatch for a missing, wrong, foreign-provider or expired state, before any exchange', async () => {
      const pending = begin();
      expect(
        await codeOf(complete.execute({ provider: 'kakao', pending: undefined, query: { code: 'c', state: pending.state } })),
      ).to.equal('state_mismatch');
      expect(
        await codeOf(
          complete.execute({
            provider: 'kakao',
            pending,
            query: { code: 'c', state: (pending.state[0] === 'x' ? 'y' : 'x') + pending.state.slice(1) },
          }),
        ),
      ).to.equal('state_mismatch');
      expect(await codeOf(complete.execute({ provider: 'kakao', pending, query: { code: 'c' } }))).to.equal('state_mismatch');
      expect(await codeOf(complete.execute({ provider: 'google', pending, query: { code: 'c', state: pending.state } }))).to.equal(
        'state_mismatch',
      );
      clock.advance(STATE_TTL_MS);
      expect(await codeOf(complete.execute({ provider: 'kakao', pending, query: { code: 'c', state: pending.state } }))).to.equal(
        'state_mismatch',
      );
      expect(kakao.identify.called).to.equal(false);
    });

    it('accepts a state once: the same pending sign-in and state again is state_mismatch, with no second exchange', async () => {
      const pending = begin();
      await complete.execute({ provider: 'kakao', pending, query: { code: 'c1', state: pending.state } });
      expect(await codeOf(complete.execute({ provider: 'kakao', pending, query: { code: 'c1', state: pending.state } }))).to.equal(
        'state_mismatch',
      );
      expect(kakao.identify.callCount).to.equal(1);
    });

    it('is access_denied when the user cancelled, provider_error for other provider errors', async () => {
      const failure = (query: { error?: string }) => {
        const pending = begin();
        return codeOf(complete.execute({ provider: 'kakao', pending, query: { ...query, state: pending.state } }));
      };
      expect(await failure({ error: 'access_denied' })).to.equal('access_denied');
      expect(await failure({ error: 'server_error' })).to.equal('provider_error');
      expect(await failure({})).to.equal('provider_error');
      expect(kakao.identify.called).to.equal(false);
    });

    it('passes on the provider failure and writes no user', async () => {
      kakao.identify.rejects(errors.providerError());
      const pending = begin();
      expect(await codeOf(complete.execute({ provider: 'kakao', pending, query: { code: 'c', state: pending.state } }))).to.equal(
        'provider_error',
      );
      expect(await users.findById(1)).to.equal(null);
    });
  });

  describe('UnlinkKakao', () => {
    const unlinker = (configured = true) => ({ configured, unlink: sinon.stub().resolves() }) satisfies KakaoUnlinker;

    it('unlinks the Kakao id of the user', async () => {
      const user = await users.upsertIdentity({
        provider: 'kakao',
        providerUserId: '1234567890123456789',
        nickname: null,
        profileImage: null,
      });
      const kakaoAdmin = unlinker();
      await new UnlinkKakao(users, kakaoAdmin).execute(user.id);
      expect(kakaoAdmin.unlink.calledOnceWithExactly('1234567890123456789')).to.equal(true);
    });

    it('is kakao_admin_key_missing without the admin key, not_kakao_user for a Google user', async () => {
      const kakaoUser = await users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null });
      const googleUser = await users.upsertIdentity({ provider: 'google', providerUserId: 'g', nickname: null, profileImage: null });
      const missing = unlinker(false);
      expect(await codeOf(new UnlinkKakao(users, missing).execute(kakaoUser.id))).to.equal('kakao_admin_key_missing');
      expect(await codeOf(new UnlinkKakao(users, unlinker()).execute(googleUser.id))).to.equal('not_kakao_user');
      expect(missing.unlink.called).to.equal(false);
    });
  });
});
