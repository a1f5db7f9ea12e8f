import { hasErrorCode, type Clock } from '../../shared/index.js';
import type { JobLog, JobOutcome, JobRun, Job, JobQueue } from '../../jobs/index.js';
import type { Persona, PersonaRepository } from '../../personas/index.js';
import type { PageTokens } from '../page-token.js';
import type { InstagramLoginTokenRefresher } from '../login-token-refresh.js';
import { PublishFailure, type InstagramPublisher } from '../../publishing/index.js';
import type { InstagramTokenStore } from '../ports/instagram-token-store.js';
/** The daily job that checks every linked persona's Page token; one per UTC day (`reference` = the day). */
export const CHECK_TOKENS_JOB = 'check_tokens';
const DAY_MS = 86_400_000;

/**
 * Once a day, for each linked persona: refreshes an Instagram Login token that is due (InstagramLoginTokenRefresher),
 * then asks Meta whether it still takes the token the persona publishes with (GET /{ig_user_id}), and marks the
 * persona `needs_reconnect` when it does not (code 190, or an expired token), before a post finds out. Any
 * other failure is logged and that persona skipped. Each run first queues the next day's.
 */
export class CheckTokens {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly pageTokens: PageTokens,
    private readonly tokens: InstagramTokenStore,
    private readonly publisher: InstagramPublisher,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly log: JobLog,
    private readonly refresher: InstagramLoginTokenRefresher,
  ) {}

  /** Queues today's check, unless it is queued or ran already today (idempotent: every worker start calls it). */
  scheduleToday(): Promise<Job> {
    const now = this.clock.now();
    return this.jobs.enqueue(checkOf(now, now), now);
  }

  readonly handle = async ({ signal }: JobRun): Promise<JobOutcome> => {
    const now = this.clock.now();
    // Queued first, so a run that fails does not end the daily checks.
    await this.jobs.enqueue(checkOf(new Date(startOfUtcDay(now).getTime() + DAY_MS)), now);
    for (const persona of await this.personas.listLinked()) {
      signal.throwIfAborted();
      await this.check(persona);
    }
    return { result: 'done' };
  };

  private async check(persona: Persona): Promise<void> {
    try {
      await this.refresher.refreshIfDue(persona);
      const token = await this.pageTokens.publishingToken(persona, persona.instagram!);
      await this.publisher.checkAccount(token, persona.instagram!.igUserId);
    } catch (err) {
      if ((err instanceof PublishFailure && err.kind === 'token_expired') || hasErrorCode(err, 'persona_oauth_expired')) {
        await this.tokens.markNeedsReconnect(persona.userId, persona.num);
        this.log.warn({ personaId: persona.id }, 'Meta refused a persona’s token: marked needs_reconnect');
      } else {
        this.log.warn({ err, personaId: persona.id }, 'could not check a persona’s token');
      }
    }
  }
}

/** The check of the UTC day of `day`, due at `runAt` (default: that day's start). */
function checkOf(day: Date, runAt: Date = startOfUtcDay(day)) {
  const date = startOfUtcDay(day).toISOString().slice(0, 10);
  return { kind: CHECK_TOKENS_JOB, reference: date, dedupeKey: `${CHECK_TOKENS_JOB}:${date}`, lane: null, runAt };
}

function startOfUtcDay(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / DAY_MS) * DAY_MS);
}
