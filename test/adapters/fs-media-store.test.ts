import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, unlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsMediaStore, type MediaStoreIo } from '../../adapters/media/fs-media-store.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const realIo: MediaStoreIo = { writeFile, rename, unlink, mkdir, readFile };
const URL_PATH = '/files';

/** The store, its saves answering the file's name (the URL path checked and cut off). */
function storeAt(root: string, io?: MediaStoreIo) {
  const store = new FsMediaStore(root, URL_PATH, io);
  return {
    async save(...args: Parameters<FsMediaStore['save']>): Promise<string> {
      const url = await store.save(...args);
      expect(url.startsWith(`${URL_PATH}/`), url).to.equal(true);
      return url.slice(URL_PATH.length + 1);
    },
  };
}

describe('FsMediaStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('removes a saved file by its URL, idempotently, and never touches a URL it did not make', async () => {
    const store = new FsMediaStore(dir, URL_PATH);
    const url = await store.save(PNG, 'png');
    const other = await store.save(Uint8Array.from([...PNG, 9]), 'png');
    await writeFile(join(dir, 'notes.txt'), 'not an image');
    await store.remove(url);
    await store.remove(url);
    for (const foreign of [
      '/files/notes.txt',
      '/files/../notes.txt',
      `/elsewhere/${other.slice(URL_PATH.length + 1)}`,
      other.toUpperCase(),
    ]) {
      await store.remove(foreign);
    }
    expect((await readdir(dir)).sort()).to.deep.equal([other.slice(URL_PATH.length + 1), 'notes.txt'].sort());
  });

  it('removing fails when the filesystem does, not when the file is already gone', async () => {
    const url = await new FsMediaStore(dir, URL_PATH).save(PNG, 'png');
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const failing = new FsMediaStore(dir, URL_PATH, { ...realIo, unlink: () => Promise.reject(denied) });
    expect(await failing.remove(url).catch((error: unknown) => error)).to.equal(denied);
  });

  it('reads a saved file back by its URL; null for a missing file or a URL it did not make', async () => {
    const store = new FsMediaStore(dir, URL_PATH);
    const url = await store.save(PNG, 'png');
    await writeFile(join(dir, 'notes.txt'), 'not an image');
    expect(await store.read(url)).to.deep.equal(Buffer.from(PNG));
    for (const foreign of ['/files/notes.txt', '/files/../notes.txt', url.replace(URL_PATH, '/elsewhere')]) {
      expect(await store.read(foreign), foreign).to.equal(null);
    }
    await store.remove(url);
    expect(await store.read(url)).to.equal(null);
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const failing = new FsMediaStore(dir, URL_PATH, { ...realIo, readFile: () => Promise.reject(denied) });
    expect(await failing.read(url).catch((error: unknown) => error)).to.equal(denied);
  });

  it('answers the URL path the file is served at', async () => {
    const url = await new FsMediaStore(dir, '/media').save(PNG, 'png');
    expect(url).to.equal(`/media/${createHash('sha256').update(PNG).digest('hex')}.png`);
  });

  it('names the file by the SHA-256 of its bytes plus the extension, and writes those bytes', async () => {
    const name = await storeAt(dir).save(PNG, 'png');
    expect(name).to.equal(`${createHash('sha256').update(PNG).digest('hex')}.png`);
    expect(new Uint8Array(await readFile(join(dir, name)))).to.deep.equal(PNG);
    expect(await readdir(dir)).to.deep.equal([name]);
  });

  it('gives equal bytes the same name and keeps one file, also when saved concurrently', async () => {
    const store = storeAt(dir);
    const names = await Promise.all([store.save(PNG, 'png'), store.save(PNG, 'png'), store.save(PNG, 'png')]);
    expect(new Set(names).size).to.equal(1);
    expect(await store.save(Uint8Array.from(PNG), 'png')).to.equal(names[0]);
    expect(await readdir(dir)).to.deep.equal([names[0]]);
  });

  it('gives different bytes or extensions different names', async () => {
    const store = storeAt(dir);
    const a = await store.save(PNG, 'png');
    const b = await store.save(Uint8Array.from([...PNG, 5]), 'png');
    const c = await store.save(PNG, 'webp');
    expect(new Set([a, b, c]).size).to.equal(3);
    expect((await readdir(dir)).sort()).to.deep.equal([a, b, c].sort());
  });

  it('creates the root when it is missing', async () => {
    const root = join(dir, 'nested', 'media');
    const name = await storeAt(root).save(PNG, 'jpg');
    expect(await readdir(root)).to.deep.equal([name]);
  });

  it('recreates a root removed while running, from the save after the one that found it gone', async () => {
    const root = join(dir, 'media');
    const store = storeAt(root);
    await store.save(PNG, 'png');
    await rm(root, { recursive: true });
    const failed = await store.save(PNG, 'webp').then(
      () => null,
      (e) => e,
    );
    expect(failed?.code).to.equal('ENOENT');
    const name = await store.save(PNG, 'jpg');
    expect(await readdir(root)).to.deep.equal([name]);
  });

  it('creates the root once, and tries again on the next save when that failed', async () => {
    const root = join(dir, 'media');
    const failure = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    let mkdirs = 0;
    const store = storeAt(root, {
      ...realIo,
      mkdir(path, options) {
        mkdirs += 1;
        return mkdirs === 1 ? Promise.reject(failure) : mkdir(path, options);
      },
    });
    let thrown: unknown;
    await store.save(PNG, 'png').catch((error: unknown) => (thrown = error));
    expect(thrown).to.equal(failure);
    const names = await Promise.all([store.save(PNG, 'png'), store.save(PNG, 'webp')]);
    names.push(await store.save(PNG, 'jpg'));
    expect(mkdirs).to.equal(2);
    expect((await readdir(root)).sort()).to.deep.equal(names.sort());
  });

  it('leaves nothing behind when the write fails halfway', async () => {
    const failure = new Error('disk full');
    const store = storeAt(dir, {
      ...realIo,
      async writeFile(path, data, options) {
        await writeFile(path, data.subarray(0, 4), options);
        throw failure;
      },
    });
    let thrown: unknown;
    await store.save(PNG, 'png').catch((error: unknown) => (thrown = error));
    expect(thrown).to.equal(failure);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('leaves nothing behind when the rename fails', async () => {
    const failure = Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
    const store = storeAt(dir, { ...realIo, rename: () => Promise.reject(failure) });
    let thrown: unknown;
    await store.save(PNG, 'png').catch((error: unknown) => (thrown = error));
    expect(thrown).to.equal(failure);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('writes through a dotfile in the root with flag wx, then renames it into place', async () => {
    const calls: string[] = [];
    const store = storeAt(dir, {
      ...realIo,
      writeFile(path, data, options) {
        calls.push(`write ${path} ${options.flag}`);
        return writeFile(path, data, options);
      },
      rename(from, to) {
        calls.push(`rename ${from} ${to}`);
        return rename(from, to);
      },
    });
    const name = await store.save(PNG, 'png');
    expect(calls).to.have.length(2);
    const temp = calls[0].split(' ')[1];
    expect(temp.startsWith(join(dir, '.tmp-'))).to.equal(true);
    expect(calls[0]).to.equal(`write ${temp} wx`);
    expect(calls[1]).to.equal(`rename ${temp} ${join(dir, name)}`);
  });
});
