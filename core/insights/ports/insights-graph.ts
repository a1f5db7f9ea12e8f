import type { AccountCounts, AccountDayMetrics, PostMetrics } from '../insights.js';

/**
 * The token a persona's insights are read with, and so the Graph that takes it: `facebook`, a Facebook
 * Login link's Page token on the Facebook Graph (with appsecret_proof); `instagram`, an Instagram Login
 * link's own token on the Instagram Graph. Never logged.
 */
export interface InsightsToken {
  value: string;
  login: 'facebook' | 'instagram';
}

/**
 * Why Meta gave no insights, as the adapter read its answer (Meta's codes are the adapter's to read):
 * - `token_expired`: code 190, the persona must be linked again;
 * - `permission_missing`: the token lacks the insights permission (codes 10, 200–299): link again to grant it;
 * - `rate_limited`: codes 4, 17, 32, 613: back off;
 * - `not_found`: the object is gone or no longer has insights (a story after 24 h);
 * - `unavailable`: Meta did not answer, answered 5xx or something unreadable.
 */
export type InsightsFailureKind = 'token_expired' | 'permission_missing' | 'rate_limited' | 'not_found' | 'unavailable';

export class InsightsFailure extends Error {
  constructor(
    readonly kind: InsightsFailureKind,
    message: string,
    readonly metaCode: number | null = null,
  ) {
    super(message);
    this.name = 'InsightsFailure';
  }
}

/**
 * The insights calls of the Graph API. Only current metric names are asked for (POST_METRICS,
 * ACCOUNT_METRICS); a metric Meta refuses as no longer supported (code 100) is logged once, left out of
 * every later call and answered null, the others kept. Every other failure is an InsightsFailure.
 */
export interface InsightsGraph {
  /** GET /{ig_media_id}/insights?metric=views,reach,likes,comments,shares,saved,total_interactions. */
  mediaInsights(token: InsightsToken, mediaId: string): Promise<PostMetrics>;
  /** GET /{ig_user_id}/insights?metric=views,reach,follower_count&period=day for one UTC day (`YYYY-MM-DD`). */
  accountDay(token: InsightsToken, igUserId: string, date: string): Promise<AccountDayMetrics>;
  /** GET /{ig_user_id}?fields=followers_count,media_count. */
  accountCounts(token: InsightsToken, igUserId: string): Promise<AccountCounts>;
}
