import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { migrateMedia, type MigrationOptions, type MigrationTarget } from '../../adapters/media/media-migration.js';
import { S3MediaStore } from '../../adapters/media/s3-media-store.js';
import type { ImageExtension } from '../../core/images/index.js';
import { S3_CREDENTIALS, startS3Server, type S3Server } from '../support/s3-server.js';

const URL_PATH = '/media';
const TYPES: Record<ImageExtension, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };
/** Entries a MediaStore never names: a note, a half-written temp file, a name in capitals, a directory with a media name. */
const NOT_MEDIA = ['notes.txt', '.tmp-0123abcd', `${'A'.repeat(64)}.png`, 'image.png'];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

describe('migrateMedia: MEDIA_ROOT into a bucket (s3rver on loopback)', () => {
  let s3: S3Server;
  let client: S3Client;
  let dir: string;
  let root: string;
  let prefix: string;
  let store: S3MediaStore;
  /** The media files written under root: name → bytes. */
  let files: Map<string, Buffer>;
  let testNumber = 0;

  before(async () => {
    s3 = await startS3Server();
    client = new S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials: S3_CREDENTIALS });
  });
  after(async () => {
    client.destroy();
    await s3.close();
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-migrate-'));
    root = join(dir, 'media');
    await mkdir(root);
    prefix = `run${++testNumber}/`; // each test its own keys
    store = storeWith(prefix);
    files = new Map();
    const extensions: ImageExtension[] = ['png', 'jpg', 'webp', 'png', 'jpg', 'webp', 'png'];
    for (const [index, extension] of extensions.entries()) {
      const bytes = randomBytes(500 + index * 3000);
      const name = `${sha256(bytes)}.${extension}`;
      files.set(name, bytes);
      await writeFile(join(root, name), bytes);
    }
    for (const name of NOT_MEDIA) await writeFile(join(root, name), 'not a media file');
    await mkdir(join(root, `${'b'.repeat(64)}.jpg`));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function storeWith(keyPrefix: string): S3MediaStore {
    const options = { bucket: s3.bucket, region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, prefix: keyPrefix };
    return new S3MediaStore(
      { ...options, credentials: S3_CREDENTIALS, publicBaseUrl: null, timeoutMs: 5000 },
      URL_PATH,
      pino({ level: 'silent' }),
    );
  }

  const run = (target: MigrationTarget = store, options: Partial<MigrationOptions> = {}) =>
    migrateMedia({ root, target, urlPath: URL_PATH, ...options });

  /** The store, counting its saves. */
  function counted(): MigrationTarget & { saves: string[] } {
    const saves: string[] = [];
    return {
      saves,
      stat: (url) => store.stat(url),
      save: async (bytes, extension) => {
        const url = await store.save(bytes, extension);
        saves.push(url.slice(URL_PATH.length + 1));
        return url;
      },
    };
  }

  async function keys(): Promise<string[]> {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return (listed.Contents ?? []).map((object) => object.Key!.slice(prefix.length)).sort();
  }

  async function object(name: string): Promise<{ bytes: Buffer; contentType?: string; cacheControl?: string }> {
    const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${name}` }));
    return { bytes: Buffer.from(await got.Body!.transformToByteArray()), contentType: got.ContentType, cacheControl: got.CacheControl };
  }

  const totalBytes = () => [...files.values()].reduce((sum, bytes) => sum + bytes.length, 0);

  it('copies every media file byte for byte, with its content type, ignores every other entry and leaves the disk alone', async () => {
    const before = await readdir(root);
    const summary = await run();
    expect(summary).to.deep.include({
      totalFiles: files.size,
      totalBytes: totalBytes(),
      doneFiles: files.size,
      doneBytes: totalBytes(),
      copied: files.size,
      copiedBytes: totalBytes(),
      skipped: 0,
      failed: 0,
      vanished: 0,
      ignored: NOT_MEDIA.length + 1,
      notTried: 0,
      stopped: null,
      failures: [],
    });
    expect(await keys()).to.deep.equal([...files.keys()].sort());
    for (const [name, bytes] of files) {
      const copied = await object(name);
      expect(copied.bytes.equals(bytes), name).to.equal(true);
      expect(copied.contentType).to.equal(TYPES[name.split('.')[1] as ImageExtension]);
      expect(copied.cacheControl).to.equal('public, max-age=31536000, immutable');
      // The hash the next run compares, written by S3MediaStore.save with the bytes.
      const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${name}` }));
      expect(head.Metadata?.sha256).to.equal(name.split('.')[0]);
      expect(await store.stat(`${URL_PATH}/${name}`)).to.deep.equal({ size: bytes.length, sha256: sha256(bytes), md5: md5(bytes) });
      // What the server's S3MediaStore reads back is the same file.
      expect((await store.read(`${URL_PATH}/${name}`))!.equals(bytes)).to.equal(true);
    }
    expect(await store.stat(`${URL_PATH}/notes.txt`)).to.equal(null);
    expect((await readdir(root)).sort()).to.deep.equal(before.sort());
    for (const [name, bytes] of files) expect((await readFile(join(root, name))).equals(bytes)).to.equal(true);
  });

  it('a second run copies nothing: every key already holds its file (same size and SHA-256)', async () => {
    await run();
    const target = counted();
    const summary = await run(target);
    expect(summary).to.deep.include({ copied: 0, copiedBytes: 0, skipped: files.size, failed: 0, doneFiles: files.size });
    expect(target.saves).to.deep.equal([]);
  });

  it('re-copies a key that holds other bytes (same size, another size, or a wrong sha256 in its metadata), and only those', async () => {
    await run();
    const [sameSize, otherSize, wrongHash] = [...files.keys()];
    const put = (name: string, body: Buffer, metadata?: Record<string, string>) =>
      client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${name}`, Body: body, Metadata: metadata }));
    await put(sameSize, randomBytes(files.get(sameSize)!.length));
    await put(otherSize, files.get(otherSize)!.subarray(1), { sha256: otherSize.split('.')[0] });
    await put(wrongHash, randomBytes(files.get(wrongHash)!.length), { sha256: '0'.repeat(64) });

    const target = counted();
    const summary = await run(target);
    expect(target.saves.sort()).to.deep.equal([sameSize, otherSize, wrongHash].sort());
    expect(summary).to.deep.include({ copied: 3, skipped: files.size - 3, failed: 0 });
    expect(summary.copiedBytes).to.equal([sameSize, otherSize, wrongHash].reduce((sum, name) => sum + files.get(name)!.length, 0));
    for (const name of [sameSize, otherSize, wrongHash]) expect((await object(name)).bytes.equals(files.get(name)!)).to.equal(true);
  });

  it('skips an object written by other means (no sha256 metadata) whose ETag is the MD5 of the same bytes', async () => {
    const [name] = files.keys();
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${name}`, Body: files.get(name) }));
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${name}` }));
    expect(head.Metadata?.sha256).to.equal(undefined);
    const target = counted();
    const summary = await run(target);
    expect(summary).to.deep.include({ copied: files.size - 1, skipped: 1 });
    expect(target.saves).not.to.include(name);
  });

  it('interrupted midway, a second run copies the rest and nothing twice', async () => {
    const interrupt = new AbortController();
    const first = counted();
    const interrupting: MigrationTarget = {
      stat: (url) => first.stat(url),
      save: async (bytes, extension) => {
        const url = await first.save(bytes, extension);
        if (first.saves.length === 2) interrupt.abort();
        return url;
      },
    };
    const stopped = await run(interrupting, { signal: interrupt.signal, concurrency: 2 });
    expect(stopped.stopped).to.equal('interrupted');
    expect(stopped.failed).to.equal(0);
    expect(stopped.copied).to.be.within(2, 3); // the one in flight beside the second save finishes too
    expect(stopped.notTried).to.equal(files.size - stopped.copied);
    expect(await keys()).to.deep.equal([...first.saves].sort());

    const second = counted();
    const resumed = await run(second);
    expect(resumed).to.deep.include({ copied: files.size - stopped.copied, skipped: stopped.copied, failed: 0, stopped: null });
    expect(second.saves.filter((name) => first.saves.includes(name))).to.deep.equal([]);
    expect(await keys()).to.deep.equal([...files.keys()].sort());
  });

  it('a bucket that fails after two uploads: counted as failures, stops after too many in a row, and a later run finishes', async () => {
    const failing = counted();
    const failures: string[] = [];
    const summary = await run(
      {
        stat: (url) => failing.stat(url),
        save: async (bytes, extension) => {
          if (failing.saves.length >= 2) throw new Error('media_store_unavailable');
          return failing.save(bytes, extension);
        },
      },
      { concurrency: 1, maxFailuresInARow: 3, onFailure: (name, reason) => failures.push(`${name}: ${reason}`) },
    );
    expect(summary).to.deep.include({ copied: 2, failed: 3, skipped: 0, notTried: files.size - 5, stopped: 'failures' });
    expect(summary.failures.map(({ reason }) => reason)).to.deep.equal(Array(3).fill('media_store_unavailable'));
    expect(failures).to.deep.equal(summary.failures.map(({ name, reason }) => `${name}: ${reason}`));

    const resumed = await run();
    expect(resumed).to.deep.include({ copied: files.size - 2, skipped: 2, failed: 0, stopped: null });
    expect(await keys()).to.deep.equal([...files.keys()].sort());
  });

  it('fails a file whose bytes do not hash to its name, copying nothing under that name, and goes on', async () => {
    const [name] = files.keys();
    await writeFile(join(root, name), randomBytes(100));
    const summary = await run();
    expect(summary).to.deep.include({ copied: files.size - 1, failed: 1, stopped: null });
    expect(summary.failures).to.deep.equal([{ name, reason: 'its bytes do not hash to its name (left uncopied)' }]);
    expect(await keys()).not.to.include(name);
  });

  it('counts a file removed from disk during the run as vanished, not as a failure', async () => {
    const [name] = files.keys();
    const target: MigrationTarget = {
      stat: async (url) => {
        if (url.endsWith(name)) await unlink(join(root, name));
        return store.stat(url);
      },
      save: (bytes, extension) => store.save(bytes, extension),
    };
    const summary = await run(target);
    expect(summary).to.deep.include({ copied: files.size - 1, vanished: 1, failed: 0, doneFiles: files.size });
  });

  it('reports progress after each file, up to the totals', async () => {
    const seen: string[] = [];
    await run(store, {
      concurrency: 1,
      onProgress: ({ doneFiles, totalFiles, doneBytes, totalBytes: total, copied }) =>
        seen.push(`${doneFiles}/${totalFiles} ${doneBytes}/${total} ${copied}`),
    });
    expect(seen).to.have.length(files.size + 1);
    expect(seen[0]).to.equal(`0/${files.size} 0/${totalBytes()} 0`);
    expect(seen.at(-1)).to.equal(`${files.size}/${files.size} ${totalBytes()}/${totalBytes()} ${files.size}`);
  });

  it('rejects when MEDIA_ROOT is missing', async () => {
    await rm(root, { recursive: true });
    const error = await run().catch((caught: unknown) => caught);
    expect((error as NodeJS.ErrnoException).code).to.equal('ENOENT');
    await stat(dir); // the parent is untouched
  });
});
