import { raw, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import { JOB_STATES, type Job, type JobQueue, type JobState, type JobStats, type Lease, type NewJob } from '../../core/jobs/index.js';
import { currentEm } from './current-em.js';
import { JobSchema, type JobRow } from './entities.js';
import { translateDbErrors } from './translate-db-errors.js';

/** How many due jobs one claim tries, in order, before it answers none (the others were taken meanwhile). */
const CANDIDATES = 10;
const NO_LEASE = { leaseOwner: null, leaseExpiresAt: null, laneHolder: null } as const;

/**
 * ss_job. A claim is a compare-and-set UPDATE (still due? then mine), which InnoDB's row lock and SQLite's
 * single writer serialize: of two workers, one changes the row and the other changes nothing. Lanes are
 * held by the unique lane_holder column, set while a job runs: a second job of a busy lane violates it.
 */
export class MikroOrmJobQueue implements JobQueue {
  constructor(private readonly em: SqlEntityManager) {}

  enqueue(job: NewJob, now: Date): Promise<Job> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      const row = { ...job, state: 'queued', attempts: 0, createdAt: now, updatedAt: now };
      await em.createQueryBuilder(JobSchema).insert(row).onConflict('dedupeKey').ignore().execute('run');
      const again = { ...row, phase: null, lastError: null, ...NO_LEASE };
      delete (again as Partial<typeof again>).createdAt;
      await em.nativeUpdate(JobSchema, { dedupeKey: job.dedupeKey, state: { $in: ['cancelled', 'failed'] } }, again);
      return (await this.findByDedupeKey(job.dedupeKey))!;
    });
  }

  claim(owner: string, kinds: readonly string[], now: Date, leaseMs: number): Promise<Job | null> {
    return translateDbErrors(async () => {
      if (kinds.length === 0) return null;
      const em = currentEm(this.em);
      const due: FilterQuery<JobRow> = {
        $or: [
          { state: 'queued', runAt: { $lte: now } },
          { state: 'running', leaseExpiresAt: { $lte: now } },
        ],
      };
      const held = await em.find(JobSchema, { laneHolder: { $ne: null } }, { fields: ['laneHolder'], disableIdentityMap: true });
      const freeLane = held.length
        ? { $or: [{ state: 'running' }, { lane: null }, { lane: { $nin: held.map((j) => j.laneHolder!) } }] }
        : {};
      const candidates = await em.find(
        JobSchema,
        { $and: [{ kind: { $in: [...kinds] } }, due, freeLane] },
        { fields: ['id'], orderBy: { runAt: 'asc', id: 'asc' }, limit: CANDIDATES, disableIdentityMap: true },
      );
      const lease = {
        state: 'running',
        leaseOwner: owner,
        leaseExpiresAt: new Date(now.getTime() + leaseMs),
        laneHolder: raw('lane'),
        attempts: raw('attempts + 1'),
        updatedAt: now,
      };
      for (const { id } of candidates) {
        const claimed = await em
          .nativeUpdate(JobSchema, { $and: [{ id }, due] }, lease)
          .catch((e: unknown) => (e instanceof UniqueConstraintViolationException ? 0 : Promise.reject(e)));
        if (claimed === 1) return this.findOne({ id });
      }
      return null;
    });
  }

  extend(lease: Lease, now: Date, leaseMs: number): Promise<boolean> {
    return this.held(lease, { leaseExpiresAt: new Date(now.getTime() + leaseMs), updatedAt: now });
  }

  savePhase(lease: Lease, phase: string, now: Date): Promise<boolean> {
    return this.held(lease, { phase, updatedAt: now });
  }

  complete(lease: Lease, now: Date): Promise<boolean> {
    return this.held(lease, { state: 'done', ...NO_LEASE, updatedAt: now });
  }

  fail(lease: Lease, state: 'failed' | 'needs_attention', error: string, now: Date): Promise<boolean> {
    return this.held(lease, { state, lastError: error, ...NO_LEASE, updatedAt: now });
  }

  retryLater(lease: Lease, runAt: Date, error: string, now: Date): Promise<boolean> {
    return this.held(lease, { state: 'queued', runAt, lastError: error, ...NO_LEASE, updatedAt: now });
  }

  release(lease: Lease, runAt: Date, now: Date): Promise<boolean> {
    return this.held(lease, { state: 'queued', runAt, attempts: raw('attempts - 1'), ...NO_LEASE, updatedAt: now });
  }

  cancel(dedupeKey: string, now: Date): Promise<boolean> {
    return this.update({ dedupeKey, state: 'queued' }, { state: 'cancelled', updatedAt: now });
  }

  reschedule(dedupeKey: string, runAt: Date, now: Date): Promise<boolean> {
    return this.update({ dedupeKey, state: 'queued' }, { runAt, updatedAt: now });
  }

  findByDedupeKey(dedupeKey: string): Promise<Job | null> {
    return translateDbErrors(() => this.findOne({ dedupeKey }));
  }

  stats(now: Date): Promise<JobStats> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      const counts = await em
        .createQueryBuilder(JobSchema)
        .select(['state', raw('count(*) as n')])
        .groupBy('state')
        .execute<{ state: JobState; n: number }[]>();
      const entries = await Promise.all(
        JOB_STATES.map(async (state) => {
          const since = state === 'queued' ? 'runAt' : 'updatedAt';
          const oldest = await em.findOne(JobSchema, { state }, { fields: [since], orderBy: { [since]: 'asc' }, disableIdentityMap: true });
          const ageMs = oldest ? now.getTime() - oldest[since].getTime() : 0;
          const count = Number(counts.find((c) => c.state === state)?.n ?? 0);
          return [state, { count, oldestAgeSeconds: Math.max(0, ageMs) / 1000 }] as const;
        }),
      );
      return Object.fromEntries(entries) as JobStats;
    });
  }

  private async findOne(where: FilterQuery<JobRow>): Promise<Job | null> {
    const row = await currentEm(this.em).findOne(JobSchema, where, { disableIdentityMap: true });
    if (!row) return null;
    const { laneHolder: _, ...job } = row;
    return { ...job, state: row.state as JobState };
  }

  private held(lease: Lease, change: Record<string, unknown>): Promise<boolean> {
    return this.update({ id: lease.jobId, state: 'running', leaseOwner: lease.owner }, change);
  }

  private update(where: FilterQuery<JobRow>, change: Record<string, unknown>): Promise<boolean> {
    return translateDbErrors(async () => (await currentEm(this.em).nativeUpdate(JobSchema, where, change)) === 1);
  }
}
