import { JOB_STATES, type Job, type JobQueue, type JobStats, type Lease, type NewJob } from '../../core/jobs/index.js';

export class InMemoryJobQueue implements JobQueue {
  private readonly jobs: Job[] = [];

  async enqueue(job: NewJob, now: Date): Promise<Job> {
    const existing = this.jobs.find((j) => j.dedupeKey === job.dedupeKey);
    if (existing && existing.state !== 'cancelled' && existing.state !== 'failed') return { ...existing };
    const fresh = { ...job, state: 'queued', phase: null, attempts: 0, leaseOwner: null, leaseExpiresAt: null, updatedAt: now } as const;
    if (existing) return { ...Object.assign(existing, fresh) };
    const created: Job = { id: this.jobs.length + 1, lastError: null, createdAt: now, ...fresh };
    this.jobs.push(created);
    return { ...created };
  }

  async claim(owner: string, kinds: readonly string[], now: Date, leaseMs: number): Promise<Job | null> {
    const held = new Set(this.jobs.filter((j) => j.state === 'running' && j.lane !== null).map((j) => j.lane));
    const due = this.jobs
      .filter((j) => kinds.includes(j.kind))
      .filter((j) => (j.state === 'queued' && j.runAt <= now) || (j.state === 'running' && j.leaseExpiresAt! <= now))
      .filter((j) => j.state === 'running' || j.lane === null || !held.has(j.lane))
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
    const job = due[0];
    if (!job) return null;
    Object.assign(job, {
      state: 'running',
      leaseOwner: owner,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      attempts: job.attempts + 1,
    });
    job.updatedAt = now;
    return { ...job };
  }

  async extend(lease: Lease, now: Date, leaseMs: number): Promise<boolean> {
    return this.held(lease, now, { leaseExpiresAt: new Date(now.getTime() + leaseMs) });
  }

  async savePhase(lease: Lease, phase: string, now: Date): Promise<boolean> {
    return this.held(lease, now, { phase });
  }

  async complete(lease: Lease, now: Date): Promise<boolean> {
    return this.held(lease, now, { state: 'done', ...NO_LEASE });
  }

  async fail(lease: Lease, state: 'failed' | 'needs_attention', error: string, now: Date): Promise<boolean> {
    return this.held(lease, now, { state, lastError: error, ...NO_LEASE });
  }

  async retryLater(lease: Lease, runAt: Date, error: string, now: Date): Promise<boolean> {
    return this.held(lease, now, { state: 'queued', runAt, lastError: error, ...NO_LEASE });
  }

  async release(lease: Lease, runAt: Date, now: Date): Promise<boolean> {
    const job = this.jobs.find((j) => j.id === lease.jobId);
    return this.held(lease, now, { state: 'queued', runAt, attempts: (job?.attempts ?? 1) - 1, ...NO_LEASE });
  }

  async cancel(dedupeKey: string, now: Date): Promise<boolean> {
    return this.queued(dedupeKey, now, { state: 'cancelled' });
  }

  async reschedule(dedupeKey: string, runAt: Date, now: Date): Promise<boolean> {
    return this.queued(dedupeKey, now, { runAt });
  }

  async findByDedupeKey(dedupeKey: string): Promise<Job | null> {
    const job = this.jobs.find((j) => j.dedupeKey === dedupeKey);
    return job ? { ...job } : null;
  }

  async stats(now: Date): Promise<JobStats> {
    const stats = Object.fromEntries(JOB_STATES.map((state) => [state, { count: 0, oldestAgeSeconds: 0 }])) as JobStats;
    for (const job of this.jobs) {
      const entry = stats[job.state];
      const since = job.state === 'queued' ? job.runAt : job.updatedAt;
      entry.count += 1;
      entry.oldestAgeSeconds = Math.max(entry.oldestAgeSeconds, (now.getTime() - since.getTime()) / 1000);
    }
    return stats;
  }

  /** Deletes the jobs of these dedupe keys, whatever their state (the in-memory post repository erasing posts). */
  forget(dedupeKeys: string[]): void {
    this.jobs.splice(0, this.jobs.length, ...this.jobs.filter((j) => !dedupeKeys.includes(j.dedupeKey)));
  }

  private held(lease: Lease, now: Date, change: Partial<Job>): boolean {
    const job = this.jobs.find((j) => j.id === lease.jobId && j.state === 'running' && j.leaseOwner === lease.owner);
    if (!job) return false;
    Object.assign(job, change, { updatedAt: now });
    return true;
  }

  private queued(dedupeKey: string, now: Date, change: Partial<Job>): boolean {
    const job = this.jobs.find((j) => j.dedupeKey === dedupeKey && j.state === 'queued');
    if (!job) return false;
    Object.assign(job, change, { updatedAt: now });
    return true;
  }
}

const NO_LEASE = { leaseOwner: null, leaseExpiresAt: null } as const;
