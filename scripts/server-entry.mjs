/**
 * dist/server.mjs, the production entry (`npm run start:prod`), which scripts/bundle.mjs writes from this
 * file with the bundle's SHA-256 filled in. It runs the bundle, dist/server.cjs (the server and its
 * dependencies as one CommonJS function), through V8 with a code cache.
 *
 * Why: on one core, compiling the bundle's code was a third of a start (about 0.2 s of 0.6 s): V8 parses
 * the whole file, then compiles each function the first time it runs. Node's own compile cache
 * (module.enableCompileCache) keeps only what was compiled before a module ran, which is little; the cache
 * made here is taken once the server listens, so it holds every function the start ran, and the next
 * start deserialises them instead. It works the same on Node 20, which has no compile cache.
 *
 * The cache lives beside the bundle, in dist/.code-cache/ (as trusted as the code itself), one file per
 * bundle, V8 version and architecture; the first start after a build writes it. A cache V8 refuses (other
 * flags, a corrupt file) is made again; a dist/ that cannot be written means every start compiles, as
 * without a cache, and nothing else changes.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

/** Filled in by scripts/bundle.mjs. V8 checks a cache against the length of the source only, so the file is named after its content. */
const BUNDLE_SHA256 = '@BUNDLE_SHA256@';
const bundle = fileURLToPath(new URL('./server.cjs', import.meta.url));
const cacheFile = join(dirname(bundle), '.code-cache', `${BUNDLE_SHA256.slice(0, 16)}-${process.versions.v8}-${process.arch}.bin`);

// For what is still loaded from node_modules (libsql's JavaScript, sharp on first use), on Node ≥ 22.1.
module.enableCompileCache?.();

/** Compiles (from the cache when it holds) and runs the bundle; a function scope, so the source and the cache data are not kept. */
function load() {
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  // ASCII only (scripts/bundle.mjs checks): read as one byte per character, as V8 keeps it.
  const script = new vm.Script(readFileSync(bundle, 'latin1'), {
    filename: pathToFileURL(bundle).href,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
  const fresh = cachedData === undefined || script.cachedDataRejected;
  return { serve: bundleModule.exports.serve, saveCache: fresh ? () => writeCache(script.createCachedData()) : null };
}

function writeCache(data) {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(partial, data);
    renameSync(partial, cacheFile);
  } catch {
    // A read-only dist/: every start compiles, as it would without a cache.
    removeQuietly(partial);
  }
}

/** Removes a file if it is there; a path that cannot hold one (under a file, say) has nothing to remove. */
function removeQuietly(file) {
  try {
    rmSync(file, { force: true });
  } catch {
    // nothing was written there
  }
}

const { serve, saveCache } = load();
await serve();
if (saveCache) setImmediate(saveCache);
