import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES } from '../../core/shared/index.js';
import { realDatabases, type Snapshot } from '../support/databases.js';
import { operationsOf, oddPath, prefixesOf, requestFor, type FuzzRequest } from '../support/fuzz/operations.js';
import { sendRaw, type RawAnswer } from '../support/fuzz/raw-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Runs per property. FUZZ_RUNS=5000 for a long local run; a failure prints its seed and path,
 * and FUZZ_SEED=<seed> FUZZ_PATH=<path> replays exactly that case.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const REPLAY = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH, endOnFailure: true } : {};

const ENVELOPE_KEYS = ['ok', 'error', 'message', 'details'];

/** The error codes /openapi.json documents per operation (`GET /api/posts/{id}`) and status. */
type DocumentedErrors = Map<string, Map<number, string[]>>;

function documentedErrors(openApi: { paths: Record<string, Record<string, any>> }): DocumentedErrors {
  const documented: DocumentedErrors = new Map();
  for (const [path, methods] of Object.entries(openApi.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const byStatus = new Map<number, string[]>();
      for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
        const codes = response.content?.['application/json']?.schema?.properties?.error?.enum;
        if (Array.isArray(codes)) byStatus.set(Number(status), codes);
      }
      documented.set(`${method.toUpperCase()} ${path}`, byStatus);
    }
  }
  return documented;
}

/**
 * What holds for every answer to client input: no 5xx, the error envelope, a refusal that wrote nothing,
 * and an error code that /openapi.json lists for that operation and status (a request still aimed at one).
 */
function expectSound(req: FuzzRequest, answer: RawAnswer, before: Snapshot, after: Snapshot | null, documented: DocumentedErrors): void {
  expect(answer.status, 'a 5xx for client input').to.be.within(200, 499);
  if (answer.status < 400) return;
  expect(after, 'a rejected request changed rows').to.deep.equal(before);
  // Node's own 400/431 for what its parser refuses is not JSON; a HEAD answer has no body.
  if (!answer.contentType.startsWith('application/json') || req.method === 'HEAD') return;
  const body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
  expect(
    Object.keys(body).filter((key) => !ENVELOPE_KEYS.includes(key)),
    'keys beyond the envelope',
  ).to.deep.equal([]);
  expect(body.ok).to.equal(false);
  expect(ERROR_CODES).to.include(body.error);
  expect(body.message).to.be.a('string').and.not.equal('');
  if ('details' in body) expect(body.details).to.be.an('array');
  if (req.operation) {
    const name = `${req.operation.method} ${req.operation.path}`;
    expect(documented.get(name)?.get(answer.status) ?? [], `the codes ${name} documents for ${answer.status}`).to.include(body.error);
  }
}

/** Request and answer, short enough to read in a failure message. */
const describeCase = (req: FuzzRequest, answer?: RawAnswer) =>
  `${req.method} ${req.target.slice(0, 300)} ${JSON.stringify(req.headers).slice(0, 300)} body=${Buffer.from(req.body ?? [])
    .toString('latin1')
    .slice(0, 200)} → ${answer?.status} ${answer?.body.toString('utf8').slice(0, 300)}`;

for (const database of realDatabases())
  describe(`Fuzzing every route: no 5xx from client input, the envelope, and no row changed by a refusal (${database.name})`, function () {
    this.timeout(180_000);
    let app: TestApp;
    let snapshot: () => Promise<Snapshot>;
    let requests: fc.Arbitrary<FuzzRequest>;
    let paths: fc.Arbitrary<FuzzRequest>;
    let documented: DocumentedErrors;

    before(async () => {
      const db = await database.open();
      snapshot = db.snapshot;
      app = await startTestApp({
        persistence: db.persistence,
        env: { MOCK_PROVIDERS: '1', MEDIA_ROOT: mkdtempSync(join(tmpdir(), 'selfstar-fuzz-')), BODY_LIMIT: '64kb' },
      });
      const openApi = await (await app.fetch('/openapi.json')).json();
      const operations = operationsOf(openApi);
      documented = documentedErrors(openApi);
      expect(operations.length).to.be.greaterThan(15);
      requests = fc.constantFrom(...operations).chain(requestFor);
      paths = oddPath(prefixesOf(operations));
      const user = await signedInUser();
      await app.persistence.personas.create(user, 'seed', {});
    });
    after(() => app?.close());

    /** The fuzzed user, created again if a request deleted them. */
    async function signedInUser(): Promise<number> {
      const user = await app.persistence.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: 'fuzz',
        nickname: '퍼즈',
        profileImage: null,
      });
      return user.id;
    }

    /** Sends `req` (with a fresh session when signed in) and checks the answer and the rows. */
    async function check(req: FuzzRequest): Promise<void> {
      const headers = req.signedIn
        ? [['cookie', await app.sessionCookie(await signedInUser())] as [string, string], ...req.headers]
        : req.headers;
      const before = await snapshot();
      let answer: RawAnswer | undefined;
      try {
        answer = await sendRaw(app.url, { ...req, headers });
        expectSound(req, answer, before, answer.status >= 400 ? await snapshot() : null, documented);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n  ${describeCase(req, answer)}`, { cause: error });
      }
    }

    it('answers requests built from every route’s declared schemas, bent by hostile values, bytes, encodings and headers', async () => {
      await fc.assert(fc.asyncProperty(requests, check), { numRuns: RUNS, ...REPLAY });
    });

    it('answers odd paths under every route prefix (/media, /docs, /docs/assets …): dot segments, escapes, NUL, bytes that are not UTF-8, overlong', async () => {
      await fc.assert(fc.asyncProperty(paths, check), { numRuns: RUNS, ...REPLAY });
    });
  });
