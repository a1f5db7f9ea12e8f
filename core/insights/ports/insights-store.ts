import type { UserDataStore } from '../../shared/index.js';
import type { InsightDay, PostInsight } from '../insights.js';

/**
 * Insights kept over time: each published post's latest metrics (ss_post_insight) and one row per persona
 * and UTC day (ss_persona_insight_day). Contract: test/contracts/insights-store.contract.ts.
 * Erasing a user deletes both kinds of row of theirs.
 */
export interface InsightsStore extends UserDataStore {
  /** Creates or replaces the post's row (one statement); fetchedAt and publishedAt kept to the millisecond. */
  savePost(insight: PostInsight): Promise<void>;
  findPost(postId: number): Promise<PostInsight | null>;
  /**
   * Claims the refresh of a stored row that is stale (fetchedAt at or before `staleAt`) for `holdMs`, in one
   * compare-and-set statement: true for one caller of any instance until the claim lapses or savePost
   * (which clears it) stores the answer; false when another holds it, the row is fresh, or there is none.
   */
  claimRefresh(postId: number, staleAt: Date, now: Date, holdMs: number): Promise<boolean>;
  /** The persona's posts published at or after `since`, most views first (nulls last, then newest), at most `limit`. */
  topPosts(personaId: number, since: Date, limit: number): Promise<PostInsight[]>;
  /** Creates or replaces the persona's row of `day.date` (one statement). */
  saveDay(day: InsightDay): Promise<void>;
  /** The persona's days from `from` to `to` (`YYYY-MM-DD`, both included), oldest first. */
  listDays(personaId: number, from: string, to: string): Promise<InsightDay[]>;
  /** The persona's latest day whose followersCount or mediaCount is known. */
  latestCounts(personaId: number): Promise<InsightDay | null>;
  /** Deletes every row (posts' and days') of these personas (Meta's notices); idempotent. */
  deleteByPersonas(personaIds: number[]): Promise<void>;
}
