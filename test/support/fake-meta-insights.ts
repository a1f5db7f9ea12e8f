import type { CannedAnswer, RecordedRequest } from './fake-http-server.js';
import type { FakeMetaPublishing, PublishingContext } from './fake-meta-publishing.js';

/** The metrics Meta retired in 2025: asking for one is refused with Meta's own error (code 100). */
export const RETIRED_METRICS = ['impressions', 'plays', 'video_views'];
const MEDIA_METRICS = ['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions'];
const ACCOUNT_METRICS = ['views', 'reach', 'follower_count'];
/** The permission the insights calls need (Facebook Login). */
export const INSIGHTS_SCOPE = 'instagram_manage_insights';

export interface FakeMetaInsights {
  /** Metrics refused as no longer supported (default: RETIRED_METRICS). */
  retired: string[];
  /** Media whose insights Meta no longer serves (a story after 24 h): answered as an object that does not exist. */
  gone: Set<string>;
  /** When false, follower_count is left out of every day (an account under 100 followers). */
  followerCount: boolean;
  /** Every insights call received (media, account day, account counts). */
  calls: RecordedRequest[];
  /** Answers the next insights calls give instead, each taken once (rate limits, outages …), after the token is checked. */
  failures: CannedAnswer[];
}

export function newInsights(): FakeMetaInsights {
  return { retired: [...RETIRED_METRICS], gone: new Set(), followerCount: true, calls: [], failures: [] };
}

/** A deterministic number per object and metric (and day): what the fake answers, and what tests expect. */
export function fakeMetric(objectId: string, metric: string, date = ''): number {
  let hash = 7;
  for (const char of `${objectId}:${metric}:${date}`) hash = (hash * 31 + char.charCodeAt(0)) % 100_003;
  return hash % 5000;
}

/**
 * The insights calls of the Graph API on the published media and the accounts of the fake:
 * GET /{media}/insights?metric=… (lifetime totals), GET /{ig_user}/insights?metric=…&period=day&since&until
 * (one value per day in the window, end_time at the end of the UTC day; with metric_type=total_value the
 * window's total, which an account's views require and follower_count refuses, as Meta since v22.0) and
 * GET /{ig_user}?fields=followers_count,media_count.
 * A token without the insights permission is refused with code 10, a retired metric with code 100. The Facebook
 * and the Instagram Graph fakes both route here, each with its own accounts' tokens and permission.
 */
export function routeInsights(
  state: FakeMetaInsights,
  publishing: FakeMetaPublishing,
  context: PublishingContext,
  request: RecordedRequest,
  path: string,
  /** The permission the calls need: Facebook Login's, or Instagram Login's `instagram_business_manage_insights`. */
  scope = INSIGHTS_SCOPE,
): CannedAnswer | null {
  const match = /^\/([0-9]+)(\/insights)?$/.exec(path);
  if (request.method !== 'GET' || !match) return null;
  const [, id, edge] = match;
  if (!edge && request.query.fields !== 'followers_count,media_count') return null;
  state.calls.push(request);
  const authorized = context.authorizePage(request);
  if ('status' in authorized) return authorized;
  const canned = state.failures.shift();
  if (canned) return canned;
  if (!authorized.scopes.includes(scope)) {
    return context.graphError(10, '(#10) Application does not have permission for this action', undefined, 'OAuthException');
  }
  const media = publishing.published.find((candidate) => candidate.id === id);
  const owner = media?.igUserId ?? id;
  if (owner !== authorized.igUserId || (media && state.gone.has(id))) {
    return context.graphError(
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
      'GraphMethodException',
    );
  }
  if (!edge) {
    const mediaCount = publishing.published.filter((candidate) => candidate.igUserId === id).length;
    return { status: 200, body: { followers_count: fakeMetric(id, 'followers_count'), media_count: mediaCount, id } };
  }
  const metrics = (request.query.metric ?? '').split(',').filter(Boolean);
  const retired = metrics.find((metric) => state.retired.includes(metric));
  if (retired) {
    return context.graphError(
      100,
      `(#100) Starting from version v22.0 and above, the ${retired} metric is no longer supported. Please use views instead.`,
      undefined,
      'OAuthException',
    );
  }
  const known = media ? MEDIA_METRICS : ACCOUNT_METRICS;
  const unknown = metrics.find((metric) => !known.includes(metric));
  if (unknown || metrics.length === 0) {
    return context.graphError(
      100,
      `(#100) metric[0] must be one of the following values: ${known.join(', ')}`,
      undefined,
      'OAuthException',
    );
  }
  if (media) {
    const data = metrics.map((name) => ({
      name,
      period: 'lifetime',
      values: [{ value: fakeMetric(id, name) }],
      id: `${id}/insights/${name}/lifetime`,
    }));
    return { status: 200, body: { data } };
  }
  if (request.query.period !== 'day') return context.graphError(100, '(#100) The period param is required', undefined, 'OAuthException');
  const total = request.query.metric_type === 'total_value';
  // As Meta since v22.0: an account's views only as a total, follower_count only as a series.
  if (!total && metrics.includes('views')) {
    return context.graphError(
      100,
      '(#100) The following metrics (views) should be specified with parameter metric_type=total_value',
      undefined,
      'OAuthException',
    );
  }
  if (total && metrics.includes('follower_count')) {
    return context.graphError(
      100,
      '(#100) metric_type=total_value is not supported for the follower_count metric',
      undefined,
      'OAuthException',
    );
  }
  const since = Number(request.query.since);
  const until = Number(request.query.until);
  if (!Number.isInteger(since) || !Number.isInteger(until) || until <= since) {
    return context.graphError(100, '(#100) since and until must be Unix times, since before until', undefined, 'OAuthException');
  }
  const days: string[] = [];
  for (let t = since; t < until; t += 86_400) days.push(new Date(t * 1000).toISOString().slice(0, 10));
  const sum = (name: string) => days.reduce((all, date) => all + fakeMetric(id, name, date), 0);
  if (total)
    return {
      status: 200,
      body: { data: metrics.map((name) => ({ name, period: 'day', total_value: { value: sum(name) }, id: `${id}/insights/${name}/day` })) },
    };
  const data = metrics
    .filter((name) => name !== 'follower_count' || state.followerCount)
    .map((name) => ({
      name,
      period: 'day',
      values: days.map((date) => ({ value: fakeMetric(id, name, date), end_time: `${date}T23:59:59+0000` })),
      id: `${id}/insights/${name}/day`,
    }));
  return { status: 200, body: { data } };
}
