import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { wholeSecond } from '../../core/personas/index.js';
import type { Persistence } from '../../composition/persistence.js';
import { Browser } from '../support/browser.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { realDatabases } from '../support/databases.js';
import { startFakeMeta, type FakeMeta } from '../support/fake-meta-server.js';
import { metaNoticePayload, metaSignedRequest } from '../support/meta-signed-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';
const APP_SECRET = 'meta-secret';

for (const database of realDatabases()) {
  describe(`HTTP Meta permissions, deauthorize and data deletion (fake Graph on 127.0.0.1, ${database.name})`, () => {
    let meta: FakeMeta;
    let app: TestApp;
    let persistence: Persistence;
    let rows: (table: string) => Promise<Record<string, unknown>[]>;
    let browser: Browser;
    let logs: CapturedLogs;
    let clock: FixedClock;
    let personaId: number;

    async function start(env: Record<string, string> = {}) {
      await app?.close();
      ({ persistence, rows } = await database.open());
      logs = captureLogs();
      clock = new FixedClock(new Date());
      app = await startTestApp({
        persistence,
        clock,
        logger: logs.logger,
        env: {
          META_APP_ID: 'meta-app',
          META_APP_SECRET: APP_SECRET,
          META_SCOPES: 'pages_show_list,instagram_basic,instagram_content_publish',
          META_DIALOG_URL: `${meta.url}/dialog/oauth`,
          META_GRAPH_BASE_URL: `${meta.url}/v25.0`,
          ...env,
        },
      });
      const user = await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '7', nickname: null, profileImage: null });
      personaId = (await persistence.personas.create(user.id, '페르소나', { tone: 'warm' })).id;
      browser = new Browser();
      browser.adopt(app.url, await app.sessionCookie(user.id));
    }

    beforeEach(async () => {
      meta = await startFakeMeta({ appId: 'meta-app', appSecret: APP_SECRET });
      await start();
    });
    afterEach(async () => {
      await app.close();
      await meta.close();
    });

    const connect = async () => (await browser.follow(`${app.url}/oauth/instagram/start?persona_id=${personaId}`, FRONTEND)).at(-1)!.url;
    const linkAccount = async () => {
      const ig = meta.pages.find((page) => page.ig)!.ig!;
      const res = await browser.fetch(`${app.url}/oauth/instagram/link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ persona_id: personaId, ig_user_id: ig.id }),
      });
      expect(res.status).to.equal(200);
    };
    const persona = async () => (await (await browser.fetch(`${app.url}/api/personas/${personaId}`)).json()).persona;
    const tokenRows = () => rows('ss_instagram_connector_persona');
    const notice = (path: string, body: string, type = 'application/x-www-form-urlencoded') =>
      app.fetch(path, { method: 'POST', headers: { 'content-type': type }, body });
    /** Signed now (the app's clock): tokens stored by this second are removed, later ones kept. */
    const signed = (userId = meta.userId, secret = APP_SECRET, issuedAt = clock.now()) =>
      `signed_request=${encodeURIComponent(metaSignedRequest(metaNoticePayload(userId, issuedAt), secret))}`;

    describe('linking', () => {
      it('stores the Meta user id with the token; every Graph call with a token carried its appsecret_proof', async () => {
        expect(await connect()).to.equal(`${FRONTEND}/mypage?ig=connected`);
        const [row] = await tokenRows();
        expect(row.meta_user_id).to.equal(meta.userId);
        const withToken = meta.requests.filter((request) => request.query.access_token);
        expect(withToken.map((request) => request.path)).to.include.members(['/v25.0/me', '/v25.0/me/permissions']);
        for (const request of withToken) {
          const proof = createHmac('sha256', APP_SECRET).update(request.query.access_token).digest('hex');
          expect(request.query.appsecret_proof, request.path).to.equal(proof);
        }
      });

      it('a declined permission ends as reason=permission_missing, stores no token, and logs the missing names without a token', async () => {
        meta.declined = ['instagram_content_publish'];
        expect(await connect()).to.equal(`${FRONTEND}/mypage?ig=error&reason=permission_missing`);
        expect(await tokenRows()).to.deep.equal([]);
        const entry = logs.entries().find((line) => line.msg === 'instagram link failed');
        expect(entry).to.deep.include({
          reason: 'permission_missing',
          details: [{ path: 'instagram_content_publish', message: 'declined' }],
        });
        for (const secret of meta.issuedSecrets()) expect(logs.text()).to.not.include(secret);
      });

      it('a permission never asked for (missing from the list) is permission_missing too', async () => {
        await start({ META_SCOPES: 'pages_show_list,instagram_basic,business_management' });
        meta.declined = [];
        const url = new URL((await browser.fetch(`${app.url}/oauth/instagram/start?persona_id=${personaId}`)).headers.get('location')!);
        url.searchParams.set('scope', 'pages_show_list,instagram_basic'); // as if the user came through with fewer scopes
        expect((await browser.follow(url.href, FRONTEND)).at(-1)!.url).to.equal(`${FRONTEND}/mypage?ig=error&reason=permission_missing`);
        const entry = logs.entries().find((line) => line.msg === 'instagram link failed');
        expect(entry.details).to.deep.equal([{ path: 'business_management', message: 'not granted' }]);
      });
    });

    describe('POST /oauth/meta/deauthorize', () => {
      it('removes every link and token of that Meta user → 200 {ok:true}; a replay is 200 and keeps a later link', async () => {
        await connect();
        await linkAccount();
        const request = signed();
        const res = await notice('/oauth/meta/deauthorize', request);
        expect(res.status).to.equal(200);
        expect(await res.json()).to.deep.equal({ ok: true });
        const after = await persona();
        expect(after.instagram).to.equal(null);
        expect(after.parameters).to.deep.equal({ tone: 'warm' });
        expect(await tokenRows()).to.deep.equal([]);

        clock.advance(60_000);
        await connect(); // the user links again, after Meta signed the notice
        const replay = await notice('/oauth/meta/deauthorize', request);
        expect(replay.status).to.equal(200);
        expect(await tokenRows(), 'the newer token is kept').to.have.length(1);
      });

      it('an unknown Meta user is 200 and removes nothing', async () => {
        await connect();
        await linkAccount();
        const res = await notice('/oauth/meta/deauthorize', signed('10150000000000999'));
        expect(res.status).to.equal(200);
        expect((await persona()).instagram).to.not.equal(null);
        expect(await tokenRows()).to.have.length(1);
      });

      it('refuses with 400 invalid_signed_request, removing nothing: a wrong key (another app), a tampered payload, a bad algorithm, malformed', async () => {
        await connect();
        await linkAccount();
        const good = metaSignedRequest(metaNoticePayload(meta.userId, clock.now()), APP_SECRET);
        const [signature] = good.split('.');
        const tampered = `${signature}.${Buffer.from(JSON.stringify(metaNoticePayload('1', clock.now()))).toString('base64url')}`;
        const badAlgorithm = metaSignedRequest({ ...metaNoticePayload(meta.userId), algorithm: 'HMAC-SHA1' }, APP_SECRET);
        for (const bad of [
          signed(meta.userId, 'another-apps-secret'),
          `signed_request=${tampered}`,
          `signed_request=${encodeURIComponent(badAlgorithm)}`,
          `signed_request=${good.replace('.', '')}`,
          `signed_request=${encodeURIComponent(good.replace(/[A-Za-z]/, '*'))}`,
        ]) {
          const res = await notice('/oauth/meta/deauthorize', bad);
          expect(res.status, bad).to.equal(400);
          expect(await res.json()).to.include({ ok: false, error: 'invalid_signed_request' });
        }
        expect(await tokenRows()).to.have.length(1);
        expect((await persona()).instagram).to.not.equal(null);
      });

      it('no signed_request is 400 invalid_request; a JSON body is 415', async () => {
        const none = await notice('/oauth/meta/deauthorize', '');
        expect(none.status).to.equal(400);
        expect(await none.json()).to.include({ error: 'invalid_request' });
        const json = await notice('/oauth/meta/deauthorize', JSON.stringify({ signed_request: 'a.b' }), 'application/json');
        expect(json.status).to.equal(415);
      });

      it('is 400 invalid_signed_request without META_APP_SECRET: nothing can be verified, and a 5xx would blame the server', async () => {
        await start({ META_APP_SECRET: '' });
        const res = await notice('/oauth/meta/deauthorize', signed());
        expect(res.status).to.equal(400);
        expect(await res.json()).to.include({ error: 'invalid_signed_request' });
      });
    });

    describe('POST /oauth/meta/data-deletion and GET /oauth/meta/deletion-status', () => {
      it('deletes the tokens and links, answers the status URL and an unguessable code, and the status page reads it back', async () => {
        await connect();
        await linkAccount();
        const res = await notice('/oauth/meta/data-deletion', signed());
        expect(res.status).to.equal(200);
        const body = await res.json();
        expect(Object.keys(body).sort()).to.deep.equal(['confirmation_code', 'url']);
        expect(body.confirmation_code).to.match(/^[0-9a-f]{32}$/);
        expect(body.url).to.equal(`${app.url}/oauth/meta/deletion-status?code=${body.confirmation_code}`);
        expect(await tokenRows()).to.deep.equal([]);
        expect((await persona()).instagram).to.equal(null);

        const status = await fetch(body.url);
        expect(status.status).to.equal(200);
        const read = await status.json();
        expect(read).to.deep.equal({ ok: true, status: 'deleted', requested_at: wholeSecond(clock.now()).toISOString() });
        const [stored] = await rows('ss_meta_deletion_request');
        expect(JSON.stringify(stored), 'the record names no Meta user').to.not.include(meta.userId);
      });

      it('a replay answers the same code and writes no second record; another user gets another code', async () => {
        const request = signed();
        const first = await (await notice('/oauth/meta/data-deletion', request)).json();
        const again = await (await notice('/oauth/meta/data-deletion', request)).json();
        expect(again).to.deep.equal(first);
        const unknown = await notice('/oauth/meta/data-deletion', signed('10150000000000999'));
        expect(unknown.status, 'an unknown user: nothing to delete, still a receipt').to.equal(200);
        expect((await unknown.json()).confirmation_code).to.not.equal(first.confirmation_code);
        expect(await rows('ss_meta_deletion_request')).to.have.length(2);
      });

      it('refuses a bad signed_request with 400 invalid_signed_request and records nothing', async () => {
        const res = await notice('/oauth/meta/data-deletion', signed(meta.userId, 'another-apps-secret'));
        expect(res.status).to.equal(400);
        expect(await res.json()).to.include({ error: 'invalid_signed_request' });
        expect(await rows('ss_meta_deletion_request')).to.deep.equal([]);
      });

      it('an unknown code is 404 not_found; no code is 400 invalid_request', async () => {
        const unknown = await app.fetch('/oauth/meta/deletion-status?code=0123456789abcdef0123456789abcdef');
        expect(unknown.status).to.equal(404);
        expect(await unknown.json()).to.include({ ok: false, error: 'not_found' });
        const none = await app.fetch('/oauth/meta/deletion-status');
        expect(none.status).to.equal(400);
        expect(await none.json()).to.include({ error: 'invalid_request' });
      });
    });
  });
}
