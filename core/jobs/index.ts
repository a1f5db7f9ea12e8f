export * from './job-retry.js';
export * from './job-worker.js';
export * from './ports/job-queue.js';
