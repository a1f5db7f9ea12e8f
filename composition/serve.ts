/** Loads the configuration, opens the database and serves the API until SIGTERM or SIGINT. */
import 'dotenv/config';
import { createLogger } from '../adapters/logging/create-logger.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { ConfigError, loadConfig } from './config.js';
import { openPersistence } from './persistence.js';
import { startServer } from './server.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Invalid configuration: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
for (const warning of config.warnings) logger.warn(warning);

const metrics = new PrometheusMetrics();
const persistence = await openPersistence(config, metrics);
const running = await startServer({ config, logger, persistence, metrics }).catch(async (error: NodeJS.ErrnoException) => {
  await persistence.close();
  if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
  process.stderr.write(`Cannot listen on ${config.host}:${config.port}: ${error.code} (set PORT or HOST)\n`);
  process.exit(1);
});
logger.info({ host: config.host, port: config.port, database: config.mysql ? 'mysql' : 'sqlite' }, 'selfstar backend listening');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    running
      .stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        // Unhandled, a failed stop would end the process all the same (exit 1), but with the raw error on
        // stderr: past the logger's redaction, which withholds database errors' messages (bound values).
        logger.error({ err }, 'could not stop cleanly');
        process.exit(1);
      });
  });
}
