import { expect } from 'chai';
import { InMemoryTransactionRunner } from '../../adapters/in-memory/in-memory-transaction-runner.js';
import sinon from 'sinon';
import { AesGcmTokenCipher } from '../../adapters/crypto/aes-gcm-token-cipher.js';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { errors } from '../../core/shared/index.js';
import { codeOf, rejection } from '../support/rejection.js';
import type { Persona } from '../../core/personas/index.js';
import {
  PageTokens,
  pageTokenAssociatedData,
  PersonaTokenReader,
  tokenAssociatedData,
  usableToken,
  type MetaGraph,
  CompleteInstagramLink,
  LinkInstagramPersona,
  ListInstagramAccounts,
  StartInstagramLink,
  UnlinkInstagramPersona,
} from '../../core/instagram/index.js';
import { signState, verifyState } from '../../core/identity/index.js';
const SECRET = 'a-session-secret-of-at-least-32-characters';
const NOW = new Date('2026-11-26T03:00:00Z');
const SCOPES = ['pages_show_list', 'instagram_basic', 'instagram_content_publish'];
const META_USER_ID = '10229876543210';
const ACCOUNTS = [
  { pageId: 'p1', pageName: '페이지', igUserId: '17841400000000001', igUsername: '셀프스타', pageAccessToken: 'PAGE-TOKEN-1' },
  { pageId: 'p2', pageName: 'Page 2', igUserId: '17841400000000002', igUsername: 'selfstar.two', pageAccessToken: 'PAGE-TOKEN-2' },
];

