import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import type { Container } from 'inversify';
import { JobWorker } from '../core/jobs/index.js';
import { PlanDailyInsights } from '../core/insights/index.js';
import { CheckTokens } from '../core/instagram/index.js';
import { resolve } from './container.js';
import { TOKENS as T } from './tokens.js';

/** The job worker of a built container, started, with today's token check and insights plan queued; its metrics gauges read the same queue. */
export function startJobWorker(container: Container): JobWorker {
  const config = resolve(container, T.Config);
  const queue = resolve(container, T.JobQueue);
  const logger = resolve(container, T.Logger);
  const metrics = resolve(container, T.Metrics);
  const worker = new JobWorker(
    queue,
    resolve(container, T.JobHandlers),
    resolve(container, T.Clock),
    {
      name: `${hostname()}:${process.pid}:${randomInt(1e6)}`.slice(0, 48),
      leaseMs: config.jobLeaseMs,
      pollMs: config.workerPollMs,
      random: Math.random,
      observeRun: (kind, outcome) => metrics.observeJobRun(kind, outcome),
    },
    logger,
  );
  worker.start();
  container
    .get(CheckTokens)
    .scheduleToday()
    .catch((err: unknown) => logger.error({ err }, "could not queue today's token check"));
  container
    .get(PlanDailyInsights)
    .scheduleToday()
    .catch((err: unknown) => logger.error({ err }, "could not queue today's insights plan"));
  return worker;
}
