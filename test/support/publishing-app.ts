import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AesGcmTokenCipher } from '../../adapters/crypto/aes-gcm-token-cipher.js';
import type { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import type { OAuthIdentity } from '../../core/identity/index.js';
import type { InstagramLogin, Persona } from '../../core/personas/index.js';
import { pageTokenAssociatedData, tokenAssociatedData } from '../../core/instagram/index.js';
import { publishJobKey, type PostKind } from '../../core/publishing/index.js';
import type { TestDatabase } from './databases.js';
import { startFakeInstagram, type FakeInstagram } from './fake-instagram-server.js';
import { startFakeMeta, type FakeMeta } from './fake-meta-server.js';
import { solidImage } from './images.js';
import { metaNoticePayload, metaSignedRequest } from './meta-signed-request.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';
import { killWorkers, startWorkerProcess, until, type WorkerProcess } from './worker-process.js';

const FRONTEND = 'http://localhost:5174';
const META_APP = { META_APP_ID: 'meta-app', META_APP_SECRET: 'meta-secret' };
/** The sizes of the solid PNGs the user has uploaded (world.media, in this order). */
export const UPLOADED_SIZES = [
  [1080, 1080],
  [1080, 1350],
  [1200, 800],
] as const;
/** The workers' lease: a killed worker's job is taken over this long after its last heartbeat. */
const LEASE_MS = '1500';

export interface PublishingAppOptions {
  /** The app's and its in-process worker's clock (else the system's). */
  clock?: FixedClock;
  /** Runs the job worker inside the app; else only worker processes (startWorker) publish. */
  worker: boolean;
  /** Personas, each linked to an Instagram account of its own (default 1). */
  accounts?: number;
  rebind?: TestAppOptions['rebind'];
  /** The app's logger (silent unless given, e.g. captureLogs().logger). */
  logger?: TestAppOptions['logger'];
  /** More variables for the app (and its worker processes). */
  env?: Record<string, string>;
  /** The path the personas are linked through (default Facebook Login): it decides which fake Graph publishes. */
  login?: InstagramLogin;
  /** Whom the user signed in with (default kakao; a google user is deleted with no call to Kakao). */
  provider?: 'kakao' | 'google';
}

/** Another instance of the app beside the first: see `instance()`. */
export interface PublishingInstance {
  app: TestApp;
  /** Its own MEDIA_ROOT. */
  mediaRoot: string;
  /** A request as the signed-in user (the same session cookie as the first instance's); a JSON body. */
  send: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;
  /** POST /api/media of these bytes (a PNG unless `type` says) as the session of `as` (the signed-in user's by default): the answer. */
  upload: (bytes: Uint8Array, type?: string, as?: string) => Promise<Response>;
}

/** What the tests read of the fake Graph that publishes, either one: its publishing model, media_publish calls, expiry, insights. */
export type PublishingGraph = Pick<FakeMeta & FakeInstagram, 'publishing' | 'publishCalls' | 'expireTokens' | 'requests' | 'insights'>;

/** Both link paths, for the end-to-end publishing tests: everything issue 11 promised holds on each. */
export const LINK_PATHS: readonly InstagramLogin[] = ['facebook', 'instagram'];

export type PublishingApp = Awaited<ReturnType<typeof startPublishingApp>>;

/**
 * The real app on `database` beside the loopback fake Graph server: a signed-in user with personas linked
 * to Instagram accounts of the fake (linked through the stores the link use case writes: the persona's
 * link, its sealed user token and its sealed Page token) and images uploaded over HTTP into the media
 * library. Meta downloads the prepared images from the app (PUBLIC_MEDIA_BASE_URL is the app's URL), and
 * worker processes get the same database, media directory, keys and Graph server.
 */
export async function startPublishingApp(database: TestDatabase, options: PublishingAppOptions) {
  const meta = await startFakeMeta({ appId: META_APP.META_APP_ID, appSecret: 'meta-secret' });
  const instagram = await startFakeInstagram({ appId: 'ig-app', appSecret: 'ig-secret' });
  const login = options.login ?? 'facebook';
  const { persistence, env: databaseEnv, another } = await database.open();
  const env = {
    ...META_APP,
    META_GRAPH_BASE_URL: `${meta.url}/v25.0`,
    INSTAGRAM_APP_ID: 'ig-app',
    INSTAGRAM_APP_SECRET: 'ig-secret',
    INSTAGRAM_GRAPH_URL: instagram.url,
    INSTAGRAM_TOKEN_URL: `${instagram.url}/oauth/access_token`,
    INSTAGRAM_AUTHORIZE_URL: `${instagram.url}/oauth/authorize`,
    FRONTEND_URL: FRONTEND,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 11).toString('base64'),
    MEDIA_ROOT: mkdtempSync(join(tmpdir(), 'selfstar-media-')),
    WORKER_POLL_MS: '50',
    JOB_LEASE_MS: LEASE_MS,
    PUBLISH_STATUS_POLL_MS: '20',
    PUBLISH_QUOTA_RECHECK_MS: '60000',
    ...options.env,
  };
  const app = await startTestApp({
    env,
    persistence,
    clock: options.clock,
    worker: options.worker,
    rebind: options.rebind,
    logger: options.logger,
  });
  const provider = options.provider ?? 'kakao';
  const userId = (await persistence.users.upsertIdentity({ provider, providerUserId: '1', nickname: null, profileImage: null })).id;
  const cookie = await app.sessionCookie(userId);

  const senderFor =
    (to: TestApp): PublishingInstance['send'] =>
    (method, path, body, headers = {}) =>
      to.fetch(path, {
        method,
        headers: { cookie, origin: FRONTEND, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
  const uploaderFor =
    (to: TestApp): PublishingInstance['upload'] =>
    (bytes, type = 'image/png', as = cookie) =>
      to.fetch('/api/media', {
        method: 'POST',
        headers: { cookie: as, origin: FRONTEND, 'content-type': type },
        body: new Uint8Array(bytes),
      });
  const send = senderFor(app);
  const instances: TestApp[] = [];
  /** The answer's body, once its status is `status`. */
  async function expectStatus(res: Response, status: number) {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).to.equal(status);
    return body;
  }

  /** POST /api/media as the session of `as` (the user's by default): the new row, as the answer shows it. */
  const upload = uploaderFor(app);
  /** As `upload`, once it answered 201: the new row, as the answer shows it. */
  async function uploaded(...args: Parameters<typeof upload>) {
    return (await expectStatus(await upload(...args), 201)).media as { id: number; url: string };
  }

  const personas: Persona[] = [];
  for (let i = 0; i < (options.accounts ?? 1); i++)
    personas.push(await (login === 'facebook' ? linkedPersona(app, meta, userId, i) : linkedThroughInstagram(app, instagram, userId, i)));
  const media: number[] = [];
  for (const [width, height] of UPLOADED_SIZES) media.push((await uploaded(await solidImage(width, height))).id);

  const post = async (id: number) => (await expectStatus(await send('GET', `/api/posts/${id}`), 200)).post;
  const job = (postId: number) => persistence.jobs.findByDedupeKey(publishJobKey(postId));
  const workers: WorkerProcess[] = [];
  return {
    app,
    meta,
    instagram,
    login,
    /** The fake Graph the personas publish to: Facebook's or Instagram's, by the link path. */
    graph: (login === 'facebook' ? meta : instagram) as PublishingGraph,
    /** The app's MEDIA_ROOT. */
    mediaRoot: env.MEDIA_ROOT,
    persistence,
    userId,
    /** The user's session cookie. */
    cookie,
    upload,
    uploaded,
    /** Another user (e.g. a Google one), signed in: their id and session cookie. */
    async signIn(identity: OAuthIdentity) {
      const id = (await persistence.users.upsertIdentity(identity)).id;
      return { id, cookie: await app.sessionCookie(id) };
    },
    /** Meta's deauthorize or data-deletion notice about the fake's Meta user, signed by the app secret a second from now. */
    metaNotice(path: '/oauth/meta/deauthorize' | '/oauth/meta/data-deletion') {
      const signed = metaSignedRequest(metaNoticePayload(meta.userId, new Date(Date.now() + 1000)), META_APP.META_APP_SECRET);
      return app.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signed_request=${encodeURIComponent(signed)}`,
      });
    },
    personas,
    media,
    send,
    expectStatus,
    /** The answer is refused with `status` and `error`. */
    async expectError(res: Response, status: number, error: string) {
      expect((await expectStatus(res, status)).error).to.equal(error);
    },
    /** A draft of `personaId` with these images, made over HTTP. */
    async draft(personaId: number, images = media.slice(0, 1), caption = '셀프스타 #첫게시물') {
      return (await expectStatus(await send('POST', `/api/personas/${personaId}/posts`, { caption, media: images }), 201)).post;
    },
    /** A draft of `kind` made over HTTP: a feed post of one image with a caption, or a story of that image (no caption, an alt text). */
    async draftOf(kind: PostKind, personaId: number) {
      if (kind === 'feed') return this.draft(personaId);
      const body = { kind, media: media.slice(0, 1), alt_text: '창가의 지우' };
      return (await expectStatus(await send('POST', `/api/personas/${personaId}/posts`, body), 201)).post;
    },
    /** The post as GET /api/posts/:id shows it. */
    post,
    /** The post's publish job, if any. */
    job,
    /** The post once its publish job has ended (done, failed or needing attention). */
    async settled(postId: number) {
      await until(async () => ['done', 'failed', 'needs_attention'].includes((await job(postId))?.state ?? 'none'));
      return post(postId);
    },
    /** Resolves once the job waits for a later time (a retry's back-off, or the quota) after `attempts` tries. */
    async waitingAfter(postId: number, attempts: number) {
      await until(async () => {
        const queued = await job(postId);
        return queued?.state === 'queued' && queued.attempts === attempts && queued.runAt > (options.clock?.now() ?? new Date());
      });
    },
    /** A real `npm run worker` process (composition/worker.ts) on the same database, media and Graph server. */
    startWorker(): WorkerProcess {
      const worker = startWorkerProcess('composition/worker.ts', {
        ...env,
        ...databaseEnv,
        PUBLIC_MEDIA_BASE_URL: app.url,
        LOG_LEVEL: 'info',
      });
      workers.push(worker);
      return worker;
    },
    /**
     * Another instance of the app, as on another machine: the same database (its own connections), keys,
     * Graph server and variables, but its own MEDIA_ROOT and port; it runs the job worker when `worker`.
     */
    async instance({ worker, logger }: { worker: boolean; logger?: Logger }): Promise<PublishingInstance> {
      const mediaRoot = mkdtempSync(join(tmpdir(), 'selfstar-media-'));
      const persistence = await another();
      const other = await startTestApp({ env: { ...env, MEDIA_ROOT: mediaRoot }, persistence, clock: options.clock, worker, logger });
      instances.push(other);
      return { app: other, mediaRoot, send: senderFor(other), upload: uploaderFor(other) };
    },
    async close() {
      killWorkers(workers);
      for (const other of instances.splice(0)) await other.close();
      await app.close();
      await meta.close();
      await instagram.close();
    },
  };
}

/** Persona `index` of the user, linked to the fake's Instagram account of the same index (added to the fake's pages when missing). */
async function linkedPersona(app: TestApp, meta: FakeMeta, userId: number, index: number): Promise<Persona> {
  const linkable = meta.pages.filter((page) => page.ig);
  const page = linkable[index] ?? {
    id: `1040000000001${String(index).padStart(2, '0')}`,
    name: `Page ${index}`,
    ig: { id: `178414000000002${String(index).padStart(2, '0')}`, username: `selfstar.${index}` },
  };
  if (!linkable[index]) meta.pages.push(page);
  const { personas, instagramTokens } = app.persistence;
  const created = await personas.create(userId, `페르소나 ${index}`, {});
  const cipher = new AesGcmTokenCipher(app.config.tokenEncryptionKey);
  const sealed = cipher.seal('a-user-token-never-read', tokenAssociatedData(userId, created.num));
  await instagramTokens.save(userId, created.num, { sealed, expiresAt: null, metaUserId: meta.userId, storedAt: new Date() });
  await instagramTokens.savePageToken(
    userId,
    created.num,
    cipher.seal(meta.issuePageToken(page.id), pageTokenAssociatedData(userId, created.num)),
  );
  // Linked last: the worker's token check, which may run meanwhile, sees the persona with both tokens or not at all.
  await personas.linkInstagram(userId, created.id, {
    igUserId: page.ig!.id,
    igUsername: page.ig!.username,
    fbPageId: page.id,
    linkedAt: new Date(),
    login: 'facebook',
  });
  return (await personas.findOwned(userId, { id: created.id }))!;
}

/** Persona `index` of the user, linked through Instagram Login to an account of the fake Instagram of its own (its 60-day token sealed). */
async function linkedThroughInstagram(app: TestApp, instagram: FakeInstagram, userId: number, index: number): Promise<Persona> {
  const account =
    index === 0
      ? instagram.account
      : { igUserId: `178414000000003${String(index).padStart(2, '0')}`, username: `selfstar.solo.${index}`, accountType: 'BUSINESS' };
  const { personas, instagramTokens } = app.persistence;
  const created = await personas.create(userId, `페르소나 ${index}`, {});
  const cipher = new AesGcmTokenCipher(app.config.tokenEncryptionKey);
  const sealed = cipher.seal(instagram.issueToken(undefined, account), tokenAssociatedData(userId, created.num));
  const expiresAt = new Date(Date.now() + 60 * 86_400_000);
  await instagramTokens.save(userId, created.num, {
    sealed,
    expiresAt,
    metaUserId: instagram.appUserId,
    storedAt: new Date(),
    login: 'instagram',
  });
  await personas.linkInstagram(userId, created.id, {
    igUserId: account.igUserId,
    igUsername: account.username,
    fbPageId: null,
    linkedAt: new Date(),
    login: 'instagram',
  });
  return (await personas.findOwned(userId, { id: created.id }))!;
}
