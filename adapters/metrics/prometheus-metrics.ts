import type { JobState, JobStats } from '../../core/jobs/index.js';
import type { Histogram as HistogramType } from 'prom-client';
// prom-client's parts, not its index (prom-client-parts.d.ts says why).
import collectDefaultMetrics from 'prom-client/lib/defaultMetrics.js';
import Counter from 'prom-client/lib/counter.js';
import Gauge from 'prom-client/lib/gauge.js';
import Histogram from 'prom-client/lib/histogram.js';
import Registry from 'prom-client/lib/registry.js';
import { RequestHistogram } from './request-histogram.js';

const REQUEST_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const QUERY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const STATEMENTS = new Set(['select', 'insert', 'update', 'delete']);

/**
 * The process's own metrics (CPU, memory, event loop lag, GC), registered once per process: a test
 * process builds many apps, and each collectDefaultMetrics call would add its own GC observer.
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

type Child = HistogramType.Internal<string>;

/**
 * One app's Prometheus metrics: HTTP requests by method, declared route pattern and status; database
 * queries by statement and outcome; the pool's connections by state (read at scrape time); and the
 * process metrics. Further sources (the job queue) register their metrics on `registry`.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private readonly requests = new RequestHistogram(
    'http_request_duration_seconds',
    'HTTP requests by method, declared route pattern (`unmatched` for unknown paths) and status; _count counts them',
    REQUEST_BUCKETS,
    this.registry,
  );
  private readonly queries = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database queries by statement (select, insert, update, delete, other) and outcome (ok, error)',
    labelNames: ['statement', 'outcome'],
    buckets: QUERY_BUCKETS,
    registers: [this.registry],
  });
  /** statement → [ok, error] histogram children, made on first use: no label hashing per query either. */
  private readonly queryChildren = new Map<string, [Child | undefined, Child | undefined]>();
  private poolStats: () => Readonly<Record<string, number>> | null = () => null;
  private readonly jobRuns = new Counter({
    name: 'job_runs_total',
    help: "Job runs by this process's worker, by kind and outcome (done, retry, later, failed, needs_attention; error: the handler threw)",
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });

  constructor() {
    const poolStats = () => this.poolStats();
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (used, free, pendingAcquires, pendingCreates)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        for (const [state, count] of Object.entries(poolStats() ?? {})) this.set({ state }, count);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe(method, route, status, seconds);
  }

  /** One query as the ORM reports it: its SQL (only the first word is kept), milliseconds, and whether it failed. */
  observeQuery(sql: string, ms: number, failed: boolean): void {
    const verb = sql.slice(0, sql.indexOf(' ')).toLowerCase();
    const statement = STATEMENTS.has(verb) ? verb : 'other';
    let byOutcome = this.queryChildren.get(statement);
    if (!byOutcome) this.queryChildren.set(statement, (byOutcome = [undefined, undefined]));
    const at = failed ? 1 : 0;
    const child = (byOutcome[at] ??= this.queries.labels(statement, failed ? 'error' : 'ok'));
    child.observe(ms / 1000);
  }

  /** One run of a job by this process's worker, as it ended. */
  observeJobRun(kind: string, outcome: string): void {
    this.jobRuns.inc({ kind, outcome });
  }

  /** Where the pool gauge reads its connection counts by state from, at each scrape. */
  watchPool(stats: () => Readonly<Record<string, number>> | null): void {
    this.poolStats = stats;
  }

  /** Where the job-queue gauges (jobs and the oldest one's age, by state) read from, at each scrape. */
  watchJobs(stats: () => Promise<JobStats>): void {
    const gauge = (name: string, help: string, value: (entry: JobStats[JobState]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['state'],
        registers: [this.registry],
        async collect() {
          // The database down: the gauges keep their last values, and the rest of the scrape still answers.
          for (const [state, entry] of Object.entries((await stats().catch(() => null)) ?? {})) this.set({ state }, value(entry));
        },
      });
    gauge('job_queue_jobs', 'Jobs in the queue by state', (entry) => entry.count);
    gauge(
      'job_queue_oldest_age_seconds',
      'Age of the oldest job by state (queued: since its run_at; else since its last change)',
      (e) => e.oldestAgeSeconds,
    );
  }

  /** The Prometheus text exposition of every metric, the process's included. */
  async text(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }
}
