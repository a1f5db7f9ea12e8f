/** The entry point of `npm run worker`: a job worker with no HTTP server (see run-worker.ts). */
import { runWorker } from './run-worker.js';

await runWorker();
