import { expect } from 'chai';
import { GotInstagramLoginApi } from '../../adapters/meta/got-instagram-login-api.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { INSTAGRAM_SCOPES, startFakeInstagram, type FakeInstagram } from '../support/fake-instagram-server.js';
import { codeOf } from '../support/rejection.js';

const SECRET = 'ig-secret-never-logged';
const CALLBACK = 'https://api.selfstar.example/oauth/instagram-login/callback';
const HOUR_MS = 3_600_000;

describe('GotInstagramLoginApi (against the fake Instagram on 127.0.0.1)', () => {
  let instagram: FakeInstagram;
  let logs: CapturedLogs;
  let now: number;

  const api = (overrides: Partial<ConstructorParameters<typeof GotInstagramLoginApi>[0]> = {}) =>
    new GotInstagramLoginApi(
      {
        appId: 'ig-app',
        appSecret: SECRET,
        redirectUri: CALLBACK,
        scopes: INSTAGRAM_SCOPES.join(','),
        authorizeUrl: `${instagram.url}/oauth/authorize`,
        tokenUrl: `${instagram.url}/oauth/access_token`,
        graphUrl: instagram.url,
        apiVersion: 'v25.0',
        ...overrides,
      },
      logs.logger,
    );
  /** The code Instagram hands the browser for the dialog URL, `#_` and all. */
  async function codeFor(url: string): Promise<string> {
    const res = await fetch(url, { redirect: 'manual' });
    return new URL(res.headers.get('location')!).searchParams.get('code')!;
  }

  beforeEach(async () => {
    instagram = await startFakeInstagram({ appId: 'ig-app', appSecret: SECRET });
    logs = captureLogs();
    now = Date.parse('2030-05-17T08:30:00Z');
    instagram.now = () => now;
  });
  afterEach(() => instagram.close());

  it('is configured only with an app id, a secret and a redirect URI', () => {
    expect(api().configured).to.equal(true);
    expect(api({ appId: null }).configured).to.equal(false);
    expect(api({ appSecret: null }).configured).to.equal(false);
  });

  it('code → grant (user_id read digit for digit, beyond 2^53) → 60-day token → /me; nothing secret logged', async () => {
    const code = await codeFor(api().dialogUrl('the-state'));
    expect(code.endsWith('#_')).to.equal(true);
    const grant = await api().exchangeCode(code.slice(0, -2));
    expect(grant.userId).to.equal(instagram.appUserId);
    expect(grant.permissions).to.deep.equal(INSTAGRAM_SCOPES);
    const long = await api().exchangeForLongLived(grant.accessToken);
    expect(long.expiresInSeconds).to.equal(5_183_944);
    expect(await api().account(long.accessToken)).to.deep.equal({
      igUserId: instagram.account.igUserId,
      username: instagram.account.username,
      accountType: instagram.account.accountType,
    });
    expect(await codeOf(api().exchangeCode(code.slice(0, -2))), 'codes are single use').to.equal('upstream_unavailable');
    for (const secret of [...instagram.issuedSecrets(), SECRET]) expect(logs.text()).to.not.include(secret);
  });

  it('refresh: refused under 24 h old (upstream_unavailable), granted after, refused once expired (persona_oauth_expired)', async () => {
    const token = instagram.issueToken();
    now += 12 * HOUR_MS;
    expect(await codeOf(api().refresh(token))).to.equal('upstream_unavailable');
    now += 13 * HOUR_MS;
    const refreshed = await api().refresh(token);
    expect(refreshed.accessToken).to.not.equal(token);
    expect(refreshed.expiresInSeconds).to.equal(5_183_944);
    const request = instagram.requests.findLast((r) => r.path === '/refresh_access_token')!;
    expect(request.query.grant_type).to.equal('ig_refresh_token');
    now += 61 * 24 * HOUR_MS;
    expect(await codeOf(api().refresh(refreshed.accessToken))).to.equal('persona_oauth_expired');
  });

  it('a declined scope is left out of the grant', async () => {
    instagram.declined = ['instagram_business_manage_insights'];
    const grant = await api().exchangeCode((await codeFor(api().dialogUrl('s'))).replace(/#_$/, ''));
    expect(grant.permissions).to.deep.equal(INSTAGRAM_SCOPES.slice(0, 2));
  });
});
