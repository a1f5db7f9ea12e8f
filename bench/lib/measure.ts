/**
 * One measurement: a fresh server, a discarded warm-up, the measured wrk run with the CPU time the
 * server (and mariadbd) spent during it, then the server is stopped.
 */
import type { BenchContext } from './context.js';
import { CLOCK_TICKS_PER_SECOND, cpuTicks, perCpuJiffies, processTree, rssKb, startServer, stop } from './processes.js';
import { serverSpec } from './servers.js';
import type { Variant } from './variants.js';
import { runWrk, type SocketErrors, type WrkLoad } from './wrk.js';

export interface Timing {
  warmS: number;
  durS: number;
}

export interface Measurement {
  round: number;
  id: string;
  name: string;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  durationS: number;
  bytesPerResponse: number;
  socketErrors: number;
  socketErrorsByKind: SocketErrors;
  non2xx: number;
  serverCpuUsPerReq: number;
  /** mariadbd's CPU time per request; null on SQLite (in the server's process) or a remote database. */
  dbCpuUsPerReq: number | null;
  /** Busy fraction of each CPU during the measured run (other work on the machine shows here). */
  cpuBusy: Record<string, number>;
  startupMs: number;
  rssStartMb: number;
  rssEndMb: number;
  at: string;
}

const usPerRequest = (ticks: number, requests: number) => ((ticks / CLOCK_TICKS_PER_SECOND) * 1e6) / Math.max(1, requests);

export function wrkEnv(ctx: BenchContext, load: WrkLoad): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, COOKIES_FILE: load.cookiesFile ?? ctx.seeded.cookiesFile };
}

export async function measure(ctx: BenchContext, variant: Variant, round: number, timing: Timing): Promise<Measurement> {
  const server = await startServer(await serverSpec(ctx, variant.server));
  // The peer has a database of its own, possibly on a local MariaDB while the run is on SQLite.
  const dbPid = variant.server === 'fastapi' ? (ctx.peer?.dbPid ?? null) : ctx.dbPid;
  const env = wrkEnv(ctx, variant.load);
  try {
    const rssStartKb = rssKb(server.pid);
    if (timing.warmS > 0) await runWrk(server.port, variant.load, timing.warmS, env);
    const pids = processTree(server.pid);
    const dbPids = dbPid === null ? [] : [dbPid];
    const [server0, db0, cpus0] = [cpuTicks(pids), cpuTicks(dbPids), perCpuJiffies()];
    const result = await runWrk(server.port, variant.load, timing.durS, env);
    const [server1, db1, cpus1] = [cpuTicks(pids), cpuTicks(dbPids), perCpuJiffies()];
    return {
      round,
      id: variant.id,
      name: variant.name,
      rps: result.rps,
      p50Ms: result.latencyMs.p50,
      p90Ms: result.latencyMs.p90,
      p99Ms: result.latencyMs.p99,
      maxMs: result.latencyMs.max,
      requests: result.requests,
      durationS: result.durationS,
      bytesPerResponse: result.bytesPerResponse,
      socketErrors: result.socketErrors,
      socketErrorsByKind: result.socketErrorsByKind,
      non2xx: result.non2xx,
      serverCpuUsPerReq: usPerRequest(server1 - server0, result.requests),
      dbCpuUsPerReq: dbPid === null ? null : usPerRequest(db1 - db0, result.requests),
      cpuBusy: Object.fromEntries(
        Object.keys(cpus1).map((cpu) => [cpu, (cpus1[cpu].busy - cpus0[cpu].busy) / Math.max(1, cpus1[cpu].total - cpus0[cpu].total)]),
      ),
      startupMs: server.startupMs,
      rssStartMb: rssStartKb / 1024,
      rssEndMb: rssKb(server.pid) / 1024,
      at: new Date().toISOString(),
    };
  } finally {
    await stop(server);
  }
}

type Outcome = Pick<Measurement, 'name' | 'round' | 'requests' | 'socketErrors' | 'socketErrorsByKind' | 'non2xx'>;

/** Why a run does not count (the smoke fails on any): no requests, socket errors, error statuses. */
export function problemsOf(run: Outcome): string[] {
  const where = `r${run.round} ${run.name}`;
  const kinds = Object.entries(run.socketErrorsByKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`);
  return [
    ...(run.requests === 0 ? [`${where}: no requests completed`] : []),
    ...(run.socketErrors > 0 ? [`${where}: ${run.socketErrors} socket errors (${kinds.join(', ')})`] : []),
    ...(run.non2xx > 0 ? [`${where}: ${run.non2xx} responses with an error status`] : []),
  ];
}
