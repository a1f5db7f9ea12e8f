import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Persistence } from '../../composition/persistence.js';
import { realDatabases } from '../support/databases.js';
import { startFakeAi } from '../support/fake-ai-server.js';
import { noiseImage, solidImage } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5173';

/** A PNG whose header declares `width`×`height` pixels over a 1×1 image's data: a decompression bomb's shape. */
async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solidImage(1, 1));
  const ihdr = png.subarray(12, 29); // "IHDR" and its 13 bytes of data
  ihdr.writeUInt32BE(width, 4);
  ihdr.writeUInt32BE(height, 8);
  png.writeUInt32BE(crc32(ihdr), 29);
  return png;
}

for (const database of realDatabases()) {
  describe(`HTTP media library: POST and GET /api/media (${database.name})`, () => {
    let app: TestApp;
    let persistence: Persistence;
    let rows: (table: string) => Promise<Record<string, unknown>[]>;
    let mediaRoot: string;
    let cookie: string;
    let userId: number;

    async function start(env: Record<string, string> = {}) {
      ({ persistence, rows } = await database.open());
      mediaRoot = mkdtempSync(join(tmpdir(), 'selfstar-media-'));
      app = await startTestApp({ persistence, env: { MEDIA_ROOT: mediaRoot, FRONTEND_URL: FRONTEND, ...env } });
      userId = (await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '7', nickname: 'n', profileImage: null })).id;
      cookie = await app.sessionCookie(userId);
    }

    afterEach(async () => {
      await app?.close();
      await rm(mediaRoot, { recursive: true, force: true });
    });

    const upload = (bytes: Uint8Array, type: string | null, headers: Record<string, string> = {}) =>
      app.fetch('/api/media', {
        method: 'POST',
        body: new Uint8Array(bytes),
        headers: { cookie, origin: FRONTEND, ...(type === null ? {} : { 'content-type': type }), ...headers },
      });
    const list = async (as = cookie) => (await (await app.fetch('/api/media', { headers: { cookie: as } })).json()).media;

    async function expectRefused(res: Response, status: number, error: string) {
      expect(res.status).to.equal(status);
      expect(await res.json()).to.include({ ok: false, error });
      expect(await rows('ss_media')).to.deep.equal([]);
      expect(readdirSync(mediaRoot)).to.deep.equal([]);
    }

    it('keeps a PNG, a JPEG and a WebP: 201 with the media, the file served as sent, listed newest first', async () => {
      await start();
      const sent: Record<string, Buffer> = {
        'image/png': await solidImage(30, 20, 'png'),
        'image/jpeg': await solidImage(40, 50, 'jpeg'),
        'image/webp': await solidImage(64, 32, 'webp'),
      };
      const answers = [];
      for (const [type, bytes] of Object.entries(sent)) {
        const res = await upload(bytes, type);
        expect(res.status, type).to.equal(201);
        const body = await res.json();
        expect(body.ok).to.equal(true);
        expect(Object.keys(body.media).sort()).to.deep.equal(['bytes', 'content_type', 'created_at', 'height', 'id', 'url', 'width']);
        expect(body.media).to.include({ content_type: type, bytes: bytes.length });
        expect(body.media.url).to.match(/^\/media\/[0-9a-f]{64}\.(png|jpg|webp)$/);
        const file = await app.fetch(body.media.url);
        expect(file.headers.get('content-type')).to.equal(type);
        expect(Buffer.from(await file.arrayBuffer())).to.deep.equal(bytes);
        answers.push(body.media);
      }
      expect(answers.map(({ width, height }) => [width, height])).to.deep.equal([
        [30, 20],
        [40, 50],
        [64, 32],
      ]);
      expect((await list()).map((media: { id: number }) => media.id)).to.deep.equal(answers.map((media) => media.id).reverse());
      const stored = await rows('ss_media');
      expect(stored.map((row) => row.source)).to.deep.equal(['upload', 'upload', 'upload']);
      expect(readFileSync(join(mediaRoot, answers[0].url.slice('/media/'.length)))).to.deep.equal(sent['image/png']);
    });

    it('422 media_invalid for a PNG declared as JPEG, a truncated image, bytes behind a PNG signature, an empty body', async () => {
      await start();
      const png = await noiseImage(64, 64);
      await expectRefused(await upload(png, 'image/jpeg'), 422, 'media_invalid');
      await expectRefused(await upload(png.subarray(0, png.length - 100), 'image/png'), 422, 'media_invalid');
      await expectRefused(await upload(Buffer.concat([png.subarray(0, 8), Buffer.from('not a png')]), 'image/png'), 422, 'media_invalid');
      await expectRefused(await upload(new Uint8Array(0), 'image/webp'), 422, 'media_invalid');
    });

    it('422 media_invalid for a PNG that declares more pixels than the cap (a decompression bomb), before decoding it', async () => {
      await start();
      await expectRefused(await upload(await pngDeclaring(30_000, 30_000), 'image/png'), 422, 'media_invalid');
    });

    it('413 payload_too_large over MEDIA_UPLOAD_LIMIT, whatever the body', async () => {
      await start({ MEDIA_UPLOAD_LIMIT: '2kb' });
      const big = await noiseImage(64, 64);
      expect(big.length).to.be.greaterThan(2048);
      await expectRefused(await upload(big, 'image/png'), 413, 'payload_too_large');
      expect((await upload(await solidImage(8, 8), 'image/png')).status, 'under the limit').to.equal(201);
    });

    it('415 unsupported_media_type for another type (GIF, JSON, a form, none), even with image bytes', async () => {
      await start();
      const png = await solidImage(8, 8);
      for (const type of ['image/gif', 'image/svg+xml', 'application/json', 'application/x-www-form-urlencoded', 'text/plain', null]) {
        await expectRefused(await upload(png, type), 415, 'unsupported_media_type');
      }
    });

    it('403 origin_forbidden for a cross-site upload (a foreign Origin, or Sec-Fetch-Site cross-site)', async () => {
      await start();
      const png = await solidImage(8, 8);
      await expectRefused(await upload(png, 'image/png', { origin: 'https://evil.example' }), 403, 'origin_forbidden');
      const res = await app.fetch('/api/media', {
        method: 'POST',
        body: new Uint8Array(png),
        headers: { cookie, 'content-type': 'image/png', 'sec-fetch-site': 'cross-site' },
      });
      await expectRefused(res, 403, 'origin_forbidden');
    });

    it("401 without a session; and another user's media is never listed", async () => {
      await start();
      await expectRefused(await upload(await solidImage(8, 8), 'image/png', { cookie: '' }), 401, 'not_authenticated');
      expect((await app.fetch('/api/media')).status).to.equal(401);
      expect((await upload(await solidImage(8, 8), 'image/png')).status).to.equal(201);
      const bob = (await persistence.users.upsertIdentity({ provider: 'google', providerUserId: '8', nickname: 'b', profileImage: null }))
        .id;
      const bobCookie = await app.sessionCookie(bob);
      expect(await list(bobCookie)).to.deep.equal([]);
      expect(await list()).to.have.length(1);
    });

    it('POST /api/images adds the AI image to the caller’s library (the fake AI server on 127.0.0.1)', async () => {
      const ai = await startFakeAi();
      try {
        await start({ AI_SERVICE_URL: ai.url });
        const res = await app.fetch('/api/images', {
          method: 'POST',
          body: JSON.stringify({ name: '민지', gender: '여성', options: [] }),
          headers: { cookie, 'content-type': 'application/json' },
        });
        const { url, source } = await res.json();
        expect(source).to.equal('ai');
        const [media, ...more] = await list();
        expect(more).to.deep.equal([]);
        expect(media).to.include({ url, content_type: 'image/png', width: 8, height: 8, bytes: ai.pngBytes.length });
        expect((await rows('ss_media')).map((row) => row.source)).to.deep.equal(['ai']);
      } finally {
        await ai.close();
      }
    });
  });
}
