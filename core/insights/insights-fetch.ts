import type { Post } from '../publishing/index.js';
import type { InstagramTokenStore } from '../instagram/index.js';
import type { Persona } from '../personas/index.js';
import type { Clock } from '../shared/index.js';
import type { AccountCounts, AccountDayMetrics, PostInsight } from './insights.js';
import type { InsightsGraph, InsightsToken } from './ports/insights-graph.js';
import { InsightsFailure } from './ports/insights-graph.js';
import type { InsightsStore } from './ports/insights-store.js';

/** How long no Meta call is made for an account after Meta said it is rate limited (codes 4, 17, 32, 613). */
export const RATE_LIMIT_BACKOFF_MS = 5 * 60_000;

/**
 * The Graph calls of insights, for the request's refresh and the daily job alike: a published post's
 * metrics (stored), the account's day and totals. Code 190 marks the persona's token needs_reconnect before the failure goes on. After a rate
 * limit no call is made for that account for RATE_LIMIT_BACKOFF_MS (in this process): the failure is
 * answered at once, so a user's requests never spend the app's remaining Graph calls.
 */
export class InsightsFetch {
  private readonly quietUntil = new Map<string, number>();

  constructor(
    private readonly graph: InsightsGraph,
    private readonly store: InsightsStore,
    private readonly tokens: InstagramTokenStore,
    private readonly clock: Clock,
  ) {}

  accountCounts(persona: Persona, token: InsightsToken): Promise<AccountCounts> {
    return this.call(persona, () => this.graph.accountCounts(token, persona.instagram!.igUserId));
  }

  accountDay(persona: Persona, token: InsightsToken, date: string): Promise<AccountDayMetrics> {
    return this.call(persona, () => this.graph.accountDay(token, persona.instagram!.igUserId, date));
  }

  async post(persona: Persona, token: InsightsToken, post: Post & { igMediaId: string; publishedAt: Date }): Promise<PostInsight> {
    const metrics = await this.call(persona, () => this.graph.mediaInsights(token, post.igMediaId));
    const insight: PostInsight = {
      postId: post.id,
      userId: post.userId,
      personaId: post.personaId,
      permalink: post.permalink,
      publishedAt: post.publishedAt,
      fetchedAt: this.clock.now(),
      metrics,
    };
    await this.store.savePost(insight);
    return insight;
  }

  /** One Graph call for the persona's account, minding its back-off; 190 marks needs_reconnect. */
  private async call<T>(persona: Persona, work: () => Promise<T>): Promise<T> {
    const account = persona.instagram?.igUserId ?? '';
    const now = this.clock.now().getTime();
    const until = this.quietUntil.get(account) ?? 0;
    if (until > now) throw new InsightsFailure('rate_limited', 'Backing off after a rate limit.');
    try {
      return await work();
    } catch (error) {
      if (error instanceof InsightsFailure && error.kind === 'rate_limited') this.quietUntil.set(account, now + RATE_LIMIT_BACKOFF_MS);
      if (error instanceof InsightsFailure && error.kind === 'token_expired')
        await this.tokens.markNeedsReconnect(persona.userId, persona.num);
      throw error;
    }
  }

  /** Seconds until the account may be asked again (0: now). */
  retryAfterSeconds(persona: Persona): number {
    const until = this.quietUntil.get(persona.instagram?.igUserId ?? '') ?? 0;
    return Math.max(0, Math.ceil((until - this.clock.now().getTime()) / 1000));
  }
}

/** A post Meta has: published, with its Instagram media id and publication time. */
export function isLive(post: Post): post is Post & { igMediaId: string; publishedAt: Date } {
  return post.status === 'published' && post.igMediaId !== null && post.publishedAt !== null;
}
