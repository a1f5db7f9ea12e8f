/**
 * What Instagram says of a post: only the metric names Meta serves since 2025 (`impressions`, `plays` and
 * `video_views` were retired for `views`). A metric Meta refuses or leaves out is null, never 0.
 */
export const POST_METRICS = ['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions'] as const;
/** The account's daily series (`period=day`). */
export const ACCOUNT_METRICS = ['views', 'reach', 'follower_count'] as const;

export type PostMetric = (typeof POST_METRICS)[number];
export type AccountMetric = (typeof ACCOUNT_METRICS)[number];
export type PostMetrics = Record<PostMetric, number | null>;
export type AccountDayMetrics = Record<AccountMetric, number | null>;

/** The last answer Meta gave for a published post, as stored (ss_post_insight). */
export interface PostInsight {
  postId: number;
  userId: number;
  personaId: number;
  /** The post's, copied so a persona's top posts are read from this table alone. */
  permalink: string | null;
  publishedAt: Date;
  fetchedAt: Date;
  metrics: PostMetrics;
}

/** One UTC day of a persona's account (ss_persona_insight_day); a value Meta did not give is null. */
export interface InsightDay {
  personaId: number;
  userId: number;
  /** `YYYY-MM-DD`, UTC. */
  date: string;
  views: number | null;
  reach: number | null;
  /** Null, not 0, on a day Meta gives none (accounts under 100 followers get none). */
  followerCount: number | null;
  /** The account's totals when the daily job stored this day; null on days it did not read them. */
  followersCount: number | null;
  mediaCount: number | null;
}

/** The account's totals now (GET /{ig_user_id}?fields=followers_count,media_count). */
export interface AccountCounts {
  followersCount: number | null;
  mediaCount: number | null;
}

const DAY_MS = 86_400_000;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The UTC day `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return utcDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

/** The instant a UTC day starts. */
export function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** No metric known yet: every one null. */
export function emptyMetrics<M extends string>(names: readonly M[]): Record<M, number | null> {
  return Object.fromEntries(names.map((name) => [name, null])) as Record<M, number | null>;
}
