import { expect } from 'chai';
import { pino } from 'pino';
import type { JobHandler } from '../../core/jobs/index.js';
import { loadConfig } from '../../composition/config.js';
import { inMemoryPersistence } from '../../composition/persistence.js';
import { startServer } from '../../composition/server.js';
import { freePort } from '../support/test-app.js';

const job = { kind: 'test', reference: 'a', dedupeKey: 'test:a', lane: null, runAt: new Date() };

/** A server on its own in-memory store with one due job of kind `test`; what its handler saw. */
async function serverWithDueJob(worker: '0' | '1') {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: String(await freePort()), WORKER: worker });
  const persistence = inMemoryPersistence();
  await persistence.jobs.enqueue(job, new Date());
  const handled: string[] = [];
  const test: JobHandler = async ({ job }) => (handled.push(job.reference), { result: 'done' });
  const running = await startServer({ config, logger: pino({ level: 'silent' }), persistence, jobHandlers: { test } });
  return { running, persistence, handled };
}

describe('the job worker inside the server', () => {
  // A started worker claims at once, and stop() waits for its job: no waiting on time.
  it('WORKER=1: the server runs due jobs, and stop() waits for the running one', async () => {
    const { running, persistence, handled } = await serverWithDueJob('1');
    await running.stop();
    expect(handled).to.deep.equal(['a']);
    expect((await persistence.jobs.findByDedupeKey('test:a'))!.state).to.equal('done');
  });

  it('WORKER=0: HTTP only, the job stays queued; /metrics shows the queue by state', async () => {
    const { running, persistence, handled } = await serverWithDueJob('0');
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    await running.stop();
    expect(handled).to.deep.equal([]);
    expect((await persistence.jobs.findByDedupeKey('test:a'))!.state).to.equal('queued');
    expect(metrics).to.match(/^job_queue_jobs\{state="queued"\} 1$/m);
    expect(metrics).to.match(/^job_queue_jobs\{state="running"\} 0$/m);
    expect(metrics).to.match(/^job_queue_oldest_age_seconds\{state="queued"\} [0-9.e-]+$/m);
  });
});
