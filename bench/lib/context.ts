/**
 * Everything a run shares, set up before any server starts: a temp dir (SQLite file, media root,
 * cookies), the seeded database, the PNG, the CPU pinning of the database and of this process, the
 * node the servers run on, and the FastAPI peer when its rows are measured.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { onCleanup } from './cleanup.js';
import { createScratchDatabase, databaseFromEnv, dropScratchDatabase, type DbTarget } from './database.js';
import { localMariadbdPid, pinToCpu0 } from './mariadbd.js';
import { serverNode, type NodeBinary } from './node.js';
import { preparePeer, type Peer } from './peer.js';
import { writeNoisePng, type MediaFile } from './png.js';
import { PINNED } from './processes.js';
import { seed, type Seeded } from './seed.js';
import { SESSION_SECRET } from './servers.js';
import { wrkVersion } from './wrk.js';

export interface BenchContext {
  repoDir: string;
  tmpDir: string;
  mediaRoot: string;
  db: DbTarget;
  seeded: Seeded;
  png: MediaFile;
  tokenEncryptionKey: string;
  /** mariadbd's PID when the run's database is served from this machine (its CPU time is measured). */
  dbPid: number | null;
  /** Whether mariadbd was moved to CPU 0 for the run. */
  dbPinned: boolean;
  wrkVersion: string;
  /** `nproc` before this process pinned itself to one CPU. */
  nproc: string;
  /** The node that runs selfstar and the baselines (NODE=, else the cached Node 24, else this process's). */
  node: NodeBinary;
  /** The FastAPI peer, when its rows are measured and can be. */
  peer: Peer | null;
  /** Where the peer runs, or why it does not: for the facts. */
  peerNote: string;
}

export async function createContext(options: { sqliteOnly: boolean; withPeer: boolean }): Promise<BenchContext> {
  const repoDir = resolve(import.meta.dirname, '..', '..');
  const wrk = wrkVersion();
  const node = serverNode();
  if (!existsSync(join(repoDir, 'dist', 'server.mjs'))) {
    throw new Error('dist/server.mjs is missing: run `npm run build` first (`npm run bench` does)');
  }
  const tmpDir = mkdtempSync(join(tmpdir(), 'selfstar-bench-'));
  onCleanup(`remove ${tmpDir}`, () => rmSync(tmpDir, { recursive: true, force: true }));
  const db = databaseFromEnv(options.sqliteOnly ? {} : process.env, tmpDir);
  if (db.kind === 'mariadb') onCleanup(`drop database ${db.mysql.dbName}`, () => dropScratchDatabase(db));
  await createScratchDatabase(db);
  const seeded = await seed(db, SESSION_SECRET, join(tmpDir, 'cookies.txt'));
  const mediaRoot = join(tmpDir, 'media');
  const png = writeNoisePng(mediaRoot);

  const dbPid = db.kind === 'mariadb' && db.local ? localMariadbdPid() : null;
  let dbPinned = false;
  if (dbPid !== null && PINNED) {
    try {
      pinToCpu0(dbPid);
      dbPinned = true;
    } catch (error) {
      console.warn(`warning: mariadbd (${dbPid}) stays unpinned: ${(error as Error).message}`);
    }
  }
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  // This process only waits on wrk and polls /proc, but keep it off the servers' CPU all the same.
  if (PINNED) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

  const ctx: BenchContext = {
    repoDir,
    tmpDir,
    mediaRoot,
    db,
    seeded,
    png,
    tokenEncryptionKey: randomBytes(32).toString('base64'),
    dbPid,
    dbPinned,
    wrkVersion: wrk,
    nproc,
    node,
    peer: null,
    peerNote: options.withPeer ? '' : 'not measured (not in ONLY, or not in this mode)',
  };
  if (options.withPeer) {
    const prepared = await preparePeer(ctx);
    if ('skipped' in prepared) ctx.peerNote = `not measured: ${prepared.skipped}`;
    else [ctx.peer, ctx.peerNote] = [prepared, `${prepared.versions}; ${prepared.database}`];
  }
  return ctx;
}
