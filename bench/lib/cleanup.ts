/**
 * What has to be undone however the run ends (normally, on an error, on SIGINT/SIGTERM):
 * every started process is stopped first, then the registered steps run newest first.
 */
import { stopAll } from './processes.js';

const steps: { label: string; run: () => unknown }[] = [];
let running: Promise<void> | null = null;

export function onCleanup(label: string, run: () => unknown): void {
  steps.push({ label, run });
}

/** Idempotent: a signal arriving during the normal cleanup waits for the same run. */
export function cleanup(): Promise<void> {
  running ??= (async () => {
    await stopAll();
    for (let step = steps.pop(); step; step = steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup: ${step.label} failed: ${(error as Error).message}`);
      }
    }
  })();
  return running;
}

/**
 * Not `once`: a Ctrl-C reaches this process twice (from the terminal, and relayed by tsx), and the
 * second must not kill it halfway through the cleanup.
 */
export function cleanupOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (running === null) console.error(`\n${signal}: stopping everything the benchmark started`);
      void cleanup().finally(() => process.exit(code));
    });
  }
}
