/**
 * The benchmark: real selfstar server vs plain-JS baselines, each its own process pinned to CPU 1,
 * driven by wrk on CPU 0 (the method of ../shared/peers/fastapi-seed/bench.py, so ratios compare).
 *
 *   npm run bench                     build, then ROUNDS (2) interleaved rounds: WARM (3) s warm-up, DUR (10) s measured
 *   npx tsx bench/run.ts --smoke      one short round of everything; fails only when something is broken (CI)
 *   npx tsx bench/run.ts --soak       GET /auth/me until 200k requests, RSS at 100k and 200k
 *   npx tsx bench/run.ts --startup    median of 5 cold starts, production build and tsx development
 *   --out FILE                        the JSON (default bench/results/bench-<time>.json)
 *
 * SQLite in a temp dir by default; with DB_HOST (DB_PORT, DB_USER, DB_PASS) the scratch MariaDB/MySQL
 * database BENCH_DB_NAME (selfstar_bench), dropped and recreated. Only 127.0.0.1 is ever sent traffic.
 * The FastAPI peer (../shared/peers/fastapi-seed) is measured in the same rounds, on the run's MariaDB
 * or, on SQLite, the local one at 127.0.0.1:3306 (skipped with a note when none answers), in the scratch
 * database <BENCH_DB_NAME>_peer; its python packages are installed with apt-get when missing.
 * NODE=<path to node> runs selfstar and the baselines on that node (default: the Node 24 that .ci/run
 * caches, else this process's node); npm and npx overwrite NODE: NODE=… node_modules/.bin/tsx bench/run.ts.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanup, cleanupOnSignals } from './lib/cleanup.js';
import { createContext } from './lib/context.js';
import { functionalCheck } from './lib/functional-check.js';
import { problemsOf } from './lib/measure.js';
import { factsText, machineFacts, peerRatioText, summarize, summaryTable, writeResults } from './lib/report.js';
import { runRounds } from './lib/rounds.js';
import { soak, soakSummary } from './lib/soak.js';
import { startupTimes } from './lib/startup.js';
import { variants, wantsPeer } from './lib/variants.js';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    startup: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
  strict: true,
});
const modes = (['smoke', 'soak', 'startup'] as const).filter((mode) => flags[mode]);
if (modes.length > 1) throw new Error(`choose one of --${modes.join(', --')}`);
const mode: (typeof modes)[number] | 'rounds' = modes.length > 0 ? modes[0] : 'rounds';

function envNumber(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a non-negative ${integer ? 'integer' : 'number'} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

const smoke = mode === 'smoke';
const rounds = smoke ? 1 : envNumber('ROUNDS', 2, true);
const timing = smoke ? { warmS: 0.5, durS: 1 } : { warmS: envNumber('WARM', 3, false), durS: envNumber('DUR', 10, false) };
if (timing.durS < 0.1 || rounds < 1) throw new Error('DUR must be at least 0.1 and ROUNDS at least 1');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = flags.out ?? join(import.meta.dirname, 'results', `bench-${stamp}.json`);

async function main(): Promise<number> {
  cleanupOnSignals();
  const ctx = await createContext({ sqliteOnly: mode === 'startup', withPeer: (mode === 'rounds' || mode === 'smoke') && wantsPeer() });
  const facts = await machineFacts(ctx);
  const settings = { mode, rounds, ...timing, wrk: '-t1 -c50', seededUsers: ctx.seeded.users, pngBytes: ctx.png.bytes.length };
  console.log(`selfstar benchmark, ${mode}\n${factsText(facts)}`);
  const results: Record<string, unknown> = { settings, facts };
  let problems: string[];

  if (mode === 'soak') {
    console.log(`soak: GET /auth/me, warm-up ${timing.warmS} s, then 5-s chunks up to 200 000 requests`);
    const result = await soak(ctx, timing.warmS);
    results.soak = result;
    problems = result.problems;
    console.log(soakSummary(result));
  } else if (mode === 'startup') {
    console.log('startup: spawn to the first 200 on /health (SQLite)');
    results.startup = await startupTimes(ctx);
    problems = [];
  } else {
    console.log('functional check');
    await functionalCheck(ctx);
    const list = variants(ctx);
    console.log(`${rounds} round(s) of ${list.length} variants: warm-up ${timing.warmS} s, measured ${timing.durS} s, wrk -t1 -c50`);
    const measurements = await runRounds(ctx, list, rounds, timing);
    const summary = summarize(measurements, list);
    console.log(`\nmedians over ${rounds} round(s); a ratio is the median over the rounds of rps / the baseline's rps in that round:`);
    console.log(summaryTable(summary));
    const peerRatios = peerRatioText(summary);
    if (peerRatios) console.log(`\n${peerRatios}`);
    const vsFastapi = summary.flatMap(({ id, name, vsPeer }) =>
      vsPeer ? [{ id, name, fastapiId: vsPeer.id, ratio: vsPeer.ratio, rounds: vsPeer.rounds }] : [],
    );
    Object.assign(results, { measurements, summary, vsFastapi });
    problems = measurements.flatMap(problemsOf);
  }

  results.problems = problems;
  writeResults(out, results);
  console.log(`\nresults: ${out}`);
  if (problems.length > 0) console.error(`problems (exit 1):\n  ${problems.join('\n  ')}`);
  return problems.length > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup();
}
process.exit(code);
