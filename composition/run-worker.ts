/** A process that only runs the job worker (`npm run worker`), until SIGTERM or SIGINT. */
import 'dotenv/config';
import { createLogger } from '../adapters/logging/create-logger.js';
import { loadConfigOrExit } from './config.js';
import { buildContainer, type ContainerParts } from './container.js';
import { startJobWorker } from './job-worker.js';
import { openPersistence } from './persistence.js';

/** `jobHandlers`: beside the app's (tests that need a job kind of their own in a real process). */
export async function runWorker(parts: Pick<ContainerParts, 'jobHandlers'> = {}): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const persistence = await openPersistence(config);
  const worker = startJobWorker(buildContainer({ ...parts, config, logger, persistence }));

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ signal }, 'job worker stopping: finishing or releasing its job');
      void worker
        .stop()
        .then(() => persistence.close())
        .then(
          () => {
            logger.info('job worker stopped');
            process.exit(0);
          },
          (err: unknown) => {
            logger.error({ err }, 'job worker could not stop cleanly');
            process.exit(1);
          },
        );
    });
  }
  logger.info({ database: config.mysql ? 'mysql' : 'sqlite' }, 'selfstar job worker running');
}
