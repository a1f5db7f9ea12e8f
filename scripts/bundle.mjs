/**
 * `npm run build`, second step: bundles tsc's dist/composition/serve.js and its dependencies into one
 * CommonJS function, dist/server.cjs, and writes dist/server.mjs (from scripts/server-entry.mjs), the entry
 * `npm run start:prod` runs, which runs the bundle with a V8 code cache. Why: on one core, resolving and
 * loading about 1,500 module files (and Node parsing every CommonJS package imported from ESM for its export
 * names) was most of a 1.17 s start, and then compiling the bundle a third of what was left
 * (docs/performance.md; server-entry.mjs says how the cache works).
 *
 * CommonJS, not an ES module: V8 can cache a script's code after it has run (what the start compiled),
 * and an ES module's only before. So Node's built-ins are require()d, never imported: an ES import of a
 * built-in builds its ES facade, which reads every lazy getter (on Node 24 node:http's WebSocket loads
 * undici, ~80 ms on one core). The whole bundle runs in strict mode, as it did as an ES module. What a start
 * does not need (the database drivers it does not use, Redis, the migrations, the fake AI's PNG encoder) is
 * only run when imported, as before; a dynamic import() becomes a require().
 *
 * Left outside, loaded from node_modules at run time: native code (libsql, sharp), packages that find their
 * own files on disk (swagger-ui-dist's assets, the migrator's stubs), and the database drivers that knex
 * can name but selfstar never uses. pino is bundled (loading its ~15 files from node_modules was ~40 ms of
 * a one-core start): the server logs through pino.destination, in-process; pino.transport(), whose worker
 * threads load pino's files from disk, would not work from the bundle, and nothing calls it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';
import { precompiledValidatorsCode } from '../dist/composition/config/precompile.js';

/**
 * MikroORM reads its version with require('../../package.json') from @mikro-orm/core/utils (a path
 * that only exists in its own source tree) and falls back to '../package.json'. Left unresolved, the
 * bundle would ask for dist/../../package.json at run time, the package.json of whatever directory
 * holds the checkout, and MikroORM refuses to start when that version is not its own. So both are
 * pinned to @mikro-orm/core's own package.json.
 */
const mikroOrmVersion = {
  name: 'mikro-orm-version',
  setup(bundle) {
    const own = createRequire(import.meta.url).resolve('@mikro-orm/core/package.json');
    bundle.onResolve({ filter: /^(\.\.\/)+package\.json$/ }, (args) =>
      /@mikro-orm[\\/]core[\\/]utils$/.test(args.resolveDir) ? { path: own } : undefined,
    );
  },
};

/**
 * loadConfig's validator compiled here rather than at every start (~0.2 s on one core): the stub
 * dist/composition/config/precompiled-validators.js gives way to ajv's standalone code for it
 * (composition/config/precompile.ts), whose require() calls the bundle resolves from that folder.
 */
const precompiledConfigValidator = {
  name: 'precompiled-config-validator',
  setup(bundle) {
    const stub = resolve('dist/composition/config/precompiled-validators.js');
    bundle.onLoad({ filter: /[\\/]precompiled-validators\.js$/ }, (args) =>
      args.path === stub ? { contents: precompiledValidatorsCode('./env-formats.js'), loader: 'js', resolveDir: dirname(stub) } : undefined,
    );
  },
};

/**
 * Koa asks `body instanceof Response` of every body it sets or sends (lib/response.js, lib/application.js).
 * Reading the global Response the first time loads undici with node:http2 and node:tls (~50 ms on one
 * core), so the first JSON answer after a start paid for it. The check is kept but asked second, after
 * the object says it is a Response (Response.prototype's Symbol.toStringTag, which subclasses inherit):
 * the same answer for every body, and undici is loaded only by a body that is a Response. A koa whose
 * sources no longer hold exactly these checks stops the build rather than go unpatched.
 */
const koaResponseChecks = {
  name: 'koa-response-checks',
  setup(bundle) {
    const expected = { 'application.js': 1, 'response.js': 1 };
    bundle.onLoad({ filter: /[\\/]koa[\\/]lib[\\/](application|response)\.js$/ }, (args) => {
      const file = args.path.split(/[\\/]/).at(-1);
      let count = 0;
      const contents = readFileSync(args.path, 'utf8').replace(/\b(body|val) instanceof Response\b/g, (_, name) => {
        count++;
        return `(Object.prototype.toString.call(${name}) === '[object Response]' && ${name} instanceof Response)`;
      });
      if (count !== expected[file]) throw new Error(`koa's ${file}: expected ${expected[file]} instanceof Response, found ${count}`);
      return { contents, loader: 'js' };
    });
  },
};

const external = [
  'libsql',
  '@libsql/*',
  'sharp',
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

const BUNDLE = 'dist/server.cjs';

await build({
  entryPoints: ['dist/composition/serve.js'],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.19',
  external,
  plugins: [mikroOrmVersion, precompiledConfigValidator, koaResponseChecks],
  // A dynamic import() becomes a require(): the bundle runs as a script (server-entry.mjs).
  supported: { 'dynamic-import': false },
  // The bundle is one function, called by server-entry.mjs with CommonJS's arguments; import.meta.url
  // (redoc's assets are found from it) is the bundle's own URL, as it was the module's.
  banner: {
    js: `(function (exports, require, module, __filename, __dirname) {'use strict';const __bundleUrl = require('node:url').pathToFileURL(__filename).href;`,
  },
  footer: { js: '})' },
  define: { 'import.meta.url': '__bundleUrl' },
  logLevel: 'warning',
});

// server-entry.mjs reads the bundle as one byte per character, which V8 stores in half the memory of
// two. esbuild escapes what is beyond ASCII in the code it writes, not in the comments it keeps: the same
// escape (UTF-16 units as \uXXXX), here, changes nothing anywhere in a script, strings and comments alike.
const bundled = Buffer.from(
  readFileSync(BUNDLE, 'utf8').replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`),
  'latin1',
);
writeFileSync(BUNDLE, bundled);
const entry = readFileSync('scripts/server-entry.mjs', 'utf8');
const placeholder = '@BUNDLE_SHA256@';
if (!entry.includes(placeholder)) throw new Error(`scripts/server-entry.mjs has no ${placeholder}`);
writeFileSync('dist/server.mjs', entry.replace(placeholder, createHash('sha256').update(bundled).digest('hex')));
