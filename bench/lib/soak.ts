/**
 * --soak: one production server under GET /auth/me in 5-s wrk chunks until 200 000 requests, its RSS
 * read after the warm-up, at 100k and at 200k requests. Memory that keeps growing shows between the last two.
 * RSS is also sampled every 250 ms; the median of the samples taken while the second 100k ran is the
 * figure the memory target is stated in (the saw-tooth of the garbage collector makes single readings move).
 */
import type { BenchContext } from './context.js';
import { problemsOf, wrkEnv } from './measure.js';
import { median } from './report.js';
import { rssKb, startServer, stop } from './processes.js';
import { serverSpec } from './servers.js';
import { runWrk, type WrkLoad } from './wrk.js';

const CHUNK_S = 5;
const HALFWAY = 100_000;
const TARGET = 200_000;
/** 10 minutes of chunks: below ~340 req/s the soak gives up rather than run on. */
const MAX_CHUNKS = 120;
const SAMPLE_MS = 250;

export interface SoakChunk {
  requests: number;
  rps: number;
  p99Ms: number;
  socketErrors: number;
  non2xx: number;
  rssMb: number;
}

export interface SoakResult {
  startupMs: number;
  rssAfterWarmUpMb: number;
  /** RSS and the request count of the chunk that crossed 100k. */
  halfway: { requests: number; rssMb: number } | null;
  end: { requests: number; rssMb: number } | null;
  /** RSS growth from the 100k mark to the 200k mark, in %. */
  growthPct: number | null;
  /** RSS moves with the garbage collector's heap sizing: the highest reading of the soak, for scale. */
  peakRssMb: number;
  /** The median (and range) of the RSS samples taken while the requests from the 100k mark to 200k ran. */
  secondHalfRssMb: { median: number; min: number; max: number; samples: number } | null;
  chunks: SoakChunk[];
  problems: string[];
}

export async function soak(ctx: BenchContext, warmS: number): Promise<SoakResult> {
  const load: WrkLoad = { path: '/auth/me', script: 'report.lua', headers: { Cookie: ctx.seeded.meCookie } };
  const server = await startServer(await serverSpec(ctx, 'selfstar'));
  try {
    if (warmS > 0) await runWrk(server.port, load, warmS, wrkEnv(ctx, load));
    const result: SoakResult = {
      startupMs: server.startupMs,
      rssAfterWarmUpMb: rssKb(server.pid) / 1024,
      halfway: null,
      end: null,
      growthPct: null,
      peakRssMb: 0,
      secondHalfRssMb: null,
      chunks: [],
      problems: [],
    };
    console.log(`  after the warm-up: RSS ${result.rssAfterWarmUpMb.toFixed(1)} MB`);
    let total = 0;
    const secondHalf: number[] = [];
    const sampler = setInterval(() => {
      if (total >= HALFWAY && total < TARGET) secondHalf.push(rssKb(server.pid) / 1024);
    }, SAMPLE_MS);
    while (total < TARGET && result.chunks.length < MAX_CHUNKS) {
      const run = await runWrk(server.port, load, CHUNK_S, wrkEnv(ctx, load));
      total += run.requests;
      const { rps, socketErrors, non2xx } = run;
      const chunk = { requests: total, rps, p99Ms: run.latencyMs.p99, socketErrors, non2xx, rssMb: rssKb(server.pid) / 1024 };
      result.chunks.push(chunk);
      result.peakRssMb = Math.max(result.peakRssMb, chunk.rssMb);
      result.problems.push(...problemsOf({ ...run, name: 'soak GET /auth/me', round: result.chunks.length }));
      console.log(
        `  ${String(total).padStart(7)} requests  ${Math.round(rps)} rps  p99 ${chunk.p99Ms.toFixed(2)} ms` +
          `  RSS ${chunk.rssMb.toFixed(1)} MB`,
      );
      if (result.halfway === null && total >= HALFWAY) result.halfway = { requests: total, rssMb: chunk.rssMb };
      if (run.requests === 0) break;
    }
    clearInterval(sampler);
    if (secondHalf.length > 0) {
      const sorted = secondHalf.sort((a, b) => a - b);
      result.secondHalfRssMb = { median: median(sorted), min: sorted[0], max: sorted[sorted.length - 1], samples: sorted.length };
    }
    if (total >= TARGET) result.end = { requests: total, rssMb: result.chunks[result.chunks.length - 1].rssMb };
    else result.problems.push(`soak: only ${total} of ${TARGET} requests in ${result.chunks.length} chunks`);
    if (result.halfway && result.end) result.growthPct = ((result.end.rssMb - result.halfway.rssMb) / result.halfway.rssMb) * 100;
    return result;
  } finally {
    await stop(server);
  }
}

export function soakSummary(result: SoakResult): string {
  const mark = (at: { requests: number; rssMb: number } | null) => (at ? `${at.rssMb.toFixed(1)} MB at ${at.requests} requests` : '–');
  const growth = result.growthPct === null ? '–' : `${result.growthPct.toFixed(1)} %`;
  const half = result.secondHalfRssMb;
  const secondHalf = half
    ? `median ${half.median.toFixed(1)} MB (${half.min.toFixed(1)}–${half.max.toFixed(1)}, ${half.samples} samples)`
    : '–';
  return (
    `RSS ${result.rssAfterWarmUpMb.toFixed(1)} MB after the warm-up, ${mark(result.halfway)}, ${mark(result.end)};` +
    ` growth from 100k to 200k: ${growth}; peak ${result.peakRssMb.toFixed(1)} MB; while the second 100k ran: ${secondHalf}`
  );
}
