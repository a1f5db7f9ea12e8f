import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusMetrics } from '../../adapters/metrics/prometheus-metrics.js';
import { openPersistence } from '../../composition/persistence.js';
import { TOKENS } from '../../composition/tokens.js';
import { parsePrometheusText, sampleValue, type Sample } from '../support/prometheus-text.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-secret-of-at-least-32-chars',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const TOKEN = 'metrics-token-0123456789';

describe('HTTP GET /metrics', () => {
  let app: TestApp;
  afterEach(() => app?.close());

  async function scrape(headers: Record<string, string> = {}): Promise<Sample[]> {
    const res = await app.fetch('/metrics', { headers });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await res.text());
  }

  it('counts and times requests under their declared route pattern and status, unknown paths under one label', async () => {
    app = await startTestApp();
    await app.fetch('/api/personas/12345');
    await app.fetch('/api/personas/777');
    await app.fetch('/health');
    await app.fetch('/no/such/path/1');
    await app.fetch('/no/such/path/2');
    const samples = await scrape();
    const count = (labels: Record<string, string>) => sampleValue(samples, 'http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/api/personas/:id', status: '401' })).to.equal(2);
    expect(count({ method: 'GET', route: '/health', status: '200' })).to.equal(1);
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).to.equal(2);
    const histogram = samples.filter((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.route === '/health');
    expect(histogram.map((s) => s.labels.le)).to.include('+Inf');
    expect(
      samples.some((s) => /12345|no\/such/.test(JSON.stringify(s.labels))),
      'no raw path in a label',
    ).to.equal(false);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total'), 'process metrics').to.be.a('number');
    expect(sampleValue(samples, 'nodejs_eventloop_lag_seconds'), 'process metrics').to.be.a('number');
  });

  it('reports database query timings and the pool, from the real ORM', async () => {
    const metrics = new PrometheusMetrics();
    const persistence = await openPersistence(
      { mysql: null, sqlitePath: join(mkdtempSync(join(tmpdir(), 'selfstar-')), 'm.sqlite') },
      metrics,
    );
    app = await startTestApp({ persistence, rebind: (c) => c.rebind(TOKENS.Metrics).toConstantValue(metrics) });
    const cookie = await app.sessionCookie(42);
    expect((await app.fetch('/auth/me', { headers: { cookie } })).status).to.equal(401); // reads the session: a select
    const samples = await scrape();
    expect(sampleValue(samples, 'db_query_duration_seconds_count', { statement: 'select', outcome: 'ok' })).to.be.greaterThan(0);
    expect(sampleValue(samples, 'db_query_duration_seconds_count', { statement: 'insert', outcome: 'ok' })).to.be.greaterThan(0);
    expect(sampleValue(samples, 'db_pool_connections', { state: 'used' })).to.be.a('number');
    expect(sampleValue(samples, 'db_pool_connections', { state: 'free' })).to.be.greaterThan(0);
  });

  it('with METRICS_TOKEN, answers only `Authorization: Bearer <token>`; 401 not_authenticated otherwise', async () => {
    app = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const res = await app.fetch('/metrics', { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).to.equal(401);
      expect(await res.json()).to.include({ ok: false, error: 'not_authenticated' });
      expect(res.headers.get('www-authenticate')).to.match(/^Bearer/);
    }
    const samples = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(sampleValue(samples, 'http_request_duration_seconds_count', { route: '/metrics', status: '401' })).to.equal(5);
  });

  it('in production: 404 without METRICS_TOKEN, served with it', async () => {
    app = await startTestApp({ env: PRODUCTION });
    const res = await app.fetch('/metrics');
    expect(res.status).to.equal(404);
    expect(await res.json()).to.include({ ok: false, error: 'not_found' });
    await app.close();
    app = await startTestApp({ env: { ...PRODUCTION, METRICS_TOKEN: TOKEN } });
    expect((await app.fetch('/metrics')).status).to.equal(401);
    await scrape({ authorization: `Bearer ${TOKEN}` });
  });
});
