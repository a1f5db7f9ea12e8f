/**
 * --startup: cold starts (spawn to the first 200 on /health) of the built production server and of
 * the development server run from source by tsx, with the RSS of the process tree right after.
 */
import type { BenchContext } from './context.js';
import { rssKb, startServer, stop, type ServerSpec } from './processes.js';
import { median } from './report.js';
import { developmentServerSpec, serverSpec } from './servers.js';

const STARTS = 5;

export interface StartupResult {
  label: string;
  command: string;
  runs: { startupMs: number; rssMb: number }[];
  medianStartupMs: number;
  medianRssMb: number;
}

export async function startupTimes(ctx: BenchContext): Promise<StartupResult[]> {
  const kinds: (() => Promise<ServerSpec>)[] = [() => serverSpec(ctx, 'selfstar'), () => developmentServerSpec(ctx)];
  const results: StartupResult[] = [];
  for (const specOf of kinds) {
    const runs: StartupResult['runs'] = [];
    const spec = await specOf();
    for (let n = 0; n < STARTS; n++) {
      const server = await startServer(n === 0 ? spec : await specOf());
      try {
        runs.push({ startupMs: server.startupMs, rssMb: rssKb(server.pid) / 1024 });
      } finally {
        await stop(server);
      }
    }
    const result = {
      label: spec.label,
      command: spec.command.join(' '),
      runs,
      medianStartupMs: median(runs.map((run) => run.startupMs)),
      medianRssMb: median(runs.map((run) => run.rssMb)),
    };
    console.log(
      `  ${result.label}: median ${result.medianStartupMs.toFixed(0)} ms to the first 200, RSS ${result.medianRssMb.toFixed(1)} MB` +
        `  (${runs.map((run) => run.startupMs.toFixed(0)).join(', ')} ms)`,
    );
    results.push(result);
  }
  return results;
}
