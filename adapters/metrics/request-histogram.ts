import type { Registry } from 'prom-client';

interface Series {
  /** Observations per bucket, not cumulative (the last one is +Inf). */
  counts: number[];
  sum: number;
}

/**
 * http_request_duration_seconds: a Prometheus histogram by method, route pattern and status, with the
 * same text as prom-client's Histogram. prom-client's observe checks the labels and hashes them into a
 * key on every call, even through a child: ~4% of GET /health. Here a request finds its series through
 * three map lookups and adds to one counter; the text is built only when scraped.
 */
export class RequestHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Map<string, Map<number, Series>>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    let byRoute = this.series.get(method);
    if (!byRoute) this.series.set(method, (byRoute = new Map()));
    let byStatus = byRoute.get(route);
    if (!byStatus) byRoute.set(route, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) byStatus.set(status, (series = { counts: new Array<number>(this.upperBounds.length + 1).fill(0), sum: 0 }));
    let bucket = 0;
    while (bucket < this.upperBounds.length && seconds > this.upperBounds[bucket]) bucket++;
    series.counts[bucket]++;
    series.sum += seconds;
  }

  /** What a prom-client Registry reads at a scrape: cumulative buckets, then the sum and the count. */
  async get() {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const [method, byRoute] of this.series)
      for (const [route, byStatus] of byRoute)
        for (const [status, { counts, sum }] of byStatus) {
          const labels = { method, route, status: String(status) };
          let cumulative = 0;
          counts.forEach((count, bucket) => {
            cumulative += count;
            const le = bucket < this.upperBounds.length ? this.upperBounds[bucket] : '+Inf';
            values.push({ metricName: `${this.name}_bucket`, labels: { le, ...labels }, value: cumulative });
          });
          values.push({ metricName: `${this.name}_sum`, labels, value: sum });
          values.push({ metricName: `${this.name}_count`, labels, value: cumulative });
        }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}
