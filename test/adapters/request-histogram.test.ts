import { expect } from 'chai';
import { Histogram, Registry } from 'prom-client';
import { RequestHistogram } from '../../adapters/metrics/request-histogram.js';

describe('RequestHistogram', () => {
  it("writes the same Prometheus text as prom-client's Histogram for the same observations", async () => {
    const buckets = [0.001, 0.01, 0.1, 1];
    const ours = new Registry();
    const theirs = new Registry();
    const histogram = new RequestHistogram('http_request_duration_seconds', 'requests', buckets, ours);
    const reference = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'requests',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [theirs],
    });
    const observations: [string, string, number, number][] = [
      ['GET', '/health', 200, 0.0005],
      ['GET', '/health', 200, 0.001],
      ['GET', '/health', 200, 0.05],
      ['PUT', '/users/me/profile', 422, 2.5],
      ['GET', 'unmatched', 404, 0.002],
    ];
    for (const [method, route, status, seconds] of observations) {
      histogram.observe(method, route, status, seconds);
      reference.observe({ method, route, status: String(status) }, seconds);
    }
    const lines = async (registry: Registry) => (await registry.metrics()).split('\n').sort();
    expect(await lines(ours)).to.deep.equal(await lines(theirs));
    histogram.reset();
    expect((await histogram.get()).values).to.deep.equal([]);
  });
});
