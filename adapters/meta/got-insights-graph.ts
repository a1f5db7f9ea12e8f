import type { Response } from 'got';
import {
  ACCOUNT_METRICS,
  InsightsFailure,
  POST_METRICS,
  emptyMetrics,
  startOfDay,
  type AccountCounts,
  type AccountDayMetrics,
  type InsightsGraph,
  type InsightsToken,
  type PostMetrics,
} from '../../core/insights/index.js';
import { ProviderClient, describeFailure, isSuccess, logField, parseJsonObject, record } from '../outbound/create-http-client.js';
import { appsecretProof } from './appsecret-proof.js';

/** A Graph a link path's token is taken by: its versioned base URL, and the app secret its calls are proven with (null: none). */
export interface GraphEndpoint {
  /** With the version and without a trailing slash, e.g. https://graph.facebook.com/v25.0. */
  baseUrl: string;
  /** appsecret_proof is added when set (the Facebook Graph); the Instagram Graph takes none. */
  appSecret: string | null;
}

export interface InsightsGraphConfig {
  /** Facebook Login links: META_GRAPH_BASE_URL with META_APP_SECRET. */
  facebook: GraphEndpoint;
  /** Instagram Login links: `{INSTAGRAM_GRAPH_URL}/{INSTAGRAM_API_VERSION}`, no proof; null while that path is not built. */
  instagram: GraphEndpoint | null;
}

/** Where a token's calls go: the one function that reads the link path. */
export function graphOf(config: InsightsGraphConfig, token: InsightsToken): GraphEndpoint {
  const endpoint = token.login === 'instagram' ? config.instagram : config.facebook;
  if (!endpoint) throw new InsightsFailure('unavailable', 'No Graph is configured for this link path.');
  return endpoint;
}

const GRAPH_ID = /^[0-9]{1,32}$/;
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const DAY_SECONDS = 86_400;
const TOTAL_ACCOUNT_METRICS = ACCOUNT_METRICS.filter((name) => name === 'views');
const SERIES_ACCOUNT_METRICS = ACCOUNT_METRICS.filter((name) => name !== 'views');

/**
 * The insights calls on the Graph of the token's link path (graphOf): the token and, on the Facebook Graph,
 * its appsecret_proof as query parameters, so URLs are secret and never logged. Only current metric names
 * are asked for. A refusal naming one of them (code 100) is retried once without it: when Meta says the
 * metric is no longer supported it is logged once and never asked for again in this process; when it only
 * does not apply to this media (a story has no `likes`) it is left out of this answer alone.
 */
export class GotInsightsGraph extends ProviderClient<InsightsGraphConfig> implements InsightsGraph {
  private readonly retired = new Set<string>();

  async mediaInsights(token: InsightsToken, mediaId: string): Promise<PostMetrics> {
    return this.insights('media', token, `/${graphId(mediaId)}/insights`, POST_METRICS, {});
  }

  /**
   * Two calls for the day's window: `views` with `metric_type=total_value` (Meta serves an account's views only
   * as a total since v22.0), then `reach` and `follower_count` as the day's series (follower_count has no total).
   */
  async accountDay(token: InsightsToken, igUserId: string, date: string): Promise<AccountDayMetrics> {
    const since = startOfDay(date).getTime() / 1000;
    const window = { period: 'day', since: String(since), until: String(since + DAY_SECONDS) };
    const path = `/${graphId(igUserId)}/insights`;
    const totals = await this.insights('account_day', token, path, TOTAL_ACCOUNT_METRICS, { ...window, metric_type: 'total_value' });
    const series = await this.insights('account_day', token, path, SERIES_ACCOUNT_METRICS, window);
    return { ...totals, ...series };
  }

  async accountCounts(token: InsightsToken, igUserId: string): Promise<AccountCounts> {
    const body = await this.get('account', token, `/${graphId(igUserId)}`, { fields: 'followers_count,media_count' });
    return { followersCount: count(body.followers_count), mediaCount: count(body.media_count) };
  }

