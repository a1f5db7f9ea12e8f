/**
 * `queued` → `running` (claimed with a lease) → `done`, `failed`, `needs_attention` (the outcome is unknown:
 * a person must look), or back to `queued` (retry later, or released). `cancelled` when the job's subject
 * went away before it ran.
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'needs_attention';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'failed', 'cancelled', 'needs_attention'];

export interface Job {
  id: number;
  kind: string;
  /** What the job works on (a post id …), for the handler. */
  reference: string;
  dedupeKey: string;
  /** Jobs of one lane (an Instagram account) run one at a time; null: no lane. */
  lane: string | null;
  state: JobState;
  /** Where the handler got to, written before each external call, so a takeover resumes there. */
  phase: string | null;
  runAt: Date;
  /** Claims so far, this one included. */
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewJob {
  kind: string;
  reference: string;
  dedupeKey: string;
  lane: string | null;
  runAt: Date;
}

/** A claimed job as its holder names it: every write below is refused once another worker holds it. */
export interface Lease {
  jobId: number;
  owner: string;
}

export type JobStats = Record<JobState, { count: number; oldestAgeSeconds: number }>;

/**
 * The durable job queue. Contract: test/contracts/job-queue.contract.ts (in memory, SQLite, MariaDB).
 * Writes by a lease holder answer false, changing nothing, when the lease is no longer theirs.
 */
export interface JobQueue {
  /**
   * Adds a job, idempotently by dedupe key: an existing job is returned unchanged, except a `cancelled`
   * or `failed` one, which is queued again (at `runAt`, attempts and phase reset).
   */
  enqueue(job: NewJob, now: Date): Promise<Job>;
  /**
   * Claims one due job of `kinds` for `owner` until now + leaseMs (attempts + 1): a `queued` job whose
   * run_at has come, or a `running` one whose lease has expired (taken over, phase kept). Never a job of a
   * lane in which another job holds a lease, expired or not; never one job to two holders. Null: none.
   */
  claim(owner: string, kinds: readonly string[], now: Date, leaseMs: number): Promise<Job | null>;
  /** The holder's heartbeat: the lease runs until now + leaseMs. */
  extend(lease: Lease, now: Date, leaseMs: number): Promise<boolean>;
  savePhase(lease: Lease, phase: string, now: Date): Promise<boolean>;
  complete(lease: Lease, now: Date): Promise<boolean>;
  /** Ends the job as `failed` or `needs_attention` with `error`. */
  fail(lease: Lease, state: 'failed' | 'needs_attention', error: string, now: Date): Promise<boolean>;
  /** Back to `queued` at `runAt`, the attempt counted, `error` kept. */
  retryLater(lease: Lease, runAt: Date, error: string, now: Date): Promise<boolean>;
  /** Back to `queued` at `runAt`, the attempt not counted (a worker stopping, a quota to wait for). */
  release(lease: Lease, runAt: Date, now: Date): Promise<boolean>;
  /**
   * Cancels the `queued` job of `dedupeKey`; false when there is none (running or finished). Joins the
   * caller's transaction (TransactionRunner), so the job goes with the rows that wanted it.
   */
  cancel(dedupeKey: string, now: Date): Promise<boolean>;
  /** Moves the `queued` job of `dedupeKey` to `runAt`; false when there is none. Joins the caller's transaction. */
  reschedule(dedupeKey: string, runAt: Date, now: Date): Promise<boolean>;
  findByDedupeKey(dedupeKey: string): Promise<Job | null>;
  /** Per state: how many jobs, and the age of the oldest (since its run_at, for `queued`; else since its last change). */
  stats(now: Date): Promise<JobStats>;
}
