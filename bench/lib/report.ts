/**
 * Printing and saving: one line per measurement as it happens, the per-variant summary (medians over
 * rounds; ratios paired within a round), the machine facts, and the JSON file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchContext } from './context.js';
import { databaseVersion } from './database.js';
import type { Measurement } from './measure.js';
import { PINNED } from './processes.js';
import { NODE_HELLO, type Variant } from './variants.js';

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fixed = (value: number | null, digits: number) => (value === null || Number.isNaN(value) ? '–' : value.toFixed(digits));
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

export function measurementLine(m: Measurement): string {
  const cpus = Object.entries(m.cpuBusy)
    .map(([cpu, busy]) => `${cpu} ${Math.round(busy * 100)}%`)
    .join(' ');
  return (
    `  r${m.round} ${m.name.padEnd(42)} ${thousands(m.rps).padStart(7)} rps  p50 ${fixed(m.p50Ms, 2).padStart(6)}` +
    `  p99 ${fixed(m.p99Ms, 2).padStart(7)} ms  err ${m.socketErrors} non2xx ${m.non2xx}` +
    `  srv ${fixed(m.serverCpuUsPerReq, 0)} µs/req${m.dbCpuUsPerReq === null ? '' : `  db ${fixed(m.dbCpuUsPerReq, 0)} µs/req`}` +
    `  ${cpus}  start ${fixed(m.startupMs, 0)} ms  rss ${fixed(m.rssEndMb, 1)} MB`
  );
}

export interface SummaryRow {
  id: string;
  name: string;
  rounds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerReq: number;
  dbCpuUsPerReq: number | null;
  rssEndMb: number;
  startupMs: number;
  socketErrors: number;
  non2xx: number;
  /** Median over rounds of rps / node:http hello's rps in the same round. */
  vsNodeHello: number | null;
  vsBaseline: { id: string; name: string; ratio: number | null } | null;
  /** selfstar ÷ the FastAPI peer on the same route: the median over the rounds, and each round's ratio. */
  vsPeer: { id: string; name: string; ratio: number | null; rounds: { round: number; ratio: number }[] } | null;
}

/** This row's rps divided by the baseline's rps in the same round, for each round both were measured in. */
function roundRatios(runs: Measurement[], all: Measurement[], baselineId: string): { round: number; ratio: number }[] {
  return runs.flatMap((run) => {
    const base = all.find((other) => other.id === baselineId && other.round === run.round);
    return base && base.rps > 0 ? [{ round: run.round, ratio: run.rps / base.rps }] : [];
  });
}

/** Median over the rounds of this row's rps divided by the baseline's rps in the same round. */
function pairedRatio(runs: Measurement[], all: Measurement[], baselineId: string): number | null {
  const ratios = roundRatios(runs, all, baselineId).map((each) => each.ratio);
  return ratios.length ? median(ratios) : null;
}

export function summarize(measurements: Measurement[], list: Variant[]): SummaryRow[] {
  return list.flatMap((variant) => {
    const runs = measurements.filter((m) => m.id === variant.id);
    if (runs.length === 0) return [];
    const of = (pick: (m: Measurement) => number) => median(runs.map(pick));
    const baseline = variant.baseline ? list.find((other) => other.id === variant.baseline) : undefined;
    const peer = variant.peer ? list.find((other) => other.id === variant.peer) : undefined;
    const peerRounds = peer ? roundRatios(runs, measurements, peer.id) : [];
    return [
      {
        id: variant.id,
        name: variant.name,
        rounds: runs.length,
        rps: of((m) => m.rps),
        p50Ms: of((m) => m.p50Ms),
        p99Ms: of((m) => m.p99Ms),
        serverCpuUsPerReq: of((m) => m.serverCpuUsPerReq),
        dbCpuUsPerReq: runs[0].dbCpuUsPerReq === null ? null : of((m) => m.dbCpuUsPerReq ?? Number.NaN),
        rssEndMb: of((m) => m.rssEndMb),
        startupMs: of((m) => m.startupMs),
        socketErrors: runs.reduce((sum, m) => sum + m.socketErrors, 0),
        non2xx: runs.reduce((sum, m) => sum + m.non2xx, 0),
        vsNodeHello: pairedRatio(runs, measurements, NODE_HELLO),
        vsBaseline: baseline ? { id: baseline.id, name: baseline.name, ratio: pairedRatio(runs, measurements, baseline.id) } : null,
        vsPeer:
          peer && peerRounds.length
            ? { id: peer.id, name: peer.name, ratio: median(peerRounds.map((each) => each.ratio)), rounds: peerRounds }
            : null,
      },
    ];
  });
}

