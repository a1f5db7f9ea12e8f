export * from './errors.js';
export * from './ports/clock.js';
export * from './ports/page.js';
export * from './ports/rate-limiter.js';
export * from './ports/transaction-runner.js';
export * from './ports/user-data-store.js';
