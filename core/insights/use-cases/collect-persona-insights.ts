import type { JobLog, JobOutcome, JobQueue, JobRun } from '../../jobs/index.js';
import type { Persona, PersonaRepository } from '../../personas/index.js';
import type { PostRepository } from '../../publishing/index.js';
import { hasErrorCode, type Clock } from '../../shared/index.js';
import { addDays, type InsightDay } from '../insights.js';
import type { InsightsTokens } from '../insights-tokens.js';
import { isLive, type InsightsFetch } from '../insights-fetch.js';
import { InsightsFailure, type InsightsToken } from '../ports/insights-graph.js';
import type { InsightsStore } from '../ports/insights-store.js';
import { storyAlive, storyInsightsJob } from './capture-story-insights.js';

/** Posts published this recently have their metrics stored by the daily job (every live story among them). */
export const RECENT_POSTS_MS = 7 * 86_400_000;
/** At most this many of a persona's recent posts are asked about per day. */
const RECENT_POSTS_LIMIT = 50;
/** Days rewritten by each run: Meta's numbers settle up to 48 h late. */
const DAYS_REWRITTEN = 2;

/**
 * The persona_insights job (`reference` = `<user id>:<persona id>:<day>`): the account's totals, its
 * daily views, reach and follower_count for the two days before `day` (rewritten each run: Meta's
 * numbers settle late), and the metrics of its posts published in the last 7 days; for each live story
 * also a story_insights job, which reads it once more just before Meta drops it after 24 hours. A persona no longer linked, or whose token is gone: done, nothing stored. 190 marks
 * needs_reconnect; a link without the insights permission is logged and skipped; rate limits and
 * outages are retried with the queue's back-off.
 */
export class CollectPersonaInsights {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly posts: PostRepository,
    private readonly store: InsightsStore,
    private readonly tokens: InsightsTokens,
    private readonly fetcher: InsightsFetch,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly log: JobLog,
  ) {}

  readonly handle = async ({ job, signal }: JobRun): Promise<JobOutcome> => {
    const [userId, personaId, date] = job.reference.split(':');
    const persona = await this.personas.findOwned(Number(userId), { id: Number(personaId) });
    if (!persona?.instagram) return { result: 'done' };
    let token: InsightsToken;
    try {
      token = await this.tokens.read(persona, persona.instagram);
    } catch (error) {
      if (!hasErrorCode(error, 'persona_oauth_expired', 'persona_oauth_required')) throw error;
      this.log.warn({ personaId: persona.id }, 'no usable token for a persona’s insights: skipped');
      return { result: 'done' };
    }
    try {
      await this.storeDays(persona, token, date, signal);
      await this.storeRecentPosts(persona, token, signal);
      return { result: 'done' };
    } catch (error) {
      if (!(error instanceof InsightsFailure)) throw error;
      if (error.kind === 'token_expired' || error.kind === 'permission_missing' || error.kind === 'not_found') {
        this.log.warn({ personaId: persona.id, kind: error.kind, metaCode: error.metaCode }, 'Meta gave no insights for a persona');
        return { result: 'done' };
      }
      return { result: 'retry', error: `${error.kind}: ${error.message}` };
    }
  };

  private async storeDays(persona: Persona, token: InsightsToken, date: string, signal: AbortSignal): Promise<void> {
    const counts = await this.fetcher.accountCounts(persona, token);
    const first = addDays(date, -DAYS_REWRITTEN);
    const stored = await this.store.listDays(persona.id, first, addDays(date, -1));
    for (let back = 1; back <= DAYS_REWRITTEN; back++) {
      signal.throwIfAborted();
      const day = addDays(date, -back);
      const metrics = await this.fetcher.accountDay(persona, token, day);
      const before = stored.find((row) => row.date === day);
      // The totals are the account's now: they go on the latest full day; an older day keeps what it had.
      const totals = back === 1 ? counts : { followersCount: before?.followersCount ?? null, mediaCount: before?.mediaCount ?? null };
      const row: InsightDay = {
        personaId: persona.id,
        userId: persona.userId,
        date: day,
        views: metrics.views,
        reach: metrics.reach,
        followerCount: metrics.follower_count,
        ...totals,
      };
      await this.store.saveDay(row);
    }
  }

  private async storeRecentPosts(persona: Persona, token: InsightsToken, signal: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const since = now.getTime() - RECENT_POSTS_MS;
    const page = await this.posts.listByPersona(persona.userId, persona.id, { status: 'published', limit: RECENT_POSTS_LIMIT });
    for (const post of page.items) {
      if (!isLive(post) || post.publishedAt.getTime() < since) continue;
      signal.throwIfAborted();
      if (storyAlive(post, now)) await this.jobs.enqueue(storyInsightsJob(post, now), now);
      try {
        await this.fetcher.post(persona, token, post);
      } catch (error) {
        // A post Meta no longer has (deleted on Instagram, a story past 24 h) keeps its stored metrics.
        if (!(error instanceof InsightsFailure && error.kind === 'not_found')) throw error;
      }
    }
  }
}