export function summaryTable(rows: SummaryRow[]): string {
  const withDb = rows.some((row) => row.dbCpuUsPerReq !== null);
  const withPeer = rows.some((row) => row.vsPeer !== null);
  const header = [
    'variant',
    'n',
    'rps',
    'p50 ms',
    'p99 ms',
    'server µs/req',
    ...(withDb ? ['mariadbd µs/req'] : []),
    'RSS MB',
    'startup ms',
    'err / non-2xx',
    '× node:http hello',
    '× own baseline',
    ...(withPeer ? ['÷ FastAPI'] : []),
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|---|${header
      .slice(1)
      .map(() => '---:|')
      .join('')}`,
  ];
  for (const row of rows) {
    const cells = [
      row.name,
      String(row.rounds),
      thousands(row.rps),
      fixed(row.p50Ms, 2),
      fixed(row.p99Ms, 2),
      fixed(row.serverCpuUsPerReq, 1),
      ...(withDb ? [fixed(row.dbCpuUsPerReq, 1)] : []),
      fixed(row.rssEndMb, 1),
      fixed(row.startupMs, 0),
      `${row.socketErrors} / ${row.non2xx}`,
      fixed(row.vsNodeHello, 3),
      row.vsBaseline ? `${fixed(row.vsBaseline.ratio, 3)} × ${row.vsBaseline.name}` : '',
      ...(withPeer ? [row.vsPeer ? fixed(row.vsPeer.ratio, 2) : ''] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** selfstar ÷ FastAPI per route, with each round's ratio; null when no FastAPI row was measured. */
export function peerRatioText(rows: SummaryRow[]): string | null {
  const lines = rows.flatMap((row) =>
    row.vsPeer
      ? [
          `  ${row.name.replace(/^selfstar /, '').padEnd(24)} ${fixed(row.vsPeer.ratio, 2)}` +
            `  (${row.vsPeer.rounds.map((each) => `r${each.round} ${fixed(each.ratio, 2)}`).join(', ')})`,
        ]
      : [],
  );
  return lines.length ? `selfstar ÷ FastAPI (rps; the median over the rounds of each round's ratio):\n${lines.join('\n')}` : null;
}

function quiet(command: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export interface MachineFacts {
  date: string;
  cpuModel: string;
  nproc: string;
  /** The node selfstar's server ran on (and how it was chosen). */
  nodeServer: string;
  /** The node of the plain-JS baselines: the same as the server's. */
  nodeBaselines: string;
  /** The node of this driver (it only spawns and waits). */
  nodeDriver: string;
  /** The FastAPI peer's runtime and database, or why it was not measured. */
  fastapiPeer: string;
  wrk: string;
  database: string;
  /** The code measured: the commit, `-dirty` when the working tree differs from it. */
  gitDescribe: string;
  pinning: string;
}

export async function machineFacts(ctx: BenchContext): Promise<MachineFacts> {
  const cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const db = ctx.db.kind === 'sqlite' ? 'sqlite' : `mariadb ${ctx.db.mysql.host}:${ctx.db.mysql.port}/${ctx.db.mysql.dbName}`;
  return {
    date: new Date().toISOString(),
    cpuModel,
    nproc: ctx.nproc,
    nodeServer: `${ctx.node.version} (${ctx.node.source}: ${ctx.node.path})`,
    nodeBaselines: `${ctx.node.version} (the server's)`,
    nodeDriver: process.version,
    fastapiPeer: ctx.peerNote,
    wrk: ctx.wrkVersion,
    database: `${db}: ${await databaseVersion(ctx.db)}`,
    gitDescribe: quiet('git', ['describe', '--always', '--dirty'], ctx.repoDir),
    pinning: PINNED
      ? `servers taskset -c 1, wrk and this driver -c 0${ctx.dbPinned ? ', mariadbd (all threads) -c 0' : ''}`
      : 'none (needs taskset and 2 CPUs)',
  };
}

export function factsText(facts: MachineFacts): string {
  return Object.entries(facts)
    .map(([key, value]) => `  ${key}: ${value}`)
    .join('\n');
}

export function writeResults(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
