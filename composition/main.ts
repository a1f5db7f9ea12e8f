/**
 * The entry point of `npm start` (tsx, from source). Node ≥ 22.1 keeps compiled code in an on-disk cache,
 * which cuts the time spent loading modules at start-up; Node 20 has no such cache and skips it. The
 * production build starts serve.js from dist/server.mjs instead (scripts/server-entry.mjs).
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { serve } = await import('./serve.js');
await serve();
