/**
 * One wrk run (`-t1 -c50`, pinned to CPU 0), read back through the JSON line the lua `done()` prints.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pinnedTo, stop, track } from './processes.js';

const LUA_DIR = join(import.meta.dirname, '..', 'lua');

export interface WrkLoad {
  path: string;
  /** A script of bench/lua/: report.lua alone, or one that also builds each request. */
  script: string;
  headers?: Record<string, string>;
  /** COOKIES_FILE for the scripts that pick a random user (default: the seeded selfstar users' cookies). */
  cookiesFile?: string;
}

export interface WrkResult {
  requests: number;
  durationS: number;
  rps: number;
  /** Response bytes (headers included) read per request. */
  bytesPerResponse: number;
  /** connect + read + write + timeout. */
  socketErrors: number;
  socketErrorsByKind: SocketErrors;
  /** wrk's summary.errors.status: responses with a status above 399. */
  non2xx: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export interface SocketErrors {
  connect: number;
  read: number;
  write: number;
  /** Requests unanswered after wrk's default 2 s, counted at each of its checks (they are not cancelled). */
  timeout: number;
}

interface DoneLine {
  requests: number;
  duration_us: number;
  bytes: number;
  err_connect: number;
  err_read: number;
  err_write: number;
  err_status: number;
  err_timeout: number;
  lat_mean_us: number;
  lat_p50_us: number;
  lat_p90_us: number;
  lat_p99_us: number;
  lat_max_us: number;
}

export function wrkVersion(): string {
  try {
    // `wrk -v` prints its version and then the usage, exiting 1.
    return execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0];
  } catch (error) {
    const out = String((error as { stdout?: string }).stdout ?? '');
    if (out.startsWith('wrk ')) return out.split('\n')[0].trim();
    throw new Error('wrk is not installed (Debian/Ubuntu: apt-get install wrk)', { cause: error });
  }
}

/**
 * wrk takes whole seconds only: a fractional duration runs with the next whole second and is ended
 * early with SIGINT, on which wrk stops, measures the time it really ran and still calls done().
 */
export async function runWrk(port: number, load: WrkLoad, seconds: number, env: NodeJS.ProcessEnv): Promise<WrkResult> {
  const headers = Object.entries(load.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const command = pinnedTo(0, [
    'wrk',
    '-t1',
    '-c50',
    `-d${Math.max(1, Math.ceil(seconds))}s`,
    '-s',
    join(LUA_DIR, load.script),
    ...headers,
    `http://127.0.0.1:${port}${load.path}`,
  ]);
  const wrk = track(command, { env, cwd: LUA_DIR });
  const early = Number.isInteger(seconds) ? undefined : setTimeout(() => wrk.child.kill('SIGINT'), seconds * 1000);
  const hung = setTimeout(() => void stop(wrk), (Math.ceil(seconds) + 30) * 1000);
  await wrk.exited;
  clearTimeout(early);
  clearTimeout(hung);
  const line = wrk
    .output()
    .split('\n')
    .find((text) => text.startsWith('JSON{'));
  if (!line) throw new Error(`wrk printed no JSON line (exit ${wrk.child.exitCode ?? wrk.child.signalCode}):\n${wrk.output()}`);
  const done = JSON.parse(line.slice('JSON'.length)) as DoneLine;
  const durationS = done.duration_us / 1e6;
  return {
    requests: done.requests,
    durationS,
    rps: done.requests / durationS,
    bytesPerResponse: done.bytes / Math.max(1, done.requests),
    socketErrors: done.err_connect + done.err_read + done.err_write + done.err_timeout,
    socketErrorsByKind: { connect: done.err_connect, read: done.err_read, write: done.err_write, timeout: done.err_timeout },
    non2xx: done.err_status,
    latencyMs: {
      p50: done.lat_p50_us / 1000,
      p90: done.lat_p90_us / 1000,
      p99: done.lat_p99_us / 1000,
      max: done.lat_max_us / 1000,
    },
  };
}
