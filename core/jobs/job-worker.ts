import { retryDelayMs } from './job-retry.js';
import type { Clock } from '../shared/index.js';
import type { Job, JobQueue, Lease } from './ports/job-queue.js';

/** What a handler says about its job. `later`: wait (a quota) without counting the try. */
export type JobOutcome =
  | { result: 'done' }
  | { result: 'failed' | 'needs_attention'; error: string }
  | { result: 'retry'; error: string }
  | { result: 'later'; at: Date };

export interface JobRun {
  job: Job;
  /** Writes where the handler got to, before its next external call; throws when the job is no longer ours. */
  savePhase(phase: string): Promise<void>;
  /** Aborted when the worker stops or the lease is lost: stop at the next safe point (between phases). */
  signal: AbortSignal;
}

/** Runs one job of its kind. A throw counts as a transient failure (retried with back-off). */
export type JobHandler = (run: JobRun) => Promise<JobOutcome>;

export interface JobWorkerOptions {
  /** This worker's name (host and pid): each claim's lease owner is this plus a counter. */
  name: string;
  leaseMs: number;
  /** How long to wait after finding no due job. */
  pollMs: number;
  /** [0, 1): the back-off's jitter. */
  random: () => number;
  /** Told how each run of a job ended (its handler's result, or `error` when it threw); runs given up to a stop or a takeover are not told. */
  observeRun?: (kind: string, outcome: JobOutcome['result'] | 'error') => void;
}

export interface JobLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export class LeaseLost extends Error {}

/**
 * Claims due jobs one at a time and runs each with the handler of its kind, beating the lease meanwhile.
 * stop() lets the running job finish, or, when its handler gives up on the abort signal, releases it
 * (the try not counted) for another worker to resume from its last phase.
 */
export class JobWorker {
  private claims = 0;
  private stopping = false;
  private running: Promise<void> | null = null;
  private current: AbortController | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: Readonly<Record<string, JobHandler>>,
    private readonly clock: Clock,
    private readonly options: JobWorkerOptions,
    private readonly log: JobLog,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.current?.abort();
    this.wake?.();
    await this.running;
  }

  /** Claims and runs one due job; false when there was none. */
  async runOnce(): Promise<boolean> {
    const owner = `${this.options.name}#${++this.claims}`;
    const job = await this.queue.claim(owner, Object.keys(this.handlers), this.clock.now(), this.options.leaseMs);
    if (!job) return false;
    const lease = { jobId: job.id, owner };
    const abort = (this.current = new AbortController());
    const heartbeat = setInterval(() => void this.beat(lease, abort), this.options.leaseMs / 3);
    try {
      const savePhase = async (phase: string) => {
        if (await this.queue.savePhase(lease, phase, this.clock.now())) return;
        abort.abort(new LeaseLost());
        throw new LeaseLost(`job ${job.id} was taken over`);
      };
      const outcome = await this.handlers[job.kind]({ job, savePhase, signal: abort.signal });
      await this.record(job, lease, outcome);
      this.options.observeRun?.(job.kind, outcome.result);
    } catch (error) {
      if (abort.signal.reason instanceof LeaseLost) this.log.warn({ jobId: job.id }, 'job taken over by another worker');
      else if (abort.signal.aborted) await this.queue.release(lease, this.clock.now(), this.clock.now());
      else {
        this.log.error({ err: error, jobId: job.id, kind: job.kind }, 'job handler failed');
        this.options.observeRun?.(job.kind, 'error');
        await this.record(job, lease, { result: 'retry', error: error instanceof Error ? error.message : String(error) });
      }
    } finally {
      clearInterval(heartbeat);
      this.current = null;
    }
    return true;
  }

  private async record(job: Job, lease: Lease, outcome: JobOutcome): Promise<void> {
    const now = this.clock.now();
    switch (outcome.result) {
      case 'done':
        await this.queue.complete(lease, now);
        return;
      case 'failed':
      case 'needs_attention':
        await this.queue.fail(lease, outcome.result, outcome.error, now);
        return;
      case 'later':
        await this.queue.release(lease, outcome.at, now);
        return;
      case 'retry': {
        const delay = retryDelayMs(job.attempts, this.options.random());
        if (delay === null) await this.queue.fail(lease, 'failed', outcome.error, now);
        else await this.queue.retryLater(lease, new Date(now.getTime() + delay), outcome.error, now);
      }
    }
  }

  private async beat(lease: Lease, abort: AbortController): Promise<void> {
    const kept = await this.queue.extend(lease, this.clock.now(), this.options.leaseMs).catch((err: unknown) => {
      this.log.warn({ err, jobId: lease.jobId }, 'could not extend the lease');
      return true; // the lease may still hold; the next beat or the phase write will tell
    });
    if (!kept) abort.abort(new LeaseLost());
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const ran = await this.runOnce().catch((err: unknown) => {
        this.log.error({ err }, 'job worker could not claim or record a job');
        return false;
      });
      if (!ran && !this.stopping) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(done, this.options.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  }
}
