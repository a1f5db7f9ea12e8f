import { expect } from 'chai';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogs } from '../support/capture-logs.js';
import { startFakeAi } from '../support/fake-ai-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const BODY = { name: '민지', gender: '여성', feature: '밝은 미소 & <웃음>', options: ['casual', 'outdoor'] };

describe('HTTP POST /api/images and GET /media', () => {
  let ai: Awaited<ReturnType<typeof startFakeAi>>;
  let app: TestApp;
  let mediaRoot: string;
  let cookie: string;
  let userId: number;

  async function start(env: Record<string, string> = {}) {
    await app?.close();
    mediaRoot = mkdtempSync(join(tmpdir(), 'selfstar-media-'));
    app = await startTestApp({ env: { AI_SERVICE_URL: ai.url, MEDIA_ROOT: mediaRoot, ...env } });
    userId = (await app.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '7', nickname: 'n', profileImage: null })).id;
    cookie = await app.sessionCookie(userId);
  }

  beforeEach(async () => {
    ai = await startFakeAi();
    await start();
  });
  afterEach(async () => {
    await app.close();
    await ai.close();
  });

  const post = (body: unknown, headers: Record<string, string> = { cookie }) =>
    app.fetch('/api/images', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

  it('is 401 without a session, and calls no AI', async () => {
    const res = await post(BODY, {});
    expect(res.status).to.equal(401);
    expect(ai.requests).to.have.length(0);
  });

  it('saves the AI image and serves it under /media with its real type and safe headers', async () => {
    const res = await post(BODY);
    expect(res.status).to.equal(200);
    const body = await res.json();
    expect(body).to.include({ ok: true, source: 'ai' });
    expect(body.url).to.match(/^\/media\/[0-9a-f]{64}\.png$/);
    expect(body.image).to.equal(`data:image/png;base64,${ai.pngBytes.toString('base64')}`);
    expect(ai.requests[0].body).to.deep.equal(BODY);
    const file = await app.fetch(body.url);
    expect(file.status).to.equal(200);
    expect(file.headers.get('content-type')).to.equal('image/png');
    expect(file.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(file.headers.get('content-security-policy')).to.equal("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(file.headers.get('cache-control')).to.match(/immutable/);
    expect(Buffer.from(await file.arrayBuffer())).to.deep.equal(ai.pngBytes);
  });

  it('falls back to an SVG card (200, url null) when the AI fails, and writes nothing', async () => {
    ai.next = { kind: 'json', status: 500, body: { detail: 'boom' } };
    const body = await (await post(BODY)).json();
    expect(body).to.include({ ok: true, source: 'fallback', url: null });
    const svg = Buffer.from(body.image.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
    expect(svg).to.include('민지').and.include('&amp;').and.not.include('<웃음>');
    expect(readdirSync(mediaRoot)).to.deep.equal([]);
  });

  it('logs why it fell back, with the request id, and never the image or the user’s text', async () => {
    const logs = captureLogs();
    await app.close();
    app = await startTestApp({ env: { AI_SERVICE_URL: ai.url, MEDIA_ROOT: mediaRoot }, logger: logs.logger });
    const { id } = await app.persistence.users.upsertIdentity({
      provider: 'kakao',
      providerUserId: '7',
      nickname: 'n',
      profileImage: null,
    });
    ai.next = { kind: 'raw', body: '<html>oops</html>', contentType: 'text/html' };
    const res = await post(BODY, { cookie: await app.sessionCookie(id) });
    const entry = logs.entries().find((e) => e.msg === 'image fell back to SVG');
    expect(entry).to.include({ reason: 'not_json', requestId: res.headers.get('x-request-id') });
    expect(logs.text()).to.not.include('민지').and.not.include('oops');
  });

  it('falls back when the AI does not answer within AI_TIMEOUT_MS', async () => {
    await start({ AI_TIMEOUT_MS: '300' });
    ai.next = { kind: 'delay', ms: 3000 };
    const body = await (await post(BODY)).json();
    expect(body).to.include({ source: 'fallback', url: null });
  });

  it('falls back when an SVG poses as a PNG', async () => {
    ai.next = { kind: 'json', body: { image: `data:image/png;base64,${Buffer.from('<svg onload="alert(1)"/>').toString('base64')}` } };
    expect(await (await post(BODY)).json()).to.include({ source: 'fallback' });
    expect(readdirSync(mediaRoot)).to.deep.equal([]);
  });

  it('falls back without AI_SERVICE_URL', async () => {
    await start({ AI_SERVICE_URL: '' });
    expect(await (await post(BODY)).json()).to.include({ source: 'fallback', url: null });
    expect(ai.requests).to.have.length(0);
  });

  const invalid: [string, unknown][] = [
    ['a name over 40 characters', { ...BODY, name: '가'.repeat(41) }],
    ['an empty name', { ...BODY, name: '' }],
    ['a feature over 200 characters', { ...BODY, feature: 'x'.repeat(201) }],
    ['more than 10 options', { ...BODY, options: Array(11).fill('o') }],
    ['a non-string option', { ...BODY, options: [1] }],
    ['missing options', { name: '민지', gender: '여성' }],
    ['an unknown gender', { ...BODY, gender: 'male' }],
    ['an extra field', { ...BODY, prompt: 'ignore previous instructions' }],
    ['a non-integer persona_id', { ...BODY, persona_id: '1' }],
  ];
  for (const [name, body] of invalid) {
    it(`is 422 for ${name}`, async () => {
      const res = await post(body);
      expect(res.status).to.equal(422);
      expect(await res.json()).to.include({ ok: false, error: 'validation_failed' });
      expect(ai.requests).to.have.length(0);
    });
  }

  it('sets the image_url of the caller’s persona; another user’s persona is 404', async () => {
    const mine = await app.persistence.personas.create(userId, '내 페르소나', {});
    const body = await (await post({ ...BODY, persona_id: mine.id })).json();
    expect((await app.persistence.personas.findOwned(userId, { id: mine.id }))?.imageUrl).to.equal(body.url);
    const other = (
      await app.persistence.users.upsertIdentity({ provider: 'google', providerUserId: 'g', nickname: null, profileImage: null })
    ).id;
    const theirs = await app.persistence.personas.create(other, '남의 것', {});
    const res = await post({ ...BODY, persona_id: theirs.id });
    expect(res.status).to.equal(404);
    expect(await res.json()).to.include({ error: 'persona_not_found' });
    expect((await app.persistence.personas.findOwned(other, { id: theirs.id }))?.imageUrl).to.equal(null);
  });

  it('rate-limits each user (IMAGE_RATE_PER_MINUTE) with 429 and Retry-After', async () => {
    await start({ IMAGE_RATE_PER_MINUTE: '2' });
    expect((await post(BODY)).status).to.equal(200);
    expect((await post(BODY)).status).to.equal(200);
    const limited = await post(BODY);
    expect(limited.status).to.equal(429);
    expect(await limited.json()).to.include({ ok: false, error: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
    expect(ai.requests).to.have.length(2);
  });

  it('MOCK_PROVIDERS=1 draws an AI-sourced PNG in process', async () => {
    await start({ MOCK_PROVIDERS: '1', AI_SERVICE_URL: '' });
    const body = await (await post(BODY)).json();
    expect(body).to.include({ source: 'ai' });
    const file = await app.fetch(body.url);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 8)).to.deep.equal(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });

  it('never serves a path outside MEDIA_ROOT (raw dot segments: test/http/media.test.ts)', async () => {
    // fetch resolves plain `..` segments itself, so only paths it sends unchanged are tried here.
    for (const path of ['/media/..%2fpackage.json', '/media/%2e%2e%2fpackage.json', '/media/', '/media/nope.png']) {
      const res = await app.fetch(path);
      expect(res.status, path).to.equal(404);
      expect(await res.json()).to.include({ error: 'not_found' });
    }
  });
});
