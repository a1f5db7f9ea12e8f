import {
  ACCOUNT_METRICS,
  InsightsFailure,
  POST_METRICS,
  type AccountCounts,
  type AccountDayMetrics,
  type InsightsGraph,
  type InsightsToken,
  type PostMetrics,
} from '../../core/insights/index.js';

/**
 * MOCK_PROVIDERS=1: insights without Meta. Every number is a fixed function of the object (and the day), so
 * a page shows the same numbers on every reload; an account's follower_count and totals grow by the day.
 * Only tokens the mock sign-ins handed out work (FakeMetaGraph's Page tokens, FakeInstagramLoginApi's tokens):
 * any other answers code 190, as an expired one would.
 */
export class FakeInsightsGraph implements InsightsGraph {
  constructor(
    /** The account a token handed out by the fake Facebook or Instagram Login acts for; null for any other. */
    private readonly igUserOfToken: (token: InsightsToken) => string | null,
  ) {}

  async mediaInsights(token: InsightsToken, mediaId: string): Promise<PostMetrics> {
    this.authorize(token);
    return Object.fromEntries(POST_METRICS.map((metric) => [metric, number(`${mediaId}:${metric}`, 2000)])) as PostMetrics;
  }

  async accountDay(token: InsightsToken, igUserId: string, date: string): Promise<AccountDayMetrics> {
    this.authorize(token, igUserId);
    const day = Date.parse(`${date}T00:00:00Z`) / 86_400_000;
    return Object.fromEntries(
      ACCOUNT_METRICS.map((metric) => [
        metric,
        metric === 'follower_count' ? 1000 + (day % 1000) : number(`${igUserId}:${metric}:${date}`, 5000),
      ]),
    ) as AccountDayMetrics;
  }

  async accountCounts(token: InsightsToken, igUserId: string): Promise<AccountCounts> {
    this.authorize(token, igUserId);
    return { followersCount: 1000 + number(igUserId, 500), mediaCount: number(`${igUserId}:media`, 100) };
  }

  private authorize(token: InsightsToken, igUserId?: string): void {
    const owner = this.igUserOfToken(token);
    if (owner === null) throw new InsightsFailure('token_expired', 'Error validating access token: Session has expired.', 190);
    if (igUserId !== undefined && owner !== igUserId) throw new InsightsFailure('not_found', 'Object does not exist.', 100);
  }
}

/** A fixed number below `below` for `key`. */
function number(key: string, below: number): number {
  let hash = 17;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_003;
  return hash % below;
}
