import type { Logger } from 'pino';
import { expect } from 'chai';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import type { Persistence } from '../../composition/persistence.js';
import { Browser } from '../support/browser.js';
import { realDatabases } from '../support/databases.js';
import { startFakeMeta } from '../support/fake-meta-server.js';
import { captureLogs } from '../support/capture-logs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';

for (const database of realDatabases()) {
  describe(`HTTP Instagram linking per persona (fake Graph on 127.0.0.1, ${database.name})`, () => {
    let meta: Awaited<ReturnType<typeof startFakeMeta>>;
    let app: TestApp;
    let persistence: Persistence;
    let rows: (table: string) => Promise<Record<string, unknown>[]>;
    let browser: Browser;
    let clock: FixedClock;
    let personaId: number;
    let userId: number;

    const env = (extra: Record<string, string> = {}) => ({
      META_APP_ID: 'meta-app',
      META_APP_SECRET: 'meta-secret',
      META_DIALOG_URL: `${meta.url}/dialog/oauth`,
      META_GRAPH_BASE_URL: `${meta.url}/v25.0`,
      ...extra,
    });

    async function start(extra: Record<string, string> = {}, logger?: Logger) {
      await app?.close();
      ({ persistence, rows } = await database.open());
      clock = new FixedClock(new Date());
      app = await startTestApp({ persistence, clock, env: env(extra), logger });
      const user = await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null });
      userId = user.id;
      personaId = (await persistence.personas.create(user.id, '인스타 페르소나', { tone: 'warm' })).id;
      browser = new Browser();
      browser.adopt(app.url, await app.sessionCookie(user.id));
    }

    beforeEach(async () => {
      meta = await startFakeMeta({ appId: 'meta-app', appSecret: 'meta-secret' });
      await start();
    });
    afterEach(async () => {
      await app.close();
      await meta.close();
    });

    const get = async (path: string) => browser.fetch(app.url + path);
    const post = (path: string, body: unknown) =>
      browser.fetch(app.url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const connect = async (query = `persona_id=${personaId}`) => browser.follow(`${app.url}/oauth/instagram/start?${query}`, FRONTEND);
    const landing = (hops: { url: string }[]) => hops.at(-1)!.url;
    const tokenRows = () => rows('ss_instagram_connector_persona');

    it('start redirects to the dialog with a signed state; the callback stores the long-lived token sealed', async () => {
      const res = await get(`/oauth/instagram/start?persona_num=1`);
      expect(res.status).to.equal(302);
      const dialog = new URL(res.headers.get('location')!);
      expect(Object.fromEntries(dialog.searchParams)).to.include({
        client_id: 'meta-app',
        redirect_uri: `${app.url}/oauth/instagram/callback`,
        scope: 'pages_show_list,instagram_basic,instagram_content_publish,pages_read_engagement,instagram_manage_insights',
        response_type: 'code',
      });
      expect(dialog.searchParams.get('state')).to.match(/^[\w-]+\.[\w-]+$/);
      const hops = await browser.follow(dialog.href, FRONTEND);
      expect(landing(hops)).to.equal(`${FRONTEND}/mypage?ig=connected`);
      const stored = await tokenRows();
      expect(stored).to.have.length(1);
      expect(stored[0].expires_at, 'expiry stored').to.not.equal(null);
      const everything = JSON.stringify(
        await Promise.all(['ss_user', 'ss_persona', 'ss_instagram_connector_persona', 'ss_session'].map(rows)),
      );
      expect(meta.issuedSecrets().length, 'a code, a short and a long token').to.be.at.least(3);
      for (const secret of [...meta.issuedSecrets(), 'meta-secret'])
        expect(everything, 'no plaintext secret at rest').to.not.include(secret);
    });

    it('lists the accounts following paging, links one (columns and parameters.instagram), refuses duplicates, unlinks', async () => {
      await connect();
      const accounts = await (await get(`/oauth/instagram/accounts?persona_id=${personaId}`)).json();
      const withIg = meta.pages.filter((page) => page.ig);
      expect(accounts.accounts).to.deep.equal(
        withIg.map((p) => ({ page_id: p.id, page_name: p.name, ig_user_id: p.ig!.id, ig_username: p.ig!.username })),
      );
      expect(meta.requests.filter((r) => r.path.endsWith('/me/accounts')).length, 'paged').to.be.greaterThan(1);

      const target = withIg[0];
      const linked = await post('/oauth/instagram/link', { persona_num: 1, ig_user_id: target.ig!.id });
      expect(linked.status).to.equal(200);
      const { persona } = await linked.json();
      expect(persona.instagram).to.include({ ig_user_id: target.ig!.id, ig_username: target.ig!.username, fb_page_id: target.id });
      expect(persona.parameters.tone).to.equal('warm');
      expect(persona.parameters.instagram).to.include({ ig_user_id: target.ig!.id });
      expect((await (await get(`/api/personas/${personaId}`)).json()).persona, 'the answer is what was stored').to.deep.equal(persona);
      const [row] = (await rows('ss_persona')).filter((r) => Number(r.id) === personaId);
      expect(row).to.include({ ig_user_id: target.ig!.id, fb_page_id: target.id });
      const [tokenRow] = await tokenRows();
      const pageToken = meta.pageTokenOf(target.id)!;
      expect(tokenRow.page_token_ciphertext, 'the Page token is stored at link').to.be.a('string').and.not.equal('');
      expect(tokenRow).to.include.keys('page_token_iv', 'page_token_tag', 'page_key_id');
      expect(JSON.stringify(await tokenRows()), 'sealed, never in clear').not.to.include(pageToken);
      expect(JSON.stringify(accounts)).not.to.include(pageToken);

      const second = await persistence.personas.create(userId, '둘째', {});
      await connect(`persona_id=${second.id}`);
      const conflict = await post('/oauth/instagram/link', { persona_id: second.id, ig_user_id: target.ig!.id });
      expect(conflict.status).to.equal(409);
      expect(await conflict.json()).to.include({ error: 'ig_account_already_linked' });

      const hidden = await post('/oauth/instagram/link', { persona_id: personaId, ig_user_id: '123456789' });
      expect(hidden.status).to.equal(403);

      for (let i = 0; i < 2; i++) {
        const unlinked = await post('/oauth/instagram/unlink', { persona_id: personaId });
        expect(unlinked.status).to.equal(200);
        expect(await unlinked.json()).to.deep.equal({ ok: true });
      }
      const after = await (await get(`/api/personas/${personaId}`)).json();
      expect(after.persona.instagram).to.equal(null);
      expect(after.persona.parameters).to.deep.equal({ tone: 'warm' });
      expect((await tokenRows()).length, 'only the second persona’s token is left').to.equal(1);
      expect((await get(`/oauth/instagram/accounts?persona_id=${personaId}`)).status).to.equal(401);
    });

    it('answers persona_oauth_required without a token and persona_oauth_expired when Meta says 190', async () => {
      const none = await get(`/oauth/instagram/accounts?persona_id=${personaId}`);
      expect(none.status).to.equal(401);
      expect(await none.json()).to.include({ error: 'persona_oauth_required' });
      await connect();
      meta.expireTokens();
      const expired = await get(`/oauth/instagram/accounts?persona_id=${personaId}`);
      expect(expired.status).to.equal(401);
      expect(await expired.json()).to.include({ error: 'persona_oauth_expired' });
    });

    it("logs Meta's refusal with its fbtrace_id under the request's id", async () => {
      const logs = captureLogs();
      await start({}, logs.logger);
      await connect();
      meta.expireTokens();
      const expired = await get(`/oauth/instagram/accounts?persona_id=${personaId}`);
      const warning = logs.entries().find((entry) => entry.msg === 'Meta says the token is invalid');
      expect(warning).to.include({ provider: 'meta', requestId: expired.headers.get('x-request-id') });
      expect(warning.fbtraceId).to.be.a('string').and.not.equal('');
    });

    it('uses IG_LONG_LIVED_USER_TOKEN only in development', async () => {
      await start({ IG_LONG_LIVED_USER_TOKEN: 'DEV-TOKEN' });
      await get(`/oauth/instagram/accounts?persona_id=${personaId}`);
      const sent = meta.requests.find((r) => r.path.endsWith('/me/accounts'))!;
      expect(sent.query.access_token ?? sent.headers.authorization).to.include('DEV-TOKEN');
      await start({
        IG_LONG_LIVED_USER_TOKEN: 'DEV-TOKEN',
        NODE_ENV: 'production',
        SESSION_SECRET: 'p'.repeat(40),
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      });
      const res = await get(`/oauth/instagram/accounts?persona_id=${personaId}`);
      expect(await res.json()).to.include({ error: 'persona_oauth_required' });
    });

    describe('refused states store nothing and redirect with a reason', () => {
      async function callbackUrl() {
        const res = await get(`/oauth/instagram/start?persona_id=${personaId}`);
        const dialog = await fetch(res.headers.get('location')!, { redirect: 'manual' });
        return new URL(dialog.headers.get('location')!);
      }
      async function expectRefused(url: string, reason: string, who = browser) {
        const res = await who.fetch(url);
        expect(res.status).to.equal(302);
        expect(res.headers.get('location')).to.equal(`${FRONTEND}/mypage?ig=error&reason=${reason}`);
        expect(await tokenRows()).to.deep.equal([]);
      }

      it('tampered', async () => {
        const url = await callbackUrl();
        const [body, mac] = url.searchParams.get('state')!.split('.');
        const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
        url.searchParams.set('state', `${Buffer.from(JSON.stringify({ ...payload, p: payload.p + 1 })).toString('base64url')}.${mac}`);
        await expectRefused(url.href, 'state_invalid');
      });

      it('expired', async () => {
        const url = await callbackUrl();
        clock.advance(10 * 60 * 1000);
        await expectRefused(url.href, 'state_expired');
      });

      it('replayed', async () => {
        const url = await callbackUrl();
        expect((await browser.fetch(url.href)).headers.get('location')).to.equal(`${FRONTEND}/mypage?ig=connected`);
        const before = await tokenRows();
        const res = await browser.fetch(url.href);
        expect(res.headers.get('location')).to.equal(`${FRONTEND}/mypage?ig=error&reason=state_used`);
        expect(await tokenRows()).to.deep.equal(before);
      });

      it('foreign: another browser (another user) cannot complete it', async () => {
        const url = await callbackUrl();
        const other = await persistence.users.upsertIdentity({
          provider: 'google',
          providerUserId: 'x',
          nickname: null,
          profileImage: null,
        });
        const stranger = new Browser();
        stranger.adopt(app.url, await app.sessionCookie(other.id));
        await expectRefused(url.href, 'state_used', stranger);
      });

      it('cancelled at Facebook', async () => {
        meta.cancelNext = true;
        const hops = await connect();
        expect(landing(hops)).to.equal(`${FRONTEND}/mypage?ig=error&reason=access_denied`);
        expect(await tokenRows()).to.deep.equal([]);
      });
    });

    it('start: 401 without a session, 400 persona_required, 404 for another user’s persona', async () => {
      expect((await app.fetch(`/oauth/instagram/start?persona_id=${personaId}`)).status).to.equal(401);
      const required = await get('/oauth/instagram/start');
      expect(required.status).to.equal(400);
      expect(await required.json()).to.include({ error: 'persona_required' });
      const other = await persistence.users.upsertIdentity({ provider: 'google', providerUserId: 'y', nickname: null, profileImage: null });
      const theirs = await persistence.personas.create(other.id, 'theirs', {});
      const missing = await get(`/oauth/instagram/start?persona_id=${theirs.id}`);
      expect(missing.status).to.equal(404);
      expect(await missing.json()).to.include({ error: 'persona_not_found' });
      for (const [path, body] of [
        ['/oauth/instagram/link', { persona_id: theirs.id, ig_user_id: '1' }],
        ['/oauth/instagram/unlink', { persona_id: theirs.id }],
      ] as const) {
        const res = await post(path, body);
        expect(res.status, path).to.equal(404);
        expect(await res.json()).to.include({ error: 'persona_not_found' });
      }
      expect((await post('/oauth/instagram/unlink', {})).status).to.equal(400);
      const accounts = await get(`/oauth/instagram/accounts?persona_id=${theirs.id}`);
      expect(accounts.status).to.equal(404);
      expect(await accounts.json()).to.include({ error: 'persona_not_found' });
      const noPersona = await get('/oauth/instagram/accounts');
      expect(noPersona.status).to.equal(400);
      expect(await noPersona.json()).to.include({ error: 'persona_required' });
    });
  });
}

describe('HTTP Instagram linking with MOCK_PROVIDERS=1', () => {
  it('connects, lists the fake pages and links one with no keys', async () => {
    const app = await startTestApp({ env: { MOCK_PROVIDERS: '1' } });
    try {
      const user = await app.persistence.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: '1',
        nickname: null,
        profileImage: null,
      });
      const persona = await app.persistence.personas.create(user.id, 'demo', {});
      const browser = new Browser();
      browser.adopt(app.url, await app.sessionCookie(user.id));
      const hops = await browser.follow(`${app.url}/oauth/instagram/start?persona_id=${persona.id}`, FRONTEND);
      expect(hops.at(-1)!.url).to.equal(`${FRONTEND}/mypage?ig=connected`);
      const { accounts } = await (await browser.fetch(`${app.url}/oauth/instagram/accounts?persona_id=${persona.id}`)).json();
      expect(accounts.length).to.equal(2);
      const res = await browser.fetch(`${app.url}/oauth/instagram/link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ persona_id: persona.id, ig_user_id: accounts[1].ig_user_id }),
      });
      expect((await res.json()).persona.instagram.ig_username).to.equal(accounts[1].ig_username);
    } finally {
      await app.close();
    }
  });
});
