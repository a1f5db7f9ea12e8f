/**
 * `npm run build`, second step: bundles tsc's dist/composition/main.js and its dependencies into one
 * file, dist/server.mjs, which `npm run start:prod` runs. Why: on one core, resolving and loading about
 * 1,500 module files (and Node parsing every CommonJS package imported from ESM for its export names)
 * was most of a 1.1 s start; the bundle starts in about 0.7 s (README, Performance).
 *
 * Left outside, loaded from node_modules at run time: native code (libsql), packages that find their
 * own files on disk (pino's workers, swagger-ui-dist's assets, the migrator's stubs), and the database
 * drivers that knex can name but selfstar never uses.
 */
import { build } from 'esbuild';

const external = [
  'libsql',
  '@libsql/*',
  'pino',
  'swagger-ui-dist',
  '@mikro-orm/migrations',
  'pg',
  'pg-query-stream',
  'sqlite3',
  'better-sqlite3',
  'oracledb',
  'tedious',
  'mysql',
];

await build({
  entryPoints: ['dist/composition/main.js'],
  outfile: 'dist/server.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external,
  // Bundled CommonJS calls require() for Node's built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
