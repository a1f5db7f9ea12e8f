/**
 * The entry point (`npm start`, `npm run start:prod`). Node ≥ 22.1 keeps compiled code in an on-disk
 * cache, which cuts the time spent loading modules at start-up; Node 20 has no such cache and skips it.
 * serve.js stays a dynamic import: the production bundle splits there (scripts/bundle.mjs), so this file
 * alone is dist/server.mjs and the cache is on before the rest is compiled.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { serve } = await import('./serve.js');
await serve();
