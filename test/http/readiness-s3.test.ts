import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { inMemoryPersistence } from '../../composition/persistence.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { startS3Server, startSilentServer, type S3Server } from '../support/s3-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** How long the app keeps the bucket's answer (composition/features/images/module.ts). */
const READY_CACHE_MS = 5000;
/** Any secret works with s3rver: this one must never reach a log line. */
const SECRET = 'a-secret-access-key-nobody-may-log';

describe('HTTP /health/ready with MEDIA_STORE=s3: the bucket too (a HeadBucket, cached, bounded by S3_TIMEOUT_MS)', () => {
  let s3: S3Server;
  let app: TestApp;
  let logs: CapturedLogs;
  let clock: FixedClock;
  let mediaRoot: string;

  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());
  beforeEach(async () => {
    mediaRoot = await mkdtemp(join(tmpdir(), 'selfstar-media-'));
  });
  afterEach(async () => {
    await app?.close();
    await rm(mediaRoot, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}, persistence = inMemoryPersistence()) {
    logs = captureLogs();
    clock = new FixedClock(new Date());
    app = await startTestApp({
      env: { MEDIA_ROOT: mediaRoot, ...s3.env, S3_SECRET_ACCESS_KEY: SECRET, ...env },
      logger: logs.logger,
      clock,
      persistence,
    });
  }

  const ready = async () => {
    const res = await app.fetch('/health/ready');
    return { status: res.status, body: await res.json() };
  };
  const pings = () => logs.entries().filter((entry) => entry.msg === 'media store unavailable' && entry.operation === 'ping');

  it('is 200 with media ok while the bucket answers', async () => {
    await start();
    expect(await ready()).to.deep.equal({ status: 200, body: { status: 'ok', db: 'ok', media: 'ok' } });
  });

  it('a stopped bucket is 503 with the contract’s body once the cached answer is older than a few seconds, asked once however many probes come; ready again when it is back, with no restart', async () => {
    await start();
    expect((await ready()).status).to.equal(200);
    await s3.stop();
    try {
      expect((await ready()).status, 'the answer of a moment ago is kept').to.equal(200);
      clock.advance(READY_CACHE_MS);
      const flood = await Promise.all(Array.from({ length: 20 }, () => ready()));
      for (let i = 0; i < 5; i++) flood.push(await ready());
      for (const answer of flood) expect(answer).to.deep.equal({ status: 503, body: { status: 'unavailable', db: 'ok', media: 'down' } });
      expect(pings(), 'one HeadBucket for 25 probes').to.have.length(1);
      expect(pings()[0]).to.include({ bucket: s3.bucket, level: 40 });
      expect(pings()[0]).not.to.have.property('key');

      clock.advance(READY_CACHE_MS);
      expect((await ready()).status).to.equal(503);
      expect(pings(), 'asked again once the answer is old').to.have.length(2);
    } finally {
      await s3.start();
    }
    expect((await ready()).status, 'the failure is kept a few seconds too').to.equal(503);
    clock.advance(READY_CACHE_MS);
    expect(await ready()).to.deep.equal({ status: 200, body: { status: 'ok', db: 'ok', media: 'ok' } });
    expect(logs.text()).not.to.include(SECRET);
    expect(logs.entries().filter((entry) => entry.level >= 50)).to.deep.equal([]);
  });

  it('a bucket that never answers is 503 within S3_TIMEOUT_MS, not a hang', async () => {
    const silent = await startSilentServer();
    try {
      await start({ S3_ENDPOINT: silent.url, S3_TIMEOUT_MS: '500' });
      const started = Date.now();
      expect(await ready()).to.deep.equal({ status: 503, body: { status: 'unavailable', db: 'ok', media: 'down' } });
      expect(Date.now() - started).to.be.below(2000);
      expect(pings().map((line) => line.reason)).to.deep.equal(['timed out']);
    } finally {
      await silent.close();
    }
  });

  it('readiness answers within its own second even when S3_TIMEOUT_MS is longer', async () => {
    const silent = await startSilentServer();
    try {
      await start({ S3_ENDPOINT: silent.url, S3_TIMEOUT_MS: '30000' });
      const started = Date.now();
      expect(await ready()).to.deep.equal({ status: 503, body: { status: 'unavailable', db: 'ok', media: 'down' } });
      expect(Date.now() - started).to.be.below(5000);
    } finally {
      await silent.close();
    }
  });

  it('a database that is down is 503 whatever the bucket says, and each is named', async () => {
    const persistence = inMemoryPersistence();
    await start({}, persistence);
    persistence.ping = () => Promise.reject(new Error('down'));
    expect(await ready()).to.deep.equal({ status: 503, body: { status: 'unavailable', db: 'down', media: 'ok' } });
  });
});
