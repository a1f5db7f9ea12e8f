import type { Job, JobOutcome, JobQueue, JobRun, NewJob } from '../../jobs/index.js';
import { CHECK_TOKENS_JOB } from '../../instagram/index.js';
import type { PersonaRepository } from '../../personas/index.js';
import type { Clock } from '../../shared/index.js';
import { addDays, startOfDay, utcDate } from '../insights.js';

/** The daily job that queues one persona_insights job per linked persona; one per UTC day (`reference` = the day). */
export const PLAN_INSIGHTS_JOB = 'plan_insights';
/** One persona's day of insights (`reference` = `<user id>:<persona id>:<YYYY-MM-DD>`), deduplicated per persona and day. */
export const PERSONA_INSIGHTS_JOB = 'persona_insights';
/** How long the plan waits for the day's token check before it looks again. */
const TOKEN_CHECK_WAIT_MS = 60_000;

export function personaInsightsJob(userId: number, personaId: number, date: string, runAt: Date): NewJob {
  return {
    kind: PERSONA_INSIGHTS_JOB,
    reference: `${userId}:${personaId}:${date}`,
    dedupeKey: `${PERSONA_INSIGHTS_JOB}:${personaId}:${date}`,
    lane: null,
    runAt,
  };
}

/**
 * Once per UTC day, after that day's token check (check_tokens) has run, so that tokens Meta refuses are
 * already marked: queues a persona_insights job for every linked persona, each deduplicated by persona and
 * day (a plan run twice queues nothing twice). Each run first queues the next day's plan.
 */
export class PlanDailyInsights {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  /** Queues today's plan unless it is queued or ran already today (every worker start calls it). */
  scheduleToday(): Promise<Job> {
    const now = this.clock.now();
    return this.jobs.enqueue(planOf(utcDate(now), now), now);
  }

  readonly handle = async ({ job, signal }: JobRun): Promise<JobOutcome> => {
    const now = this.clock.now();
    const date = job.reference;
    await this.jobs.enqueue(planOf(addDays(date, 1)), now);
    const check = await this.jobs.findByDedupeKey(`${CHECK_TOKENS_JOB}:${date}`);
    if (check && (check.state === 'queued' || check.state === 'running') && check.runAt <= now) {
      return { result: 'later', at: new Date(now.getTime() + TOKEN_CHECK_WAIT_MS) };
    }
    const linked = await this.personas.listLinked();
    for (const persona of linked) {
      signal.throwIfAborted();
      await this.jobs.enqueue(personaInsightsJob(persona.userId, persona.id, date, now), now);
    }
    return { result: 'done' };
  };
}

/** The plan of `date`, due at `runAt` (default: that day's start). */
function planOf(date: string, runAt: Date = startOfDay(date)): NewJob {
  return { kind: PLAN_INSIGHTS_JOB, reference: date, dedupeKey: `${PLAN_INSIGHTS_JOB}:${date}`, lane: null, runAt };
}
