/** Loads the configuration, opens the database and serves the API until SIGTERM or SIGINT. */
import 'dotenv/config';
import { constants } from 'node:os';
import { createLogger } from '../adapters/logging/create-logger.js';
import { stdoutDestination } from '../adapters/logging/stdout-destination.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { loadConfigOrExit } from './config.js';
import { openPersistence } from './persistence.js';
import type { ContainerParts } from './container.js';
import { startServer } from './server.js';

/** After the grace period, how long closing the database may take before the process exits anyway. */
const CLOSE_MARGIN_MS = 3000;
/** How long the last log lines may take to reach stdout; the whole stays under the grace period + 5 s. */
const LOG_FLUSH_MS = 1000;

/** `extraRoutes`: mounted beside the app's (tests that need a slow request in a real process). */
export async function serve(parts: Pick<ContainerParts, 'extraRoutes'> = {}): Promise<void> {
  const config = loadConfigOrExit();

  const stdout = stdoutDestination();
  const logger = createLogger(config.logLevel, stdout.stream);
  for (const warning of config.warnings) logger.warn(warning);

  const metrics = new PrometheusMetrics();
  const persistence = await openPersistence(config, metrics);
  const running = await startServer({ ...parts, config, logger, persistence, metrics }).catch(async (error: NodeJS.ErrnoException) => {
    await persistence.close();
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    process.stderr.write(`Cannot listen on ${config.host}:${config.port}: ${error.code} (set PORT or HOST)\n`);
    process.exit(1);
  });
  logger.info({ host: config.host, port: config.port, database: config.mysql ? 'mysql' : 'sqlite' }, 'selfstar backend listening');

  /**
   * Exits once the log lines are out, within `flushMs`. When they cannot be (stdout's reader is gone or
   * stuck), process.exit would hang writing them, so the process kills itself instead: the lines are
   * lost either way.
   */
  async function exit(code: number, flushMs: number): Promise<void> {
    if (await stdout.flushed(flushMs)) process.exit(code);
    process.kill(process.pid, 'SIGKILL');
  }

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting at once');
        void exit(128 + constants.signals[signal], 100);
        return;
      }
      stopping = true;
      logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
      // Whatever hangs (a request, the database), the process is gone by the grace period + 5 s. Not
      // unref'd: it also keeps the process from ending on its own (pino's synchronous flush) before exit().
      setTimeout(() => {
        logger.error('could not stop within the grace period: exiting');
        void exit(1, LOG_FLUSH_MS);
      }, config.shutdownGraceMs + CLOSE_MARGIN_MS);
      running.stop().then(
        () => {
          logger.info('stopped');
          return exit(0, LOG_FLUSH_MS);
        },
        (err: unknown) => {
          // Unhandled, a failed stop would end the process all the same (exit 1), but with the raw error on
          // stderr: past the logger's redaction, which withholds database errors' messages (bound values).
          logger.error({ err }, 'could not stop cleanly');
          return exit(1, LOG_FLUSH_MS);
        },
      );
    });
  }
}
