import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const ENTRY = new URL('../../scripts/server-entry.mjs', import.meta.url);

/**
 * A stand-in for dist/server.cjs, as scripts/bundle.mjs shapes it: one strict function taking CommonJS's
 * arguments whose module exports serve(). Its serve prints what the bundle sees.
 */
const BUNDLE = `(function (exports, require, module, __filename, __dirname) {'use strict';
const { basename } = require('node:path');
module.exports = { serve: async () => console.log(JSON.stringify({ file: basename(__filename), strict: this === undefined })) };
})`;

/** dist/ with that bundle and the entry made from scripts/server-entry.mjs the way scripts/bundle.mjs makes it. */
async function dist(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'selfstar-entry-'));
  await writeFile(join(dir, 'server.cjs'), BUNDLE);
  const sha256 = createHash('sha256').update(BUNDLE).digest('hex');
  await writeFile(join(dir, 'server.mjs'), (await readFile(ENTRY, 'utf8')).replace('@BUNDLE_SHA256@', sha256));
  return dir;
}

async function start(dir: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'server.mjs')], { env: { PATH: process.env.PATH } });
  return JSON.parse(stdout);
}

const cacheOf = async (dir: string) => {
  const [name, ...others] = await readdir(join(dir, '.code-cache'));
  expect(others).to.deep.equal([]);
  const file = join(dir, '.code-cache', name);
  return { name, file, modified: (await stat(file)).mtimeMs, bytes: await readFile(file) };
};

describe('dist/server.mjs (scripts/server-entry.mjs): the bundle with a V8 code cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await dist();
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the bundle's serve(), run in strict mode with CommonJS's arguments", async () => {
    expect(await start(dir)).to.deep.equal({ file: 'server.cjs', strict: true });
  });

  it('writes the cache at the first start, named by bundle, V8 and architecture, and keeps it while V8 takes it', async () => {
    await start(dir);
    const first = await cacheOf(dir);
    const sha256 = createHash('sha256').update(BUNDLE).digest('hex');
    expect(first.name).to.equal(`${sha256.slice(0, 16)}-${process.versions.v8}-${process.arch}.bin`);
    expect(first.bytes.length).to.be.greaterThan(0);
    await new Promise((done) => setTimeout(done, 20));
    expect(await start(dir)).to.deep.equal({ file: 'server.cjs', strict: true });
    expect((await cacheOf(dir)).modified, 'not written again').to.equal(first.modified);
  });

  it('makes a cache V8 refuses again, and starts all the same', async () => {
    await start(dir);
    const { file } = await cacheOf(dir);
    await writeFile(file, 'not a code cache');
    expect(await start(dir)).to.deep.equal({ file: 'server.cjs', strict: true });
    expect((await cacheOf(dir)).bytes.toString()).to.not.equal('not a code cache');
  });

  it('starts without a cache when the cache cannot be written: a folder where the file goes, or a read-only dist/', async () => {
    const sha256 = createHash('sha256').update(BUNDLE).digest('hex');
    const cacheFile = join(dir, '.code-cache', `${sha256.slice(0, 16)}-${process.versions.v8}-${process.arch}.bin`);
    await mkdir(join(cacheFile, 'in-the-way'), { recursive: true }); // the rename onto it fails, even for root
    expect(await start(dir)).to.deep.equal({ file: 'server.cjs', strict: true });
    expect((await stat(cacheFile)).isDirectory(), 'nothing written in its place').to.equal(true);
    expect(await readdir(join(dir, '.code-cache')), 'no partial file left').to.deep.equal([basename(cacheFile)]);
    await rm(join(dir, '.code-cache'), { recursive: true });
    if (process.getuid?.() === 0) return; // root writes into a read-only folder all the same
    await chmod(dir, 0o500);
    expect(await start(dir)).to.deep.equal({ file: 'server.cjs', strict: true });
  });

  it('starts without a cache when .code-cache is not a folder', async () => {
    await writeFile(join(dir, '.code-cache'), '');
    expect(await start(dir)).to.deep.equal({ file: 'server.cjs', strict: true });
    await rm(join(dir, '.code-cache'));
    await mkdir(join(dir, '.code-cache'));
    await start(dir);
    expect((await cacheOf(dir)).bytes.length).to.be.greaterThan(0);
  });
});
