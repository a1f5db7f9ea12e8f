import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Koa from 'koa';
import { pino } from 'pino';
import type { AppState } from '../../adapters/http/app-state.js';
import { errorMiddleware } from '../../adapters/http/error-middleware.js';
import { registerRoutes } from '../../adapters/http/register-routes.js';
import { MediaFiles } from '../../adapters/media/media-files.js';
import { mediaRoutes } from '../../adapters/http/routes/media-routes.js';
import { FsMediaStore } from '../../adapters/media/fs-media-store.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const NOT_FOUND = { ok: false, error: 'not_found' };

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request: unlike fetch, node:http sends the path as written (no dot-segment removal). */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((done, fail) => {
    const { hostname, port } = new URL(base);
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('HTTP /media', () => {
  let dir: string;
  let root: string;
  let server: Server;
  let base: string;
  let name: string;
  let downstream: string[];

  async function start(mediaRoot: string) {
    const app = new Koa<AppState>();
    app.silent = true;
    app.use(errorMiddleware(pino({ level: 'silent' })));
    app.use(registerRoutes(mediaRoutes(new FsMediaStore(mediaRoot, '/media')), { bodyLimit: 1024, session: (_ctx, next) => next() }));
    app.use((ctx) => {
      downstream.push(ctx.path);
      if (ctx.path === '/elsewhere') ctx.body = { ok: true };
    });
    server = await new Promise<Server>((ready) => {
      const s = app.listen(0, '127.0.0.1', () => ready(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-http-'));
    root = join(dir, 'media');
    name = (await new FsMediaStore(root, '/media').save(PNG, 'png')).slice('/media/'.length);
    downstream = [];
    await start(root);
  });
  afterEach(async () => {
    await new Promise((closed) => server.close(closed));
    await rm(dir, { recursive: true, force: true });
  });

  async function expectNotFound(method: string, path: string) {
    const res = await send(base, method, path);
    expect(res.status, `${method} ${path}`).to.equal(404);
    expect(res.headers['content-type'], `${method} ${path}`).to.match(/^application\/json/);
    expect(JSON.parse(res.body.toString('utf8')), `${method} ${path}`).to.include(NOT_FOUND);
  }

  it('serves a stored file with its bytes, content type and protective headers', async () => {
    const res = await send(base, 'GET', `/media/${name}`);
    expect(res.status).to.equal(200);
    expect(new Uint8Array(res.body)).to.deep.equal(PNG);
    expect(res.headers['content-type']).to.equal('image/png');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.equal("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
  });

  it('sends the name as a strong ETag and answers 304 when If-None-Match names it', async () => {
    const res = await send(base, 'GET', `/media/${name}`);
    expect(res.headers.etag).to.equal(`"${name}"`);
    for (const tag of [`"${name}"`, `W/"${name}"`, `"other", "${name}"`, '*']) {
      const again = await send(base, 'GET', `/media/${name}`, { 'if-none-match': tag });
      expect(again.status, tag).to.equal(304);
      expect(again.body.length, tag).to.equal(0);
    }
    expect((await send(base, 'GET', `/media/${name}`, { 'if-none-match': '"other"' })).status).to.equal(200);
    await new FsMediaStore(root, '/media').remove(`/media/${name}`);
    await expectNotFound('GET', `/media/${name}`);
    expect((await send(base, 'GET', `/media/${name}`, { 'if-none-match': `"${name}"` })).status, 'a removed file').to.equal(404);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await send(base, 'HEAD', `/media/${name}`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('image/png');
    expect(res.headers['content-length']).to.equal(String(PNG.length));
    expect(res.body.length).to.equal(0);
  });

  it('gives jpg and webp their content types', async () => {
    const store = new FsMediaStore(root, '/media');
    const jpg = await store.save(Uint8Array.from([0xff, 0xd8, 0xff, 1]), 'jpg');
    const webp = await store.save(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 2]), 'webp');
    expect((await send(base, 'GET', jpg)).headers['content-type']).to.equal('image/jpeg');
    expect((await send(base, 'GET', webp)).headers['content-type']).to.equal('image/webp');
  });

  it('is a JSON 404 for traversal in every encoding, and never serves a file outside the root', async () => {
    await writeFile(join(dir, 'secret.png'), 'outside');
    const repoPackageJson = await readFile(resolve(import.meta.dirname, '../../package.json'));
    const paths = [
      '/media/../package.json',
      '/media/%2e%2e/package.json',
      '/media/..%2fpackage.json',
      '/media/%2e%2e%2fpackage.json',
      '/media/%2E%2E%2Fpackage.json',
      '/media/%252e%252e%252fpackage.json',
      '/media/..%5cpackage.json',
      '/media/..\\package.json',
      '/media/../secret.png',
      '/media/%2e%2e%2fsecret.png',
      `/media/../media/${name}/../../secret.png`,
      '/media/%2fetc%2fpasswd',
      '/media//etc/passwd',
      '/media/%00',
      `/media/${name}%00`,
      '/media/%E0%A4%A',
      '/media/../../../../../../../../etc/passwd',
    ];
    for (const path of paths) {
      await expectNotFound('GET', path);
      const res = await send(base, 'GET', path);
      expect(res.body.includes(repoPackageJson)).to.equal(false);
      expect(res.body.toString('utf8')).not.to.include('outside');
    }
  });

  it('is a JSON 404 for directories, dotfiles, temp files, missing files and wrong names', async () => {
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, '.tmp-0123abcd'), 'half written');
    await writeFile(join(root, '.env'), 'SECRET=1');
    await writeFile(join(root, `.${'a'.repeat(64)}.png`), 'dot');
    await writeFile(join(root, name.toUpperCase()), 'upper');
    await writeFile(join(root, `${'b'.repeat(64)}.svg`), '<svg/>');
    for (const path of [
      '/media',
      '/media/',
      '/media/sub',
      '/media/sub/',
      '/media/.tmp-0123abcd',
      '/media/.env',
      '/media/%2eenv',
      `/media/.${'a'.repeat(64)}.png`,
      `/media/${name.toUpperCase()}`,
      `/media/${'b'.repeat(64)}.svg`,
      `/media/${'c'.repeat(64)}.png`,
      `/media/${name}/`,
      `/media/${name}.gz`,
      `/media/sub/${name}`,
    ]) {
      await expectNotFound('GET', path);
    }
  });

  it('is a JSON 404 for methods other than GET and HEAD, and for a missing file, which never falls through', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) await expectNotFound(method, `/media/${name}`);
    expect(downstream, 'other methods are no route at all').to.have.length(5);
    await expectNotFound('GET', `/media/${'c'.repeat(64)}.png`);
    expect(downstream, 'a missing file is answered by the media route itself').to.have.length(5);
  });

  it('is a 404 for a file that cannot be read (here ELOOP)', async () => {
    await new Promise((closed) => server.close(closed));
    const loop = join(dir, 'loop');
    await symlink(loop, loop);
    await start(loop);
    await expectNotFound('GET', `/media/${name}`);
  });

  it('never serves a file from memory once it is gone from the disk or changed there (another instance may delete it)', async () => {
    expect((await send(base, 'GET', `/media/${name}`)).status).to.equal(200);
    const changed = Buffer.concat([Buffer.from(PNG), Buffer.from('more')]);
    await writeFile(join(root, name), changed);
    expect(new Uint8Array((await send(base, 'GET', `/media/${name}`)).body)).to.deep.equal(new Uint8Array(changed));
    await rm(join(root, name));
    await expectNotFound('GET', `/media/${name}`);
    expect((await send(base, 'HEAD', `/media/${name}`)).status).to.equal(404);
  });

  it('keeps recently served files in memory up to its capacity, the least recently used leaving first', async () => {
    const files = new MediaFiles(root, 3 * PNG.length);
    const names = [name];
    for (const extra of ['b', 'c', 'd'])
      names.push((await new FsMediaStore(root, '/media').save(Buffer.concat([PNG, Buffer.from(extra)]), 'png')).slice(7));
    const first = await files.read(names[0]);
    expect(await files.read(names[0]), 'served again from memory: the same buffer').to.equal(first);
    for (const n of names.slice(1)) await files.read(n);
    expect(await files.read(names[0]), 'pushed out by newer ones: read again').not.to.equal(first);
    expect(new Uint8Array((await files.read(names[0]))!.bytes)).to.deep.equal(PNG);
  });

  it('leaves every other path to the rest of the app', async () => {
    const res = await send(base, 'GET', '/elsewhere');
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.body.toString('utf8'))).to.deep.equal({ ok: true });
    await expectNotFound('GET', '/mediafoo');
    await expectNotFound('GET', `/x/media/${name}`);
    expect(downstream).to.deep.equal(['/elsewhere', '/mediafoo', `/x/media/${name}`]);
  });
});
