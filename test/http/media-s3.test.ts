import { expect } from 'chai';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { solidImage } from '../support/images.js';
import { startS3Server, startSilentServer, type S3Server } from '../support/s3-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5173';
const MISSING = `/media/${'0'.repeat(64)}.png`;

describe('HTTP /media and uploads with MEDIA_STORE=s3 (s3rver on loopback)', () => {
  let s3: S3Server;
  let dirs: string[];
  let apps: TestApp[];

  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.close());
  beforeEach(() => {
    dirs = [];
    apps = [];
  });
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** An instance with a MEDIA_ROOT of its own, which MEDIA_STORE=s3 must leave empty. */
  async function instance(env: Record<string, string> = {}, logs?: CapturedLogs): Promise<TestApp> {
    const mediaRoot = await mkdtemp(join(tmpdir(), 'selfstar-media-'));
    dirs.push(mediaRoot);
    const app = await startTestApp({ env: { MEDIA_ROOT: mediaRoot, FRONTEND_URL: FRONTEND, ...s3.env, ...env }, logger: logs?.logger });
    apps.push(app);
    return app;
  }

  const userOf = async (app: TestApp) =>
    (await app.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '7', nickname: 'n', profileImage: null })).id;

  async function upload(app: TestApp, bytes: Buffer): Promise<Response> {
    const id = await userOf(app);
    const headers = { cookie: await app.sessionCookie(id), origin: FRONTEND, 'content-type': 'image/png' };
    return app.fetch('/api/media', { method: 'POST', body: new Uint8Array(bytes), headers });
  }

  // Another instance serving it (one database, one bucket, two MEDIA_ROOTs): media-s3-two-instances.test.ts.
  it('streams an uploaded image from the bucket, byte for byte, with the disk route’s headers', async () => {
    const app = await instance();
    const png = await solidImage(3, 2);
    const res = await upload(app, png);
    expect(res.status).to.equal(201);
    const { url } = (await res.json()).media;
    expect(url).to.match(/^\/media\/[0-9a-f]{64}\.png$/);
    expect(await readdir(dirs[0]), 'nothing on disk').to.deep.equal([]);

    const served = await app.fetch(url);
    expect(served.status).to.equal(200);
    expect(Buffer.from(await served.arrayBuffer())).to.deep.equal(png);
    const name = url.slice('/media/'.length);
    expect(Object.fromEntries(served.headers)).to.include({
      'content-type': 'image/png',
      'content-length': String(png.length),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${name}"`,
    });
    expect(Number.isNaN(Date.parse(served.headers.get('last-modified')!)), 'Last-Modified').to.equal(false);

    const head = await app.fetch(url, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.get('etag')).to.equal(`"${name}"`);
    // fetch adds `Cache-Control: no-cache` to a conditional request unless told otherwise, and no-cache is never a 304.
    const again = await app.fetch(url, { headers: { 'if-none-match': `"${name}"`, 'cache-control': 'max-age=0' } });
    expect(again.status).to.equal(304);
    expect(await again.text()).to.equal('');
    expect((await app.fetch(url, { headers: { 'if-none-match': '"other"', 'cache-control': 'max-age=0' } })).status).to.equal(200);
  });

  it('is a 404 for a missing key and for any path that is not a media name', async () => {
    const app = await instance();
    for (const path of [MISSING, '/media/notes.txt', '/media/..%2F..%2Fetc%2Fpasswd', `/media/${'a'.repeat(64)}.gif`, '/media/']) {
      const res = await app.fetch(path);
      expect(res.status, path).to.equal(404);
      expect(await res.json(), path).to.include({ ok: false, error: 'not_found' });
    }
  });

  it('answers 302 to the object’s public URL with S3_PUBLIC_BASE_URL, asking nothing of the bucket', async () => {
    const app = await instance({ S3_PUBLIC_BASE_URL: 'https://cdn.example/bucket/' });
    const name = `${'ab'.repeat(32)}.jpg`;
    const res = await app.fetch(`/media/${name}`);
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal(`https://cdn.example/bucket/media/${name}`);
    expect((await app.fetch('/media/notes.txt')).status).to.equal(404);
  });

  it('a stopped bucket is 503 media_store_unavailable with one log line, and works again when it is back, with no restart', async () => {
    const logs = captureLogs();
    const app = await instance({}, logs);
    const png = await solidImage(2, 2);
    const { url } = (await (await upload(app, png)).json()).media;
    await s3.stop();
    try {
      for (const res of [await app.fetch(url), await upload(app, await solidImage(4, 4))]) {
        expect(res.status).to.equal(503);
        expect(await res.json()).to.include({ ok: false, error: 'media_store_unavailable' });
      }
      const lines = logs.entries().filter((entry) => entry.msg === 'media store unavailable');
      expect(lines.map((line) => line.operation)).to.deep.equal(['open', 'save']);
      expect(lines[0]).to.include({ bucket: s3.bucket, level: 40 });
      expect(logs.text()).not.to.include(s3.env.S3_SECRET_ACCESS_KEY);
      expect(logs.entries().filter((entry) => entry.level >= 50)).to.deep.equal([]);
      const { items } = await app.persistence.mediaLibrary.listByUser(await userOf(app), { limit: 10 });
      expect(
        items.map((media) => media.url),
        'no row for the failed upload',
      ).to.deep.equal([url]);
    } finally {
      await s3.start();
    }
    const served = await app.fetch(url);
    expect(served.status).to.equal(200);
    expect(Buffer.from(await served.arrayBuffer())).to.deep.equal(png);
  });

  it('a bucket that never answers is 503 within S3_TIMEOUT_MS, not a hang', async () => {
    const silent = await startSilentServer();
    try {
      const app = await instance({ S3_ENDPOINT: silent.url, S3_TIMEOUT_MS: '500' });
      const started = Date.now();
      const res = await app.fetch(MISSING);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.include({ error: 'media_store_unavailable' });
      expect(Date.now() - started).to.be.below(2000);
    } finally {
      await silent.close();
    }
  });
});
