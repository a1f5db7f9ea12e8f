import { expect } from 'chai';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import type { Persistence } from '../../composition/persistence.js';
import { Browser } from '../support/browser.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { realDatabases } from '../support/databases.js';
import { startFakeInstagram, type FakeInstagram } from '../support/fake-instagram-server.js';
import { startFakeMeta, type FakeMeta } from '../support/fake-meta-server.js';
import { metaNoticePayload, metaSignedRequest } from '../support/meta-signed-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';
const IG_SECRET = 'instagram-app-secret';

for (const database of realDatabases()) {
  describe(`HTTP Instagram Login per persona (fake Instagram and Meta on 127.0.0.1, ${database.name})`, () => {
    let instagram: FakeInstagram;
    let meta: FakeMeta;
    let app: TestApp;
    let persistence: Persistence;
    let rows: (table: string) => Promise<Record<string, unknown>[]>;
    let browser: Browser;
    let clock: FixedClock;
    let logs: CapturedLogs;
    let userId: number;
    let personaId: number;

    async function start(env: Record<string, string> = {}) {
      await app?.close();
      ({ persistence, rows } = await database.open());
      clock = new FixedClock(new Date());
      logs = captureLogs();
      instagram.now = () => clock.now().getTime();
      app = await startTestApp({
        persistence,
        clock,
        logger: logs.logger,
        env: {
          META_APP_ID: 'meta-app',
          META_APP_SECRET: 'meta-secret',
          META_DIALOG_URL: `${meta.url}/dialog/oauth`,
          META_GRAPH_BASE_URL: `${meta.url}/v25.0`,
          INSTAGRAM_APP_ID: 'ig-app',
          INSTAGRAM_APP_SECRET: IG_SECRET,
          INSTAGRAM_AUTHORIZE_URL: `${instagram.url}/oauth/authorize`,
          INSTAGRAM_TOKEN_URL: `${instagram.url}/oauth/access_token`,
          INSTAGRAM_GRAPH_URL: instagram.url,
          ...env,
        },
      });
      const user = await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '21', nickname: null, profileImage: null });
      userId = user.id;
      personaId = (await persistence.personas.create(user.id, '솔로 페르소나', { tone: 'warm' })).id;
      browser = new Browser();
      browser.adopt(app.url, await app.sessionCookie(user.id));
    }

    beforeEach(async () => {
      instagram = await startFakeInstagram({ appId: 'ig-app', appSecret: IG_SECRET });
      meta = await startFakeMeta({ appId: 'meta-app', appSecret: 'meta-secret' });
      await start();
    });
    afterEach(async () => {
      await app.close();
      await instagram.close();
      await meta.close();
    });

    const get = (path: string) => browser.fetch(app.url + path);
    const post = (path: string, body: unknown) =>
      browser.fetch(app.url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const connect = async (id = personaId) =>
      (await browser.follow(`${app.url}/oauth/instagram-login/start?persona_id=${id}`, FRONTEND)).at(-1)!.url;
    const connectFacebook = async () =>
      (await browser.follow(`${app.url}/oauth/instagram/start?persona_id=${personaId}`, FRONTEND)).at(-1)!.url;
    const persona = async (id = personaId) => (await (await get(`/api/personas/${id}`)).json()).persona;
    const tokenRows = () => rows('ss_instagram_connector_persona');
    const notice = (path: string, userIdOf: string, secret = IG_SECRET) =>
      app.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signed_request=${encodeURIComponent(metaSignedRequest(metaNoticePayload(userIdOf, clock.now()), secret))}`,
      });

    it('start redirects to INSTAGRAM_AUTHORIZE_URL with a signed state; the callback links the account and stores its 60-day token sealed', async () => {
      const res = await get(`/oauth/instagram-login/start?persona_num=1`);
      expect(res.status).to.equal(302);
      const authorize = new URL(res.headers.get('location')!);
      expect(authorize.origin + authorize.pathname).to.equal(`${instagram.url}/oauth/authorize`);
      expect(Object.fromEntries(authorize.searchParams)).to.include({
        client_id: 'ig-app',
        redirect_uri: `${app.url}/oauth/instagram-login/callback`,
        response_type: 'code',
        scope: 'instagram_business_basic,instagram_business_content_publish,instagram_business_manage_insights',
      });
      expect(authorize.searchParams.get('state')).to.match(/^[\w-]+\.[\w-]+$/);
      const hops = await browser.follow(authorize.href, FRONTEND);
      expect(hops.at(-1)!.url).to.equal(`${FRONTEND}/mypage?ig=connected`);
      expect(
        hops.some((hop) => new URL(hop.url).searchParams.get('code')?.endsWith('#_')),
        'the code came with #_',
      ).to.equal(true);
      const exchange = instagram.requests.find((r) => r.method === 'POST' && r.path === '/oauth/access_token')!;
      expect(exchange.form).to.include({ client_id: 'ig-app', client_secret: IG_SECRET, grant_type: 'authorization_code' });
      expect(exchange.form!.code, 'sent without its #_').to.match(/^[\w-]+$/);
      expect(instagram.requests.find((r) => r.path === '/access_token')!.query).to.include({ grant_type: 'ig_exchange_token' });
      expect(instagram.requests.find((r) => r.path === '/v25.0/me')!.query.fields).to.equal('user_id,username,account_type');

      const linked = await persona();
      expect(linked.instagram).to.deep.include({
        ig_user_id: instagram.account.igUserId,
        ig_username: instagram.account.username,
        fb_page_id: null,
        login: 'instagram',
      });
      expect(linked.parameters.instagram).to.include({ ig_user_id: instagram.account.igUserId, login: 'instagram' });
      const [row] = await tokenRows();
      expect(row).to.include({ meta_user_id: instagram.appUserId, login: 'instagram' });
      expect(row.expires_at).to.not.equal(null);
      const everything = JSON.stringify(
        await Promise.all(['ss_user', 'ss_persona', 'ss_instagram_connector_persona', 'ss_session'].map(rows)),
      );
      for (const secret of [...instagram.issuedSecrets(), IG_SECRET])
        expect(everything, 'no plaintext secret at rest').to.not.include(secret);
      for (const secret of instagram.issuedSecrets()) expect(logs.text(), 'no secret in the logs').to.not.include(secret);

      const status = await (await get(`/api/personas/${personaId}/instagram/status`)).json();
      expect(status.instagram).to.include({ linked: true, ig_username: instagram.account.username, needs_reconnect: false });
      expect(status.instagram.quota, 'asked of the Instagram Graph with the account’s token').to.deep.equal({
        used: 0,
        total: 100,
        window_seconds: 86_400,
      });
      expect(Date.parse(status.instagram.token_expires_at) - clock.now().getTime()).to.be.closeTo(5_183_944_000, 2000);
    });

    it('a declined scope is permission_missing and stores nothing', async () => {
      instagram.declined = ['instagram_business_content_publish'];
      expect(await connect()).to.equal(`${FRONTEND}/mypage?ig=error&reason=permission_missing`);
      expect(await tokenRows()).to.deep.equal([]);
      expect((await persona()).instagram).to.equal(null);
      const entry = logs.entries().find((line) => line.msg === 'instagram link failed');
      expect(entry).to.deep.include({ reason: 'permission_missing', login: 'instagram' });
      expect(entry.details).to.deep.equal([{ path: 'instagram_business_content_publish', message: 'not granted' }]);
    });

    it('the account is unique across personas, whichever path linked it: ig_account_already_linked, nothing stored', async () => {
      expect(await connect()).to.equal(`${FRONTEND}/mypage?ig=connected`);
      const second = await persistence.personas.create(userId, '둘째', {});
      expect(await connect(second.id)).to.equal(`${FRONTEND}/mypage?ig=error&reason=ig_account_already_linked`);
      expect((await persona(second.id)).instagram).to.equal(null);
      expect(await tokenRows(), 'only the first persona’s token').to.have.length(1);

      // The same account reached through a Facebook Page, on a third persona.
      meta.pages[0].ig!.id = instagram.account.igUserId;
      const third = await persistence.personas.create(userId, '셋째', {});
      await browser.follow(`${app.url}/oauth/instagram/start?persona_id=${third.id}`, FRONTEND);
      const conflict = await post('/oauth/instagram/link', { persona_id: third.id, ig_user_id: instagram.account.igUserId });
      expect(conflict.status).to.equal(409);
      expect(await conflict.json()).to.include({ error: 'ig_account_already_linked' });
    });

    it('the state is the same as Facebook Login’s: one use, same user; a cancel is access_denied', async () => {
      const res = await get(`/oauth/instagram-login/start?persona_id=${personaId}`);
      const authorize = await fetch(res.headers.get('location')!, { redirect: 'manual' });
      const callback = authorize.headers.get('location')!;
      const stranger = new Browser();
      const other = await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '22', nickname: null, profileImage: null });
      stranger.adopt(app.url, await app.sessionCookie(other.id));
      expect((await stranger.fetch(callback)).headers.get('location')).to.equal(`${FRONTEND}/mypage?ig=error&reason=state_used`);
      expect((await browser.fetch(callback)).headers.get('location')).to.equal(`${FRONTEND}/mypage?ig=connected`);
      expect((await browser.fetch(callback)).headers.get('location')).to.equal(`${FRONTEND}/mypage?ig=error&reason=state_used`);
      const facebookState = new URL((await get(`/oauth/instagram/start?persona_id=${personaId}`)).headers.get('location')!).searchParams;
      const crossed = `${app.url}/oauth/instagram-login/callback?code=x&state=${facebookState.get('state')}`;
      expect((await browser.fetch(crossed)).headers.get('location'), 'a Facebook Login state is not this path’s').to.equal(
        `${FRONTEND}/mypage?ig=error&reason=state_used`,
      );
      instagram.cancelNext = true;
      expect(await connect()).to.equal(`${FRONTEND}/mypage?ig=error&reason=access_denied`);
    });

    it('re-linking through the other path replaces the link cleanly, either way; unlink works for both', async () => {
      expect(await connectFacebook()).to.equal(`${FRONTEND}/mypage?ig=connected`);
      const page = meta.pages.find((candidate) => candidate.ig)!;
      expect((await post('/oauth/instagram/link', { persona_id: personaId, ig_user_id: page.ig!.id })).status).to.equal(200);
      expect((await persona()).instagram).to.include({ login: 'facebook', fb_page_id: page.id });

      expect(await connect()).to.equal(`${FRONTEND}/mypage?ig=connected`);
      expect((await persona()).instagram).to.include({ login: 'instagram', fb_page_id: null, ig_user_id: instagram.account.igUserId });
      const [igRow] = await tokenRows();
      expect(igRow).to.include({ login: 'instagram', page_token_ciphertext: null, meta_user_id: instagram.appUserId });

      expect(await connectFacebook()).to.equal(`${FRONTEND}/mypage?ig=connected`);
      expect((await persona()).instagram, 'the Instagram Login link is gone; the account is chosen next').to.equal(null);
      expect((await persona()).parameters).to.deep.equal({ tone: 'warm' });
      const [fbRow] = await tokenRows();
      expect(fbRow).to.include({ login: 'facebook', meta_user_id: meta.userId });

      expect(await connect()).to.equal(`${FRONTEND}/mypage?ig=connected`);
      expect((await post('/oauth/instagram/unlink', { persona_id: personaId })).status).to.equal(200);
      expect((await persona()).instagram).to.equal(null);
      expect(await tokenRows()).to.deep.equal([]);
    });

    it('answers 503 provider_not_configured without INSTAGRAM_APP_ID, while Facebook Login still starts', async () => {
      await start({ INSTAGRAM_APP_ID: '' });
      const res = await get(`/oauth/instagram-login/start?persona_id=${personaId}`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.include({ ok: false, error: 'provider_not_configured' });
      expect((await get(`/oauth/instagram/start?persona_id=${personaId}`)).status).to.equal(302);
    });

    describe("the Instagram app's notices", () => {
      it('deauthorize (INSTAGRAM_APP_SECRET) removes the Instagram Login link and token → 200 {ok:true}; Meta’s secret is refused', async () => {
        await connect();
        const forged = await notice('/oauth/instagram-login/deauthorize', instagram.appUserId, 'meta-secret');
        expect(forged.status).to.equal(400);
        expect(await forged.json()).to.include({ error: 'invalid_signed_request' });
        const viaMeta = await notice('/oauth/meta/deauthorize', instagram.appUserId, 'meta-secret');
        expect(viaMeta.status).to.equal(200);
        expect((await persona()).instagram, 'Meta’s notice names Facebook Login users only').to.not.equal(null);
        const res = await notice('/oauth/instagram-login/deauthorize', instagram.appUserId);
        expect(res.status).to.equal(200);
        expect(await res.json()).to.deep.equal({ ok: true });
        expect((await persona()).instagram).to.equal(null);
        expect(await tokenRows()).to.deep.equal([]);
      });

      it('data-deletion answers a status URL and confirmation code; the status page reads it', async () => {
        await connect();
        const res = await notice('/oauth/instagram-login/data-deletion', instagram.appUserId);
        expect(res.status).to.equal(200);
        const receipt = await res.json();
        expect(receipt.url).to.equal(`${receipt.url.split('/oauth/')[0]}/oauth/meta/deletion-status?code=${receipt.confirmation_code}`);
        expect(receipt.confirmation_code).to.match(/^[0-9a-f]{32}$/);
        expect(await tokenRows()).to.deep.equal([]);
        const status = await app.fetch(`/oauth/meta/deletion-status?code=${receipt.confirmation_code}`);
        expect(await status.json()).to.include({ ok: true, status: 'deleted' });
      });
    });
  });
}
