import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { InMemoryMediaStore } from '../../adapters/in-memory/in-memory-media-store.js';
import { FsMediaStore } from '../../adapters/media/fs-media-store.js';
import { S3MediaStore, type S3MediaStoreOptions } from '../../adapters/media/s3-media-store.js';
import { S3_CREDENTIALS, startS3Server, startSilentServer, type S3Server } from '../support/s3-server.js';
import { describeMediaStore } from './media-store.contract.js';

const silent = pino({ level: 'silent' });
const s3Options = (endpoint: string, bucket: string, timeoutMs = 5000): S3MediaStoreOptions => ({
  bucket,
  region: 'us-east-1',
  endpoint,
  forcePathStyle: true,
  prefix: 'media/',
  credentials: S3_CREDENTIALS,
  publicBaseUrl: null,
  timeoutMs,
});

describeMediaStore('in memory', async () => ({ store: new InMemoryMediaStore(), urlPath: '/memory', teardown: async () => {} }));

describeMediaStore('disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'media-store-'));
  return {
    store: new FsMediaStore(join(dir, 'media'), '/media'),
    urlPath: '/media',
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('S3 (s3rver on loopback)', () => {
  let s3: S3Server;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());

  describeMediaStore(
    'S3',
    async () => ({ store: new S3MediaStore(s3Options(s3.url, s3.bucket), '/media', silent), urlPath: '/media', teardown: async () => {} }),
    async () => {
      const silentServer = await startSilentServer();
      const timeoutMs = 500;
      return {
        store: new S3MediaStore(s3Options(silentServer.url, 'media', timeoutMs), '/media', silent),
        timeoutMs,
        teardown: () => silentServer.close(),
      };
    },
  );
});

describe('S3MediaStore: presigned GET URLs (s3rver on loopback)', () => {
  let s3: S3Server;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());

  it('signs a GET URL of the object that fetches its bytes without credentials; null for a URL that is not a media name', async () => {
    const store = new S3MediaStore(s3Options(s3.url, s3.bucket), '/media', silent);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const url = await store.save(jpeg, 'jpg');
    const signed = new URL((await store.presignedUrl(url, 600))!);
    expect(signed.pathname).to.equal(`/${s3.bucket}/media/${url.slice('/media/'.length)}`);
    expect(signed.searchParams.get('X-Amz-Expires')).to.equal('600');
    const res = await fetch(signed);
    expect(res.status).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer())).to.deep.equal(jpeg);
    expect(await store.presignedUrl('/media/notes.txt', 600)).to.equal(null);
  });
});