describe('Instagram linking use cases', () => {
  let clock: FixedClock;
  let tokens: InMemoryInstagramTokenStore;
  let personas: InMemoryPersonaRepository;
  let cipher: AesGcmTokenCipher;
  let meta: MetaGraph & {
    configured: boolean;
    exchangeCode: sinon.SinonStub;
    exchangeForLongLived: sinon.SinonStub;
    listAccounts: sinon.SinonStub;
    userId: sinon.SinonStub;
    permissions: sinon.SinonStub;
  };
  let mine: Persona;
  let theirs: Persona;
  let reader: PersonaTokenReader;

  beforeEach(async () => {
    clock = new FixedClock(NOW);
    tokens = new InMemoryInstagramTokenStore();
    personas = new InMemoryPersonaRepository(tokens);
    cipher = new AesGcmTokenCipher(Buffer.alloc(32, 9));
    meta = {
      configured: true,
      dialogUrl: (state: string) => `https://fb.example/dialog?state=${state}`,
      exchangeCode: sinon.stub().resolves({ accessToken: 'SHORT-TOKEN', expiresInSeconds: 3600 }),
      exchangeForLongLived: sinon.stub().resolves({ accessToken: 'LONG-TOKEN', expiresInSeconds: 5_184_000 }),
      listAccounts: sinon.stub().resolves(ACCOUNTS),
      userId: sinon.stub().resolves(META_USER_ID),
      permissions: sinon.stub().resolves(SCOPES.map((name) => ({ name, status: 'granted' }))),
    };
    mine = await personas.create(1, '내 페르소나', { tone: 'warm' });
    theirs = await personas.create(2, '남의 페르소나', {});
    reader = new PersonaTokenReader(tokens, cipher, clock, null);
  });

  const unconfigured = { configured: false, dialogUrl: () => 'https://instagram.example/never' };
  const start = () => new StartInstagramLink(personas, { facebook: meta, instagram: unconfigured }, clock, SECRET);
  const complete = () =>
    new CompleteInstagramLink(personas, tokens, meta, cipher, clock, new InMemoryTransactionRunner(), {
      stateSecrets: [SECRET],
      requiredPermissions: SCOPES,
    });

  describe('StartInstagramLink', () => {
    it('signs a state naming user, persona, the nonce and a 10-minute expiry', async () => {
      const { url, nonce } = await start().execute({ userId: 1, persona: { num: mine.num } });
      const state = new URL(url).searchParams.get('state')!;
      expect(verifyState(state, [SECRET])).to.deep.equal({ u: 1, p: mine.id, n: nonce, e: NOW.getTime() + 600_000 });
      expect(verifyState(state, ['another-secret-another-secret-another'])).to.equal(null);
    });

    it('needs a persona of the caller, and Meta keys', async () => {
      expect(await codeOf(start().execute({ userId: 1 }))).to.equal('persona_required');
      expect(await codeOf(start().execute({ userId: 1, persona: { id: theirs.id } }))).to.equal('persona_not_found');
      meta.configured = false;
      expect(await codeOf(start().execute({ userId: 1, persona: { id: mine.id } }))).to.equal('provider_not_configured');
    });
  });

  describe('CompleteInstagramLink', () => {
    async function begin() {
      const { url, nonce } = await start().execute({ userId: 1, persona: { id: mine.id } });
      return { state: new URL(url).searchParams.get('state')!, nonce };
    }

    it('exchanges code → short → long and stores the long token sealed, with its expiry and Meta user', async () => {
      const { state, nonce } = await begin();
      await complete().execute({ sessionUserId: 1, sessionNonce: nonce, query: { code: 'CODE', state } });
      expect(meta.exchangeCode.calledOnceWithExactly('CODE')).to.equal(true);
      expect(meta.exchangeForLongLived.calledOnceWithExactly('SHORT-TOKEN')).to.equal(true);
      expect(meta.permissions.calledOnceWithExactly('LONG-TOKEN')).to.equal(true);
      expect(meta.userId.calledOnceWithExactly('LONG-TOKEN')).to.equal(true);
      const stored = (await tokens.get(1, mine.num))!;
      expect(stored).to.deep.include({ metaUserId: META_USER_ID, storedAt: NOW });
      expect(JSON.stringify(stored)).to.not.include('LONG-TOKEN');
      expect(stored.expiresAt).to.deep.equal(new Date(NOW.getTime() + 5_184_000_000));
      expect(cipher.open(stored.sealed, tokenAssociatedData(1, mine.num))).to.equal('LONG-TOKEN');
      expect(await reader.read(mine)).to.equal('LONG-TOKEN');
    });

    async function refusal(query: Record<string, string | undefined>, session: { sessionUserId?: number; sessionNonce?: string }) {
      const code = await codeOf(complete().execute({ sessionUserId: session.sessionUserId, sessionNonce: session.sessionNonce, query }));
      expect(await tokens.get(1, mine.num), 'nothing stored').to.equal(null);
      expect(meta.exchangeCode.called, 'no exchange').to.equal(false);
      return code;
    }

    it('refuses a tampered, expired, replayed or foreign state, storing nothing', async () => {
      const { state, nonce } = await begin();
      const [body, mac] = state.split('.');
      const forged = Buffer.from(JSON.stringify({ ...verifyState(state, [SECRET]), p: theirs.id })).toString('base64url');
      expect(await refusal({ code: 'C', state: `${forged}.${mac}` }, { sessionUserId: 1, sessionNonce: nonce })).to.equal('state_invalid');
      expect(
        await refusal(
          { code: 'C', state: `${body}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}` },
          { sessionUserId: 1, sessionNonce: nonce },
        ),
      ).to.equal('state_invalid');
      expect(await refusal({ code: 'C', state: undefined }, { sessionUserId: 1, sessionNonce: nonce })).to.equal('state_invalid');
      expect(await refusal({ code: 'C', state }, { sessionUserId: 1, sessionNonce: undefined }), 'replayed').to.equal('state_used');
      expect(await refusal({ code: 'C', state }, { sessionUserId: 2, sessionNonce: nonce }), 'another user').to.equal(
        'state_user_mismatch',
      );
      expect(await refusal({ code: 'C', state }, { sessionUserId: undefined, sessionNonce: nonce }), 'signed out').to.equal(
        'state_user_mismatch',
      );
      clock.advance(600_000);
      expect(await refusal({ code: 'C', state }, { sessionUserId: 1, sessionNonce: nonce })).to.equal('state_expired');
    });

    it('after a rotation, accepts a state signed with a previous secret and refuses one signed with any other', async () => {
      const rotated = new CompleteInstagramLink(personas, tokens, meta, cipher, clock, new InMemoryTransactionRunner(), {
        stateSecrets: ['a-new-secret-of-at-least-32-characters!', SECRET],
        requiredPermissions: SCOPES,
      });
      const stranger = signState({ u: 1, p: mine.id, n: 'nonce', e: NOW.getTime() + 1000 }, 'neither-current-nor-previous-secret-xx');
      expect(await codeOf(rotated.execute({ sessionUserId: 1, sessionNonce: 'nonce', query: { code: 'C', state: stranger } }))).to.equal(
        'state_invalid',
      );
      const { state, nonce } = await begin();
      await rotated.execute({ sessionUserId: 1, sessionNonce: nonce, query: { code: 'CODE', state } });
      expect(await reader.read(mine)).to.equal('LONG-TOKEN');
    });

    it('is access_denied when the user cancelled at Facebook', async () => {
      const { state, nonce } = await begin();
      expect(await refusal({ error: 'access_denied', state }, { sessionUserId: 1, sessionNonce: nonce })).to.equal('access_denied');
    });

    it('is persona_required for a signed state that names no persona', async () => {
      const state = signState({ u: 1, n: 'nonce', e: NOW.getTime() + 1000 }, SECRET);
      expect(await refusal({ code: 'C', state }, { sessionUserId: 1, sessionNonce: 'nonce' })).to.equal('persona_required');
    });

    it('is persona_not_found when the persona is no longer the user’s', async () => {
      const state = signState({ u: 1, p: theirs.id, n: 'nonce', e: NOW.getTime() + 1000 }, SECRET);
      expect(await refusal({ code: 'C', state }, { sessionUserId: 1, sessionNonce: 'nonce' })).to.equal('persona_not_found');
    });

    it('is permission_missing, naming each permission not granted and why, when the user declined some; nothing stored', async () => {
      meta.permissions.resolves([
        { name: 'public_profile', status: 'granted' },
        { name: 'pages_show_list', status: 'granted' },
        { name: 'instagram_basic', status: 'declined' },
      ]);
      const { state, nonce } = await begin();
      const error = await rejection(complete().execute({ sessionUserId: 1, sessionNonce: nonce, query: { code: 'C', state } }));
      expect(error).to.include({ code: 'permission_missing', kind: 'forbidden' });
      expect(error.details).to.deep.equal([
        { permission: 'instagram_basic', message: { key: 'permission_declined' } },
        { permission: 'instagram_content_publish', message: { key: 'permission_not_granted' } },
      ]);
      expect(meta.userId.called).to.equal(false);
      expect(await tokens.get(1, mine.num)).to.equal(null);
    });

    it('an expired permission is missing too', async () => {
      meta.permissions.resolves(SCOPES.map((name) => ({ name, status: name === 'pages_show_list' ? 'expired' : 'granted' })));
      const { state, nonce } = await begin();
      const error = await rejection(complete().execute({ sessionUserId: 1, sessionNonce: nonce, query: { code: 'C', state } }));
      expect(error.details).to.deep.equal([{ permission: 'pages_show_list', message: { key: 'permission_expired' } }]);
    });

    it('stores nothing when Meta fails the exchange', async () => {
      meta.exchangeForLongLived.rejects(errors.upstreamUnavailable());
      const { state, nonce } = await begin();
      expect(await codeOf(complete().execute({ sessionUserId: 1, sessionNonce: nonce, query: { code: 'C', state } }))).to.equal(
        'upstream_unavailable',
      );
      expect(await tokens.get(1, mine.num)).to.equal(null);
    });
  });

  describe('accounts, link and unlink', () => {
    async function storeToken(expiresAt: Date | null = new Date(NOW.getTime() + 1000)) {
      await tokens.save(1, mine.num, {
        sealed: cipher.seal('LONG-TOKEN', tokenAssociatedData(1, mine.num)),
        expiresAt,
        metaUserId: null,
        storedAt: NOW,
      });
    }
    const accounts = (r = reader) => new ListInstagramAccounts(personas, r, meta);
    const pageTokens = () => new PageTokens(tokens, cipher, reader, meta);
    const link = () => new LinkInstagramPersona(personas, reader, meta, clock, pageTokens());
    const linkOf = (igUserId: string) => ({ igUserId, igUsername: null, fbPageId: 'p1', linkedAt: NOW, login: 'facebook' as const });

    it('lists accounts with the persona’s token', async () => {
      await storeToken();
      expect(await accounts().execute({ userId: 1, persona: { num: mine.num } })).to.deep.equal(ACCOUNTS);
      expect(meta.listAccounts.calledOnceWithExactly('LONG-TOKEN')).to.equal(true);
    });

    it('is persona_oauth_required without a token, unless a development token is configured', async () => {
      expect(await codeOf(accounts().execute({ userId: 1, persona: { id: mine.id } }))).to.equal('persona_oauth_required');
      await accounts(new PersonaTokenReader(tokens, cipher, clock, 'DEV-TOKEN')).execute({ userId: 1, persona: { id: mine.id } });
      expect(meta.listAccounts.calledOnceWithExactly('DEV-TOKEN')).to.equal(true);
    });

    it('is persona_oauth_expired past the stored expiry, or when Meta says so', async () => {
      await storeToken(new Date(NOW.getTime() - 1));
      expect(await codeOf(accounts().execute({ userId: 1, persona: { id: mine.id } }))).to.equal('persona_oauth_expired');
      await storeToken();
      meta.listAccounts.rejects(errors.personaOauthExpired());
      expect(await codeOf(accounts().execute({ userId: 1, persona: { id: mine.id } }))).to.equal('persona_oauth_expired');
    });

    it('one rule for a usable token (usableToken): expired or refused by Meta, it is persona_oauth_expired without asking Meta', async () => {
      const later = new Date(NOW.getTime() + 1000);
      expect(usableToken({ expiresAt: later, needsReconnect: false }, NOW)).to.equal(true);
      expect(usableToken({ expiresAt: null }, NOW), 'no expiry, never refused').to.equal(true);
      expect(usableToken({ expiresAt: NOW, needsReconnect: false }, NOW), 'expired at this instant').to.equal(false);
      expect(usableToken({ expiresAt: later, needsReconnect: true }, NOW), 'refused by Meta').to.equal(false);
      await storeToken();
      await tokens.markNeedsReconnect(1, mine.num);
      expect(await codeOf(accounts().execute({ userId: 1, persona: { id: mine.id } }))).to.equal('persona_oauth_expired');
      expect(meta.listAccounts.called).to.equal(false);
      await storeToken(); // linked again: the mark is cleared
      expect(await accounts().execute({ userId: 1, persona: { id: mine.id } })).to.deep.equal(ACCOUNTS);
    });

    it('does not open a token copied to another persona’s row', async () => {
      const other = await personas.create(1, '둘째', {});
      await storeToken();
      await tokens.save(1, other.num, (await tokens.get(1, mine.num))!);
      expect(await codeOf(accounts().execute({ userId: 1, persona: { id: other.id } }))).to.equal('persona_oauth_required');
    });

    it('links an account the token can see, and returns the persona with it', async () => {
      await storeToken();
      const linked = await link().execute({ userId: 1, persona: { id: mine.id }, igUserId: '17841400000000001' });
      expect(linked.instagram).to.deep.equal({
        igUserId: '17841400000000001',
        igUsername: '셀프스타',
        fbPageId: 'p1',
        linkedAt: NOW,
        login: 'facebook',
      });
      expect(linked.parameters).to.include({ tone: 'warm' });
      expect(linked.parameters.instagram).to.include({ ig_user_id: '17841400000000001' });
    });

    it('keeps the Page token of the linked account, sealed and bound to the persona', async () => {
      await storeToken();
      await link().execute({ userId: 1, persona: { id: mine.id }, igUserId: '17841400000000002' });
      const sealed = (await tokens.getPageToken(1, mine.num))!;
      expect(JSON.stringify(sealed)).not.to.include('PAGE-TOKEN');
      expect(cipher.open(sealed, pageTokenAssociatedData(1, mine.num))).to.equal('PAGE-TOKEN-2');
      expect(() => cipher.open(sealed, tokenAssociatedData(1, mine.num))).to.throw();
      meta.listAccounts.resetHistory();
      expect(await pageTokens().read(mine, linkOf('17841400000000002'))).to.equal('PAGE-TOKEN-2');
      expect(meta.listAccounts.called, 'a stored Page token needs no Meta call').to.equal(false);
    });

    it('gets the Page token of a persona linked before it was kept from the user token, once', async () => {
      await storeToken();
      expect(await pageTokens().read(mine, linkOf('17841400000000001'))).to.equal('PAGE-TOKEN-1');
      expect(meta.listAccounts.calledOnceWithExactly('LONG-TOKEN')).to.equal(true);
      expect(await pageTokens().read(mine, linkOf('17841400000000001'))).to.equal('PAGE-TOKEN-1');
      expect(meta.listAccounts.callCount).to.equal(1);
    });

    it('derives the Page token again when the stored one does not open (copied from another persona)', async () => {
      const other = await personas.create(1, '둘째', {});
      await storeToken();
      await tokens.save(1, other.num, (await tokens.get(1, mine.num))!);
      await tokens.savePageToken(1, mine.num, cipher.seal('PAGE-TOKEN-OF-ANOTHER', pageTokenAssociatedData(1, other.num)));
      expect(await pageTokens().read(mine, linkOf('17841400000000001'))).to.equal('PAGE-TOKEN-1');
      expect(cipher.open((await tokens.getPageToken(1, mine.num))!, pageTokenAssociatedData(1, mine.num))).to.equal('PAGE-TOKEN-1');
    });

    it('is persona_oauth_expired when the Page token must come from an expired user token', async () => {
      await storeToken(new Date(NOW.getTime() - 1));
      expect(await codeOf(pageTokens().read(mine, linkOf('17841400000000001')))).to.equal('persona_oauth_expired');
      await storeToken();
      meta.listAccounts.rejects(errors.personaOauthExpired());
      expect(await codeOf(pageTokens().read(mine, linkOf('17841400000000001')))).to.equal('persona_oauth_expired');
    });

    it('is persona_oauth_required when the linked account is no longer among the token’s', async () => {
      await storeToken();
      expect(await codeOf(pageTokens().read(mine, linkOf('17841400000000999')))).to.equal('persona_oauth_required');
    });

    it('an Instagram Login token is not a Facebook Login one: listing accounts is persona_oauth_required, Meta not asked', async () => {
      const sealed = cipher.seal('IG-TOKEN', tokenAssociatedData(1, mine.num));
      await tokens.save(1, mine.num, { sealed, expiresAt: null, metaUserId: '27', storedAt: NOW, login: 'instagram' });
      expect(await codeOf(accounts().execute({ userId: 1, persona: { id: mine.id } }))).to.equal('persona_oauth_required');
      expect(meta.listAccounts.called).to.equal(false);
      expect(await reader.read(mine, 'instagram')).to.equal('IG-TOKEN');
    });

    it('refuses an account the token cannot see, and one another persona has', async () => {
      await storeToken();
      expect(await codeOf(link().execute({ userId: 1, persona: { id: mine.id }, igUserId: '999' }))).to.equal('ig_account_not_accessible');
      const second = await personas.create(1, '둘째', {});
      const sealed = cipher.seal('LONG-TOKEN', tokenAssociatedData(1, second.num));
      await tokens.save(1, second.num, { sealed, expiresAt: null, metaUserId: null, storedAt: NOW });
      await link().execute({ userId: 1, persona: { id: mine.id }, igUserId: '17841400000000001' });
      expect(await codeOf(link().execute({ userId: 1, persona: { id: second.id }, igUserId: '17841400000000001' }))).to.equal(
        'ig_account_already_linked',
      );
    });

    it('unlink clears the link and deletes the token, idempotently; another user’s persona is 404', async () => {
      await storeToken();
      await link().execute({ userId: 1, persona: { id: mine.id }, igUserId: '17841400000000002' });
      const unlink = new UnlinkInstagramPersona(personas);
      await unlink.execute({ userId: 1, persona: { num: mine.num } });
      await unlink.execute({ userId: 1, persona: { num: mine.num } });
      const after = (await personas.findOwned(1, { id: mine.id }))!;
      expect(after.instagram).to.equal(null);
      expect(after.parameters).to.deep.equal({ tone: 'warm' });
      expect(await tokens.get(1, mine.num)).to.equal(null);
      expect(await codeOf(unlink.execute({ userId: 1, persona: { id: theirs.id } }))).to.equal('persona_not_found');
      expect(await codeOf(unlink.execute({ userId: 1 }))).to.equal('persona_required');
    });
  });
});
