import { errors, type Clock } from '../../shared/index.js';
import type { JobLog } from '../../jobs/index.js';
import type { PersonaRepository } from '../../personas/index.js';
import { requireOwnedPost, type Post, type PostRepository } from '../../publishing/index.js';
import type { PostInsight } from '../insights.js';
import type { InsightsTokens } from '../insights-tokens.js';
import { isLive, type InsightsFetch } from '../insights-fetch.js';
import { InsightsFailure } from '../ports/insights-graph.js';
import type { InsightsStore } from '../ports/insights-store.js';
import { storyAlive } from './capture-story-insights.js';

/** How long one caller's claim on a stale post's refresh holds (a Meta call's time budget, and some). */
export const REFRESH_CLAIM_MS = 60_000;

/**
 * A published post's insights: the stored answer while it is younger than INSIGHTS_REFRESH_MINUTES, else
 * Meta's, stored. Concurrent requests for a stale post share one Meta call: one in flight per post in this
 * process, and a claim on the stored row across instances (the others serve the stored row meanwhile).
 * When Meta cannot answer (down, rate limited, or a story past its 24 h) the stored answer is served as it
 * is, with its fetched_at (a story past its 24 hours: no Meta call, its last reading is final); without
 * one: 502 upstream_unavailable or 429 rate_limited. 190: 401 persona_oauth_expired (and
 * needs_reconnect); a link without the insights permission: 403 insights_permission_missing.
 */
export class GetPostInsights {
  private readonly inFlight = new Map<number, Promise<PostInsight>>();

  constructor(
    private readonly posts: PostRepository,
    private readonly personas: PersonaRepository,
    private readonly store: InsightsStore,
    private readonly tokens: InsightsTokens,
    private readonly fetcher: InsightsFetch,
    private readonly clock: Clock,
    private readonly log: JobLog,
    private readonly refreshMs: number,
  ) {}

  async execute(userId: number, postId: number): Promise<PostInsight> {
    const post = await requireOwnedPost(this.posts, userId, postId);
    if (!isLive(post)) throw errors.postNotPublished();
    const stored = await this.store.findPost(post.id);
    const now = this.clock.now();
    if (stored && now.getTime() - stored.fetchedAt.getTime() < this.refreshMs) return stored;
    // Meta keeps a story's insights only while it is live: after that the last stored reading is final.
    if (stored && post.kind === 'story' && !storyAlive(post, now)) return stored;
    let pending = this.inFlight.get(post.id);
    if (!pending) {
      pending = this.refreshOnce(post, stored, now).finally(() => this.inFlight.delete(post.id));
      this.inFlight.set(post.id, pending);
    }
    return pending;
  }

  /**
   * Across instances: a stale stored row is refreshed by whichever claims it (the store's compare-and-set);
   * the others serve it as it is meanwhile. A post never answered yet has no row to claim: each instance
   * asks once.
   */
  private async refreshOnce(
    post: Post & { igMediaId: string; publishedAt: Date },
    stored: PostInsight | null,
    now: Date,
  ): Promise<PostInsight> {
    const staleAt = new Date(now.getTime() - this.refreshMs);
    if (stored && !(await this.store.claimRefresh(post.id, staleAt, now, REFRESH_CLAIM_MS))) return stored;
    return this.refresh(post, stored);
  }

  private async refresh(post: Post & { igMediaId: string; publishedAt: Date }, stored: PostInsight | null): Promise<PostInsight> {
    const persona = await this.personas.findOwned(post.userId, { id: post.personaId });
    if (!persona?.instagram) {
      if (stored) return stored;
      throw errors.personaNotLinked();
    }
    const token = await this.tokens.read(persona, persona.instagram);
    try {
      return await this.fetcher.post(persona, token, post);
    } catch (error) {
      if (!(error instanceof InsightsFailure)) throw error;
      switch (error.kind) {
        case 'token_expired':
          throw errors.personaOauthExpired();
        case 'permission_missing':
          throw errors.insightsPermissionMissing();
        case 'rate_limited':
          if (stored) return stored;
          throw errors.rateLimited(Math.max(1, this.fetcher.retryAfterSeconds(persona)));
        default:
          this.log.warn({ postId: post.id, kind: error.kind, metaCode: error.metaCode }, 'Meta gave no insights for a post');
          if (stored) return stored;
          throw errors.upstreamUnavailable();
      }
    }
  }
}
