/**
 * Child processes of the benchmark: spawning (optionally pinned to a CPU), waiting for a first 200,
 * stopping by PID, and reading their CPU time and memory from /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';

const STOP_GRACE_MS = 5000;
const STARTUP_TIMEOUT_MS = 30_000;
const OUTPUT_TAIL_CHARS = 4000;

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Servers on CPU 1, wrk (and the database) on CPU 0 — only when there are two CPUs to split. */
export const PINNED = hasTaskset && availableParallelism() >= 2;

/** `command` prefixed with `taskset -c <cpu>` when pinning is on. */
export function pinnedTo(cpu: 0 | 1, command: string[]): string[] {
  return PINNED ? ['taskset', '-c', String(cpu), ...command] : command;
}

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export interface Tracked {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  /** The last few KB of its stdout and stderr, for error messages. */
  output(): string;
}

const live = new Set<Tracked>();
/** Set by stopAll: from then on nothing new may start (a signal can arrive while the run goes on). */
let closing = false;

/** Spawns and remembers the process until it exits, so stopAll can end it on any exit path. */
export function track(command: string[], options: { env: NodeJS.ProcessEnv; cwd: string }): Tracked {
  if (closing) throw new Error('the benchmark is stopping');
  const [file, ...args] = command;
  // Its own session, hence its own scheduler autogroup: a server pinned to CPU 1 then gets a full group's share
  // there, instead of a sliver of this session's (whose load sits on CPU 0) next to another session's work.
  const child = spawn(file, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`could not spawn ${command.join(' ')}`);
  let tail = '';
  const keep = (chunk: Buffer | string) => {
    tail = (tail + String(chunk)).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('error', (error) => keep(`\n${error.message}`));
  const tracked: Tracked = {
    child,
    pid: child.pid,
    exited: new Promise((done) => child.once('exit', () => done())),
    output: () => tail,
  };
  live.add(tracked);
  void tracked.exited.then(() => live.delete(tracked));
  return tracked;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready, fail) => server.once('error', fail).listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** One GET on its own connection; resolves with the status, or null when nothing answered. */
function probe(port: number, path: string, headers: Record<string, string>): Promise<number | null> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      done(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(null));
    req.end();
  });
}

export interface ServerSpec {
  label: string;
  command: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  probePath: string;
  probeHeaders?: Record<string, string>;
}

export interface RunningServer extends Tracked {
  port: number;
  /** Spawn to the first 200 on the probe path. */
  startupMs: number;
}

export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const started = performance.now();
  const tracked = track(spec.command, { env: spec.env, cwd: spec.cwd });
  for (;;) {
    const status = await probe(spec.port, spec.probePath, spec.probeHeaders ?? {});
    if (status === 200) break;
    const { exitCode, signalCode } = tracked.child;
    const why =
      exitCode !== null || signalCode !== null
        ? `exited with code ${exitCode ?? signalCode}`
        : performance.now() - started > STARTUP_TIMEOUT_MS
          ? `did not answer 200 on ${spec.probePath} within ${STARTUP_TIMEOUT_MS} ms (last status ${status ?? 'none'})`
          : null;
    if (why) {
      await stop(tracked);
      throw new Error(`${spec.label} ${why}: ${spec.command.join(' ')}\n${tracked.output()}`);
    }
    await sleep(5);
  }
  return { ...tracked, port: spec.port, startupMs: performance.now() - started };
}

/** SIGTERM, then SIGKILL after a grace period; descendants (tsx's child node) are ended by PID too. */
export async function stop(tracked: Tracked): Promise<void> {
  const descendants = processTree(tracked.pid).slice(1);
  if (tracked.child.exitCode === null && tracked.child.signalCode === null) {
    tracked.child.kill('SIGTERM');
    const inTime = await Promise.race([tracked.exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
    if (!inTime) {
      tracked.child.kill('SIGKILL');
      await tracked.exited;
    }
  }
  for (const pid of descendants) {
    for (let waited = 0; existsSync(`/proc/${pid}`) && waited < STOP_GRACE_MS; waited += 50) await sleep(50);
    if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
  }
}

export async function stopAll(): Promise<void> {
  closing = true;
  await Promise.all([...live].map(stop));
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process (or thread) is gone
  }
}

/** The process and all its descendants, parent first. */
export function processTree(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children = tasks.flatMap((task) => (readProc(`/proc/${pid}/task/${task}/children`) ?? '').split(/\s+/).filter(Boolean));
  return [pid, ...children.flatMap((child) => processTree(Number(child)))];
}

/** utime + stime of the given processes (all their threads), in clock ticks. */
export function cpuTicks(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readProc(`/proc/${pid}/stat`);
    if (stat === null) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/** VmRSS summed over the process tree, in KB. */
export function rssKb(pid: number): number {
  let total = 0;
  for (const member of processTree(pid)) {
    const match = /^VmRSS:\s+(\d+)/m.exec(readProc(`/proc/${member}/status`) ?? '');
    if (match) total += Number(match[1]);
  }
  return total;
}

/** Busy and total jiffies per CPU (cpu0, cpu1, …), from /proc/stat. */
export function perCpuJiffies(): Record<string, { busy: number; total: number }> {
  const result: Record<string, { busy: number; total: number }> = {};
  for (const line of (readProc('/proc/stat') ?? '').split('\n')) {
    const match = /^(cpu\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2].split(/\s+/).map(Number);
    result[match[1]] = { busy: user + nice + system + irq + softirq, total: user + nice + system + idle + iowait + irq + softirq + steal };
  }
  return result;
}
