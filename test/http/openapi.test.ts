import { expect } from 'chai';
import { ERROR_CODES, type ErrorCode } from '../../core/shared/index.js';
import { statusOfCode } from '../../adapters/http/error-middleware.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type Operation = { operationId: string; responses: Record<string, { description: string; content?: any }> };

/** Every operation of the document, named `METHOD /path`. */
function operationsOf(doc: any): [string, Operation][] {
  return Object.entries<Record<string, Operation>>(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]),
  );
}

describe('The OpenAPI document, for a generated client', () => {
  let app: TestApp;
  let doc: any;
  let operations: [string, Operation][];
  before(async () => {
    app = await startTestApp();
    doc = await (await app.fetch('/openapi.json')).json();
    operations = operationsOf(doc);
  });
  after(() => app.close());

  it('names every operation with a unique camelCase operationId', () => {
    const ids = operations.map(([, operation]) => operation.operationId);
    for (const [name, { operationId }] of operations) expect(operationId, name).to.match(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size, 'unique').to.equal(ids.length);
    const byName = Object.fromEntries(operations.map(([name, { operationId }]) => [name, operationId]));
    expect(byName).to.include({ 'GET /api/posts/{id}': 'getPost', 'POST /api/personas': 'createPersona', 'GET /redoc': 'getRedoc' });
  });

  it('lists each error code a route answers under the status the catalogue gives it, and no other', () => {
    const known = new Set<string>(ERROR_CODES);
    for (const [name, { responses }] of operations) {
      for (const [status, response] of Object.entries(responses).filter(([status]) => Number(status) >= 400)) {
        const schema = response.content?.['application/json']?.schema;
        if (name === 'GET /health/ready') continue; // its 503 is the readiness body, not an error
        const codes: ErrorCode[] = schema?.properties?.error?.enum ?? [];
        expect(codes.length, `${name} ${status} names its codes`).to.be.greaterThan(0);
        for (const code of codes) {
          expect(known.has(code), `${name}: ${code} is in the catalogue`).to.equal(true);
          expect(statusOfCode(code), `${name}: ${code}`).to.equal(Number(status));
        }
        // A note on a status that names a code the route does not list has drifted.
        const named = (response.description.match(/[a-z][a-z_]+/g) ?? []).filter((word) => known.has(word));
        expect(codes, `${name} ${status}: ${response.description}`).to.include.members(named);
      }
    }
  });

  it('answers the codes that follow from a declaration: sign-in, validation, the cross-site guard, the rate limit', () => {
    const codesOf = (name: string) =>
      Object.values(operations.find(([n]) => n === name)![1].responses).flatMap(
        (response) => response.content?.['application/json']?.schema?.properties?.error?.enum ?? [],
      );
    expect(codesOf('PATCH /api/posts/{id}')).to.include.members([
      'not_authenticated',
      'origin_forbidden',
      'validation_failed',
      'post_not_editable',
      'caption_too_long',
      'internal_error',
    ]);
    expect(codesOf('GET /auth/kakao/login')).to.include.members(['rate_limited', 'provider_not_configured']);
    expect(codesOf('GET /auth/kakao/callback'), 'redirects its errors').to.deep.equal([]);
    expect(codesOf('GET /health')).to.deep.equal(['internal_error']);
  });

  it('gives Korean examples where users write Korean', () => {
    const body = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema.properties;
    const hangul = /[\uAC00-\uD7A3]/;
    expect(body('/api/personas', 'post').name.examples[0]).to.match(hangul);
    expect(body('/api/personas/{id}/posts', 'post').caption.examples[0]).to.match(hangul);
    expect(body('/api/posts/{id}', 'patch').alt_text.examples[0]).to.match(hangul);
    expect(body('/api/images', 'post').feature.examples[0]).to.match(hangul);
    expect(body('/users/me/profile', 'put').gender.examples[0]).to.match(hangul);
    const post = doc.paths['/api/posts/{id}'].get.responses[200].content['application/json'].schema.properties.post;
    expect(post.properties.caption.examples[0]).to.match(hangul);
  });
});
