/**
 * `npm run build`, second step: bundles tsc's dist/composition/main.js and its dependencies into
 * dist/server.mjs (the entry `npm run start:prod` runs) and dist/chunks/. Why: on one core, resolving
 * and loading about 1,500 module files (and Node parsing every CommonJS package imported from ESM for
 * its export names) was most of a 1.17 s start (README, Performance).
 *
 * Split into chunks at each dynamic import(): dist/server.mjs is main.js alone, which turns on Node's
 * compile cache before it imports the rest, so on Node ≥ 22.1 the chunks are compiled from the cache
 * after the first start; and what a start does not load (the database drivers it does not use, Redis,
 * the migrations, the fake AI's PNG encoder) is never even parsed.
 *
 * Left outside, loaded from node_modules at run time: native code (libsql, sharp), packages that find their
 * own files on disk (swagger-ui-dist's assets, the migrator's stubs), and the database drivers that knex
 * can name but selfstar never uses. pino is bundled (loading its ~15 files from node_modules was ~40 ms of
 * a one-core start): the server logs through pino.destination, in-process; pino.transport(), whose worker
 * threads load pino's files from disk, would not work from the bundle, and nothing calls it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
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
 * Node's built-in modules through require(), never through an ES import. An ES import of a built-in
 * makes Node build its ES facade, which reads every export once, lazy getters included: on Node 24
 * node:http's WebSocket, CloseEvent and MessageEvent load undici (~80 ms on one core), node:tls
 * computes its root certificates, node:crypto sets up webcrypto, node:process opens stdin. require()
 * hands over the module object as it is, and those getters run only if something reads them. Named
 * imports become property reads on that object, so what each import sees is the same.
 */
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(bundle) {
    bundle.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!builtins.has(args.path)) return undefined;
      if (args.kind === 'import-statement' || args.kind === 'dynamic-import') return { path: args.path, namespace: 'builtin-by-require' };
      return { path: args.path, external: true };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
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

rmSync('dist/chunks', { recursive: true, force: true });
await build({
  entryPoints: { server: 'dist/composition/main.js' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external,
  plugins: [mikroOrmVersion, builtinsByRequire, precompiledConfigValidator, koaResponseChecks],
  // Bundled CommonJS calls require() for Node's built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