  /** The metrics asked of `path`, each null unless Meta gave a number. */
  private async insights<M extends string>(
    step: string,
    token: InsightsToken,
    path: string,
    names: readonly M[],
    query: Record<string, string>,
  ): Promise<Record<M, number | null>> {
    const result = emptyMetrics(names);
    let asked = names.filter((name) => !this.retired.has(name));
    for (let tries = 0; asked.length > 0 && tries <= names.length; tries++) {
      let body: Record<string, unknown>;
      try {
        body = await this.get(step, token, path, { metric: asked.join(','), ...query });
      } catch (error) {
        const refused = error instanceof MetricRefused ? error.refusedOf(asked) : undefined;
        if (!refused || !(error instanceof MetricRefused)) {
          if (error instanceof MetricRefused)
            this.logger.warn({ provider: 'meta', step, graphCode: 100 }, 'Meta refused the insights metrics');
          throw error;
        }
        if (error.retired && !this.retired.has(refused)) {
          this.retired.add(refused);
          this.logger.warn({ provider: 'meta', step, metric: refused }, 'Meta no longer supports an insights metric: left out from now on');
        }
        asked = asked.filter((name) => name !== refused);
        continue;
      }
      for (const entry of Array.isArray(body.data) ? body.data : []) {
        const { name, values, total_value: total } = record(entry);
        if (typeof name !== 'string' || !(asked as string[]).includes(name)) continue;
        const first = Array.isArray(values) ? record(values[0]).value : undefined;
        result[name as M] = count(record(total).value) ?? count(first);
      }
      return result;
    }
    return result;
  }

  /** One GET → the JSON object of a 2xx, or an InsightsFailure (MetricRefused for a refusal naming a metric). */
  private async get(step: string, token: InsightsToken, path: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    const graph = graphOf(this.config, token);
    const url = new URL(`${graph.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('access_token', token.value);
    if (graph.appSecret !== null) url.searchParams.set('appsecret_proof', appsecretProof(graph.appSecret, token.value));
    let response: Response<string>;
    try {
      response = await this.http.get(url.href);
    } catch (error) {
      this.logger.warn({ provider: 'meta', step, failure: describeFailure(error) }, 'Meta did not answer');
      throw new InsightsFailure('unavailable', 'Meta did not answer.');
    }
    const body = parseJsonObject(response.body);
    if (isSuccess(response.statusCode) && body && body.error === undefined) return body;
    const error = record(body?.error);
    const code = typeof error.code === 'number' ? error.code : null;
    const message = typeof error.message === 'string' ? error.message : `HTTP ${response.statusCode}`;
    if (code === 100 && /metric/i.test(message)) throw new MetricRefused(message);
    const failure = insightsFailure(response.statusCode, code, logField(error.error_subcode), message);
    this.logger.warn(
      { provider: 'meta', step, status: response.statusCode, kind: failure.kind, graphCode: code, fbtraceId: logField(error.fbtrace_id) },
      'Meta refused an insights call',
    );
    throw failure;
  }
}

/** Code 100 naming a metric: retired ("no longer supported") or not for this media. */
class MetricRefused extends InsightsFailure {
  readonly retired: boolean;
  constructor(private readonly said: string) {
    super('unavailable', said, 100);
    this.retired = /no longer supported|deprecated/i.test(said);
  }

  /** The metric refused: the one the message calls "the X metric" (or "metric X"), else the first it names. */
  refusedOf<M extends string>(asked: readonly M[]): M | undefined {
    const named = (pattern: (metric: string) => string) => asked.find((metric) => new RegExp(pattern(metric), 'i').test(this.said));
    return named((m) => `\\b${m}\\s+metric\\b|\\bmetric\\s+${m}\\b`) ?? named((m) => `\\b${m}\\b`);
  }
}

function insightsFailure(status: number, code: number | null, subcode: unknown, message: string): InsightsFailure {
  if (code === 190) return new InsightsFailure('token_expired', message, code);
  if (code !== null && RATE_LIMIT_CODES.has(code)) return new InsightsFailure('rate_limited', message, code);
  if (code === 10 || (code !== null && code >= 200 && code <= 299)) return new InsightsFailure('permission_missing', message, code);
  if (status < 500 && code === 100 && subcode === 33) return new InsightsFailure('not_found', message, code);
  return new InsightsFailure('unavailable', message, code);
}

function graphId(id: string): string {
  if (!GRAPH_ID.test(id)) throw new InsightsFailure('not_found', 'Not a Graph object id.');
  return id;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}
