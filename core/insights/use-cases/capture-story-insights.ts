import type { JobLog, JobOutcome, JobRun, NewJob } from '../../jobs/index.js';
import type { PersonaRepository } from '../../personas/index.js';
import type { Post, PostRepository } from '../../publishing/index.js';
import { hasErrorCode } from '../../shared/index.js';
import type { InsightsTokens } from '../insights-tokens.js';
import { isLive, type InsightsFetch } from '../insights-fetch.js';
import { InsightsFailure } from '../ports/insights-graph.js';

/** A story's last reading before Meta drops it (`reference` = `<user id>:<post id>`), one per story. */
export const STORY_INSIGHTS_JOB = 'story_insights';
/** Meta keeps a story, and its insights, this long after it went out. */
export const STORY_LIFETIME_MS = 24 * 3_600_000;
/** The last reading is taken this long before the story's end. */
const BEFORE_END_MS = 30 * 60_000;

/** Whether a published story is still live on Instagram at `now`. */
export function storyAlive(post: Post, now: Date): boolean {
  return post.kind === 'story' && post.publishedAt !== null && now.getTime() - post.publishedAt.getTime() < STORY_LIFETIME_MS;
}

/** The job that reads a live story's metrics half an hour before it ends (at once when that is past). */
export function storyInsightsJob(post: Post & { publishedAt: Date }, now: Date): NewJob {
  const lastReading = post.publishedAt.getTime() + STORY_LIFETIME_MS - BEFORE_END_MS;
  return {
    kind: STORY_INSIGHTS_JOB,
    reference: `${post.userId}:${post.id}`,
    dedupeKey: `${STORY_INSIGHTS_JOB}:${post.id}`,
    lane: null,
    runAt: new Date(Math.max(now.getTime(), lastReading)),
  };
}

/**
 * The story_insights job, queued by the daily persona_insights job for each live story: its metrics read
 * and stored once more just before Meta drops them, so the stored numbers are its final ones. A story
 * gone, unlinked or refused: done, the last stored reading kept; rate limits and outages: retried.
 */
export class CaptureStoryInsights {
  constructor(
    private readonly posts: PostRepository,
    private readonly personas: PersonaRepository,
    private readonly tokens: InsightsTokens,
    private readonly fetcher: InsightsFetch,
    private readonly log: JobLog,
  ) {}

  readonly handle = async ({ job }: JobRun): Promise<JobOutcome> => {
    const [userId, postId] = job.reference.split(':').map(Number);
    const post = await this.posts.findOwned(userId, postId);
    if (!post || !isLive(post)) return { result: 'done' };
    const persona = await this.personas.findOwned(userId, { id: post.personaId });
    if (!persona?.instagram) return { result: 'done' };
    try {
      await this.fetcher.post(persona, await this.tokens.read(persona, persona.instagram), post);
      return { result: 'done' };
    } catch (error) {
      if (hasErrorCode(error, 'persona_oauth_expired', 'persona_oauth_required')) return { result: 'done' };
      if (!(error instanceof InsightsFailure)) throw error;
      if (error.kind === 'rate_limited' || error.kind === 'unavailable')
        return { result: 'retry', error: `${error.kind}: ${error.message}` };
      this.log.warn({ postId: post.id, kind: error.kind, metaCode: error.metaCode }, 'Meta gave no last reading of a story');
      return { result: 'done' };
    }
  };
}
