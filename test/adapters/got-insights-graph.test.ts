import { expect } from 'chai';
import { GotInsightsGraph } from '../../adapters/meta/got-insights-graph.js';
import { InsightsFailure, type InsightsToken } from '../../core/insights/index.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { fakeMetric, INSIGHTS_SCOPE } from '../support/fake-meta-insights.js';
import { startFakeMeta, type FakeMeta } from '../support/fake-meta-server.js';
import { rejectionOf } from '../support/rejection.js';

const APP_SECRET = 'meta-secret-never-logged';
const PAGE_ID = '104000000000001';
const IG_USER_ID = '17841400000000101';
const MEDIA_ID = '17900000000000001';

describe('GotInsightsGraph (against the fake Meta on 127.0.0.1)', () => {
  let meta: FakeMeta;
  let logs: CapturedLogs;
  let token: InsightsToken;
  let graph: GotInsightsGraph;

  beforeEach(async () => {
    meta = await startFakeMeta({ appSecret: APP_SECRET });
    logs = captureLogs();
    token = { value: meta.issuePageToken(PAGE_ID), login: 'facebook' };
    meta.publishing.published.push({
      id: MEDIA_ID,
      igUserId: IG_USER_ID,
      containerId: '1',
      permalink: 'https://www.instagram.com/p/x/',
      story: false,
    });
    graph = new GotInsightsGraph({ facebook: { baseUrl: `${meta.url}/v25.0`, appSecret: APP_SECRET }, instagram: null }, logs.logger);
  });
  afterEach(() => meta.close());

  const expected = (id: string, names: string[], date?: string) =>
    Object.fromEntries(names.map((name) => [name, fakeMetric(id, name, date)]));
  const MEDIA = ['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions'];

  it('reads a media’s current metrics with the token and its appsecret_proof; never a retired name', async () => {
    expect(await graph.mediaInsights(token, MEDIA_ID)).to.deep.equal(expected(MEDIA_ID, MEDIA));
    const [call] = meta.insights.calls;
    expect(call.path).to.equal(`/v25.0/${MEDIA_ID}/insights`);
    expect(call.query.metric).to.equal(MEDIA.join(','));
    expect(call.query.appsecret_proof).to.match(/^[0-9a-f]{64}$/);
    expect(logs.text()).to.not.include(token.value);
  });

  it('a metric Meta refuses as no longer supported is logged once and left out from then on; the others are kept', async () => {
    meta.insights.retired.push('saved');
    const first = await graph.mediaInsights(token, MEDIA_ID);
    expect(first).to.deep.equal({ ...expected(MEDIA_ID, MEDIA), saved: null });
    await graph.mediaInsights(token, MEDIA_ID);
    const asked = meta.insights.calls.map((call) => call.query.metric);
    expect(asked).to.deep.equal([
      MEDIA.join(','),
      MEDIA.filter((m) => m !== 'saved').join(','),
      MEDIA.filter((m) => m !== 'saved').join(','),
    ]);
    const warned = logs.entries().filter((entry) => entry.metric === 'saved');
    expect(warned).to.have.length(1);
  });

  it('an account’s day (follower_count left out for a small account: null) and its totals', async () => {
    expect(await graph.accountDay(token, IG_USER_ID, '2030-05-16')).to.deep.equal(
      expected(IG_USER_ID, ['views', 'reach', 'follower_count'], '2030-05-16'),
    );
    const since = String(Date.parse('2030-05-16T00:00:00Z') / 1000);
    const [totals, series] = meta.insights.calls.map((call) => call.query);
    expect(totals).to.include({ metric: 'views', metric_type: 'total_value', period: 'day', since });
    expect(series).to.include({ metric: 'reach,follower_count', period: 'day', since });
    expect(series.metric_type).to.equal(undefined);
    meta.insights.followerCount = false;
    expect((await graph.accountDay(token, IG_USER_ID, '2030-05-16')).follower_count).to.equal(null);
    expect(await graph.accountCounts(token, IG_USER_ID)).to.deep.equal({
      followersCount: fakeMetric(IG_USER_ID, 'followers_count'),
      mediaCount: 1,
    });
  });

  it('classifies Meta’s refusals: no insights permission (10), an expired token (190), gone (100/33), rate limits, outages', async () => {
    const kind = async (promise: Promise<unknown>) => (await rejectionOf(promise, InsightsFailure)).kind;
    const withoutInsights = {
      value: meta.issuePageToken(PAGE_ID, ['instagram_basic', 'instagram_content_publish']),
      login: 'facebook',
    } as const;
    expect(await kind(graph.mediaInsights(withoutInsights, MEDIA_ID))).to.equal('permission_missing');
    expect(INSIGHTS_SCOPE).to.equal('instagram_manage_insights');
    meta.insights.gone.add(MEDIA_ID);
    expect(await kind(graph.mediaInsights(token, MEDIA_ID))).to.equal('not_found');
    for (const [code, expectedKind] of [
      [4, 'rate_limited'],
      [17, 'rate_limited'],
      [32, 'rate_limited'],
      [613, 'rate_limited'],
      [200, 'permission_missing'],
      [2, 'unavailable'],
    ] as const) {
      meta.failNext = { status: 400, body: { error: { message: 'refused', type: 'OAuthException', code } } };
      expect(await kind(graph.accountCounts(token, IG_USER_ID)), String(code)).to.equal(expectedKind);
    }
    meta.expireTokens();
    expect(await kind(graph.accountDay(token, IG_USER_ID, '2030-05-16'))).to.equal('token_expired');
    const offline = new GotInsightsGraph(
      { facebook: { baseUrl: 'http://127.0.0.1:9/v25.0', appSecret: APP_SECRET }, instagram: null },
      logs.logger,
    );
    expect(await kind(offline.accountCounts(token, IG_USER_ID))).to.equal('unavailable');
  });

  it('picks the Graph by the token’s link path: an Instagram Login token goes to the Instagram Graph, without appsecret_proof', async () => {
    const both = new GotInsightsGraph(
      {
        facebook: { baseUrl: 'http://127.0.0.1:9/v25.0', appSecret: APP_SECRET },
        instagram: { baseUrl: `${meta.url}/v25.0`, appSecret: null },
      },
      logs.logger,
    );
    // The fake requires a proof, so the call is refused — but it reached the Instagram endpoint without one.
    await rejectionOf(both.accountCounts({ value: token.value, login: 'instagram' }, IG_USER_ID), InsightsFailure);
    expect(meta.insights.calls.at(-1)!.query.appsecret_proof).to.equal(undefined);
    expect(await rejectionOf(graph.accountCounts({ value: 'x', login: 'instagram' }, IG_USER_ID), InsightsFailure)).to.include({
      kind: 'unavailable',
    });
  });
});
