import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { createAjv } from '../../adapters/validation/create-ajv.js';
import { inMemoryPersistence } from '../../composition/persistence.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-secret-of-at-least-32-chars',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('HTTP service routes', () => {
  let app: TestApp;
  afterEach(() => app?.close());

  it('GET / and /health answer while the process runs', async () => {
    app = await startTestApp();
    const root = await app.fetch('/');
    expect(root.status).to.equal(200);
    expect(await root.json()).to.include({ ok: true });
    const health = await app.fetch('/health');
    expect(await health.json()).to.deep.equal({ status: 'ok' });
  });

  it('GET /health/ready is 200 when the database answers', async () => {
    app = await startTestApp();
    const res = await app.fetch('/health/ready');
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'ok', db: 'ok' });
  });

  it('GET /health/ready is 503 when the database fails or does not answer within 1 s', async () => {
    const persistence = inMemoryPersistence();
    app = await startTestApp({ persistence });
    persistence.ping = () => Promise.reject(new Error('down'));
    const failing = await app.fetch('/health/ready');
    expect(failing.status).to.equal(503);
    expect(await failing.json()).to.deep.equal({ status: 'unavailable', db: 'down' });
    persistence.ping = () => new Promise(() => {});
    const hanging = await app.fetch('/health/ready');
    expect(hanging.status).to.equal(503);
    persistence.ping = async () => {};
    expect((await app.fetch('/health/ready')).status, 'recovers without a restart').to.equal(200);
  });

  it('GET /__routes lists every declared route', async () => {
    app = await startTestApp();
    const routes: string[] = await (await app.fetch('/__routes')).json();
    expect(routes).to.include.members([
      'GET /health',
      'GET /health/ready',
      'PUT /users/me/profile',
      'GET /auth/me',
      'GET /docs',
      'GET /media/:file',
    ]);
  });

  it('GET /__routes is 404 in production', async () => {
    app = await startTestApp({ env: PRODUCTION });
    const res = await app.fetch('/__routes');
    expect(res.status).to.equal(404);
    expect(await res.json()).to.include({ ok: false, error: 'not_found' });
  });

  it('GET /openapi.json documents every route from the validating schemas', async () => {
    app = await startTestApp();
    const doc = await (await app.fetch('/openapi.json')).json();
    const routes: string[] = await (await app.fetch('/__routes')).json();
    expect(doc.openapi).to.equal('3.1.0');
    for (const route of routes) {
      const [method, path] = route.split(' ');
      expect(doc.paths[path.replace(/:(\w+)/g, '{$1}')], route).to.have.property(method.toLowerCase());
    }
    const validation = await new Validator().validate(doc);
    expect(validation.errors ?? [], 'a valid OpenAPI 3.1 document').to.deep.equal([]);
    expect(validation.valid).to.equal(true);
    // Routes compile their schemas on first use: prove here that every one compiles under strict ajv.
    const ajv = createAjv({ coerceTypes: false });
    let compiled = 0;
    for (const [path, operations] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const bodies = Object.values<any>(operation.requestBody?.content ?? {}).map((content) => content.schema); // JSON or a form
        const schemas = [...bodies, ...(operation.parameters ?? []).map((p: any) => p.schema)];
        for (const schema of schemas.filter(Boolean)) {
          expect(() => ajv.compile(schema), `${method} ${path}`).to.not.throw();
          compiled++;
        }
      }
    }
    expect(compiled).to.be.greaterThan(10);
    const body = doc.paths['/users/me/profile'].put.requestBody.content['application/json'].schema;
    expect(body.required).to.deep.equal(['birthday', 'gender']);
    expect(body.additionalProperties).to.equal(false);
  });

  for (const { base, bundle, other } of [
    { base: '/docs', bundle: 'swagger-ui-bundle.js', other: '/redoc' },
    { base: '/redoc', bundle: 'redoc.standalone.js', other: '/docs' },
  ]) {
    it(`GET ${base} serves its page from local assets and links to ${other}`, async () => {
      app = await startTestApp();
      const page = await app.fetch(base);
      expect(page.headers.get('content-type')).to.match(/text\/html/);
      const html = await page.text();
      expect(html).to.include(`href="${other}"`);
      const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]).filter((url) => url !== other);
      expect(assets).to.include(`${base}/assets/${bundle}`).and.include(`${base}/init.js`);
      for (const url of assets) {
        const asset = await app.fetch(url);
        expect(asset.status, url).to.equal(200);
        expect(asset.headers.get('content-type'), url).to.match(/javascript|css/);
        await asset.arrayBuffer();
      }
      expect(await (await app.fetch(`${base}/init.js`)).text()).to.include('/openapi.json');
      expect(page.headers.get('content-security-policy'))
        .to.match(/script-src 'self'/)
        .and.match(/frame-ancestors 'none'/);
    });

    it(`GET ${base}/assets serves only what the page loads: a 404 for the rest of the package and for any traversal`, async () => {
      app = await startTestApp();
      const paths = [
        `${base}/assets/package.json`,
        `${base}/assets/${bundle}.map`,
        `${base}/assets/index.html`,
        `${base}/assets/..%2f..%2fpackage.json`,
        `${base}/assets/%2e%2e%2fpackage.json`,
        `${base}/assets/${bundle}%00`,
        `${base}/assets/`,
      ];
      for (const path of paths) {
        const res = await app.fetch(path);
        expect(res.status, path).to.equal(404);
        expect(await res.json(), path).to.include({ ok: false, error: 'not_found' });
      }
    });
  }

  it('puts the security headers on every answer, errors included', async () => {
    app = await startTestApp();
    for (const path of ['/health', '/nope', '/auth/me', '/openapi.json']) {
      const res = await app.fetch(path);
      expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
      expect(res.headers.get('referrer-policy'), path).to.equal('no-referrer');
      expect(res.headers.get('content-security-policy'), path).to.equal("default-src 'none'; frame-ancestors 'none'");
      await res.arrayBuffer();
    }
  });
});
