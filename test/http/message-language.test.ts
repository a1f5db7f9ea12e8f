import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HANGUL = /\p{Script=Hangul}/u;
const KOREAN = 'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7'; // a Korean browser's header
const ENGLISH = 'en-US,en;q=0.9';

interface ErrorBody {
  ok: false;
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}

describe('HTTP error messages follow Accept-Language (English or Korean)', () => {
  let app: TestApp;
  let cookie: string;

  beforeEach(async () => {
    app = await startTestApp({ env: { SIGN_IN_RATE_PER_MINUTE: '1', KAKAO_CLIENT_ID: 'kakao-client' } });
    const me = await app.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null });
    cookie = await app.sessionCookie(me.id);
  });
  afterEach(() => app.close());

  /** The answer's status, body and language headers, asked in `language` (no header when undefined). */
  async function ask(path: string, language: string | undefined, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (language !== undefined) headers.set('accept-language', language);
    const res = await app.fetch(path, { ...init, headers });
    return {
      status: res.status,
      body: (await res.json()) as ErrorBody,
      contentLanguage: res.headers.get('content-language'),
      vary: res.headers.get('vary') ?? '',
    };
  }

  const unauthenticated = (language?: string) => ask('/api/personas', language);
  const notFound = (language?: string) => ask('/api/personas/999', language, { headers: { cookie } });
  const invalidBody = (language?: string) =>
    ask('/api/personas', language, {
      method: 'POST',
      body: JSON.stringify({ parameters: {}, extra: 1 }),
      headers: { cookie, 'content-type': 'application/json' },
    });

  /** Both answers carry the same status and code; each is in its language and says so. */
  async function expectBoth(answer: (language?: string) => ReturnType<typeof ask>, status: number, code: string, en: string, ko: string) {
    const english = await answer(ENGLISH);
    const korean = await answer(KOREAN);
    expect([english.status, korean.status]).to.deep.equal([status, status]);
    expect(english.body).to.include({ ok: false, error: code, message: en });
    expect(korean.body).to.include({ ok: false, error: code, message: ko });
    expect([english.contentLanguage, korean.contentLanguage]).to.deep.equal(['en', 'ko']);
    for (const { vary } of [english, korean]) expect(vary).to.match(/\bAccept-Language\b/i);
    return { english, korean };
  }

  it('401 not_authenticated', async () => {
    await expectBoth(unauthenticated, 401, 'not_authenticated', 'Sign in first.', '로그인이 필요해요.');
  });

  it('404 persona_not_found', async () => {
    await expectBoth(notFound, 404, 'persona_not_found', 'No such persona.', '페르소나를 찾을 수 없어요.');
  });

  it('422 validation_failed: details keep their JSON pointers, their sentences translated by ajv-i18n', async () => {
    const { english, korean } = await expectBoth(
      invalidBody,
      422,
      'validation_failed',
      'The request body is invalid.',
      '요청 내용이 올바르지 않아요.',
    );
    const paths = (body: ErrorBody) => body.details!.map((detail) => detail.path).sort();
    expect(paths(english.body)).to.deep.equal(['/extra', '/name']);
    expect(paths(korean.body)).to.deep.equal(paths(english.body));
    expect(english.body.details).to.deep.include({ path: '/name', message: "must have required property 'name'" });
    expect(english.body.details).to.deep.include({ path: '/extra', message: 'is not allowed' });
    expect(korean.body.details).to.deep.include({ path: '/name', message: 'name 속성은 필수입니다' });
    for (const detail of korean.body.details!) expect(detail.message, detail.path).to.match(HANGUL);
  });

  it('422 details made by the app itself are translated too', async () => {
    const blank = (language: string) =>
      ask('/api/personas', language, {
        method: 'POST',
        body: JSON.stringify({ name: '   ' }),
        headers: { cookie, 'content-type': 'application/json' },
      });
    expect((await blank(ENGLISH)).body.details).to.deep.equal([{ path: '/name', message: 'must not be blank' }]);
    expect((await blank(KOREAN)).body.details).to.deep.equal([{ path: '/name', message: '비워 둘 수 없어요' }]);
  });

  it('429 rate_limited', async () => {
    expect((await app.fetch('/auth/kakao/login')).status).to.equal(302); // the one start a minute allowed
    const signInStart = (language?: string) => ask('/auth/kakao/login', language);
    await expectBoth(
      signInStart,
      429,
      'rate_limited',
      'Too many sign-in attempts; try again shortly.',
      '로그인 시도가 너무 많아요. 잠시 후 다시 시도해 주세요.',
    );
  });

  describe('which language', () => {
    const languageFor = async (header: string | undefined) => {
      const { body, contentLanguage } = await unauthenticated(header);
      expect(body.error, 'the code never changes').to.equal('not_authenticated');
      expect(body.message).to.equal(contentLanguage === 'ko' ? '로그인이 필요해요.' : 'Sign in first.');
      return contentLanguage;
    };

    it('is English without Accept-Language, and for languages other than Korean', async () => {
      for (const header of [undefined, '', 'fr-FR,fr', 'ja', '*', 'en']) expect(await languageFor(header), String(header)).to.equal('en');
    });

    it('is Korean for ko and its regional forms', async () => {
      for (const header of ['ko', 'ko-KR', 'KO-kr', 'fr, ko']) expect(await languageFor(header), header).to.equal('ko');
    });

    it('honours q-values: the higher wins, and q=0 refuses a language', async () => {
      expect(await languageFor('en;q=0.5, ko;q=0.9')).to.equal('ko');
      expect(await languageFor('ko;q=0.4, en;q=0.6')).to.equal('en');
      expect(await languageFor('ko;q=0')).to.equal('en');
      expect(await languageFor('ko-KR;q=0, en;q=0.1')).to.equal('en');
      expect(await languageFor('en;q=0, ko;q=0.1')).to.equal('ko');
    });

    it('keeps header order between equal q-values', async () => {
      expect(await languageFor('ko, en')).to.equal('ko');
      expect(await languageFor('en, ko')).to.equal('en');
    });
  });
});
