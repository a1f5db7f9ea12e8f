import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DomainError, ERROR_CODES, errors, MESSAGE_KEYS, type ErrorCode } from '../../core/shared/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
// The contract is not part of the repository: CI checks it out beside it, as ../shared.
/** The contract as committed (docs/API.md), and the shared original beside the repository when it is there. */
const API_MD = resolve(ROOT, 'docs', 'API.md');
const SHARED_API_MD = resolve(ROOT, '..', 'shared', 'spec', 'API.md');

const ERROR_STATUS = /\b[45]\d\d\b|error=<code>/;
const CODE = /`([a-z]+(?:_[a-z]+)+)`/g;

/**
 * The error codes of API.md: backticked snake_case words that come after an error status
 * (4xx/5xx) or a redirect's `error=<code>` in the same table cell or paragraph. Field, table
 * and state names (`persona_id`, `ss_user`, `needs_reconnect`) never follow one there.
 */
function contractErrorCodes(markdown: string): string[] {
  const codes = markdown.split(/\n\s*\n|\|/).flatMap((chunk) => {
    const at = chunk.search(ERROR_STATUS);
    return at < 0 ? [] : [...chunk.slice(at).matchAll(CODE)].map((match) => match[1]);
  });
  return [...new Set(codes)];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('error catalogue', () => {
  let contract: string[];
  before(() => {
    contract = contractErrorCodes(readFileSync(API_MD, 'utf8'));
  });

  it('reads the contract as committed in docs/API.md, which matches ../shared/spec/API.md wherever that is beside the repository', () => {
    // A fresh clone in CI need not sit beside ../shared; a developer's checkout does, and catches a stale copy.
    if (existsSync(SHARED_API_MD)) expect(readFileSync(API_MD, 'utf8')).to.equal(readFileSync(SHARED_API_MD, 'utf8'));
    expect(contract.length).to.be.greaterThan(20);
  });

  it('reads error codes from API.md and nothing else', () => {
    const sample = [
      '| GET /x?persona_id | 200 `{"ok":true}`; `needs_consent` is true. 400 `persona_required`, 404 `persona_not_found` |',
      'Any failure 302s to `/login?error=<code>`: `state_mismatch`, `access_denied` (user cancelled)',
      '',
      'A post: `{"scheduled_at"}` and `ss_post`.',
    ].join('\n');
    expect(contractErrorCodes(sample)).to.deep.equal(['persona_required', 'persona_not_found', 'state_mismatch', 'access_denied']);
    const anchors = ['invalid_request', 'internal_error', 'unsupported_media_type', 'provider_error', 'invalid_gender'];
    expect(contract).to.include.members(anchors);
  });

  /**
   * Codes the contract names for features not built yet, by the issue that builds them. The catalogue
   * holds only codes the app produces; this list shrinks as each lands (the test fails on a code that is
   * both here and in the catalogue, and on any other missing code).
   */
  const NOT_YET_PRODUCED: Record<string, string> = {
    post_not_published: 'issue 22 (insights)',
    insights_permission_missing: 'issue 22 (insights)',
  };

  it('declares every error code of API.md, but those of features still to be built', () => {
    const missing = contract.filter((code) => !ERROR_CODES.includes(code as ErrorCode));
    expect(missing.sort(), 'codes of API.md missing from core/shared/errors.ts').to.deep.equal(Object.keys(NOT_YET_PRODUCED).sort());
  });

  it("core/ holds no Korean: no Hangul in any of its files (the words are the HTTP adapter's, messages/)", () => {
    const HANGUL = /\p{Script=Hangul}/u;
    const worded = sourceFiles(join(ROOT, 'core'))
      .filter((file) => HANGUL.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(worded).to.deep.equal([]);
  });

  it("core/ holds no HTTP path: no string in its code starts with `/` and a name (routes and JSON pointers are the edge's)", () => {
    const withPaths = sourceFiles(join(ROOT, 'core')).flatMap((file) =>
      httpPathsIn(readFileSync(file, 'utf8')).map((path) => `${relative(ROOT, file)}: ${path}`),
    );
    expect(withPaths).to.deep.equal([]);
    expect(httpPathsIn("const a = [{ path: '/at' }];\n// see /media\n * `/api/x`\nconst b = `/api/posts/${id}`;")).to.deep.equal([
      "'/at",
      '`/api',
    ]);
  });

  it("every factory names a message the catalogues know: the code's own or a declared variant", () => {
    const unknown = Object.entries(errors)
      .map(([name, make]) => [name, (make as () => DomainError)().said.key] as const)
      .filter(([, key]) => !MESSAGE_KEYS.includes(key));
    expect(unknown).to.deep.equal([]);
  });

  describe('no dead entries: each is used somewhere outside core/shared/errors.ts', () => {
    let sources: string;
    const calls = (name: string) => new RegExp(`\\berrors\\.${name}\\b`).test(sources);
    before(() => {
      sources = ['core', 'adapters', 'composition']
        .flatMap((dir) => sourceFiles(join(ROOT, dir)))
        .filter((file) => relative(ROOT, file) !== join('core', 'errors.ts'))
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
    });

    it('every factory is called', () => {
      expect(
        Object.keys(errors).filter((name) => !calls(name)),
        'factories never called',
      ).to.deep.equal([]);
    });

    it('every code is built by a factory that is called', () => {
      const built = new Set(
        Object.entries(errors)
          .filter(([name]) => calls(name))
          .map(([, make]) => (make as () => DomainError)().code),
      );
      expect(
        ERROR_CODES.filter((code) => !built.has(code)),
        'codes never built',
      ).to.deep.equal([]);
    });
  });
});

/** String literals in code (comment lines left out) that begin like an HTTP path or a JSON pointer. */
function httpPathsIn(source: string): string[] {
  return source
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .flatMap((line) => [...line.matchAll(/['"`]\/[A-Za-z_]+/g)].map((m) => m[0]));
}
