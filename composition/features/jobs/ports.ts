import { InMemoryJobQueue } from '../../../adapters/in-memory/in-memory-job-queue.js';
import { MikroOrmJobQueue } from '../../../adapters/persistence/mikro-orm-job-queue.js';
import type { JobQueue } from '../../../core/jobs/index.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';

export const JOBS = {
  JobQueue: token<JobQueue>('JobQueue'),
};

export const JOBS_STORES = {
  jobs: store(JOBS.JobQueue, MikroOrmJobQueue, () => new InMemoryJobQueue()),
};
