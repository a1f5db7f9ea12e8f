/**
 * Seeds the database through the project's own repositories (before any server starts): users, each
 * with a signed-in session, and personas for the user GET /auth/me and GET /api/personas run as, the
 * first with posts (each of two images from the user's media library) for GET /api/personas/:id/posts.
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { newSessionId } from '../../adapters/http/session.js';
import { openPersistence, type Persistence } from '../../composition/persistence.js';
import { ormTarget, type DbTarget } from './database.js';

export const COOKIE_NAME = 'sid';
const USERS = 200;
const PERSONAS = ['하나', '둘', '셋'];
const POSTS = 20;
const SESSION_LIFETIME_MS = 7 * 24 * 3600_000;

export interface Seeded {
  users: number;
  /** The user of GET /auth/me and GET /api/personas. */
  meUserId: number;
  /** How many personas meUserId has. */
  mePersonas: number;
  /** The persona of meUserId whose posts GET /api/personas/:id/posts lists, and how many it has. */
  postsPersonaId: number;
  posts: number;
  /** Cookie header value for meUserId. */
  meCookie: string;
  /** One Cookie header value per seeded user, a line each (COOKIES_FILE for the lua scripts). */
  cookiesFile: string;
}

/** koa-session's signed cookie: keygrip's HMAC-SHA1 of "name=value", base64url. */
function signedCookie(sid: string, secret: string): string {
  const signature = createHmac('sha1', secret).update(`${COOKIE_NAME}=${sid}`).digest('base64url');
  return `${COOKIE_NAME}=${sid}; ${COOKIE_NAME}.sig=${signature}`;
}

export async function seed(target: DbTarget, sessionSecret: string, cookiesFile: string): Promise<Seeded> {
  const persistence = await openPersistence(ormTarget(target));
  try {
    const cookies: string[] = [];
    const userIds: number[] = [];
    for (let n = 1; n <= USERS; n++) {
      const user = await persistence.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: `bench-${n}`,
        nickname: `벤치${n}`,
        profileImage: null,
      });
      const sid = newSessionId();
      await persistence.sessions.set(sid, { userId: user.id, authAt: Date.now() }, new Date(Date.now() + SESSION_LIFETIME_MS));
      cookies.push(signedCookie(sid, sessionSecret));
      userIds.push(user.id);
    }
    const personas = [];
    for (const name of PERSONAS) personas.push(await persistence.personas.create(userIds[0], name, { mood: '밝음' }));
    await seedPosts(persistence, userIds[0], personas[0].id);
    writeFileSync(cookiesFile, `${cookies.join('\n')}\n`);
    return {
      users: USERS,
      meUserId: userIds[0],
      mePersonas: PERSONAS.length,
      postsPersonaId: personas[0].id,
      posts: POSTS,
      meCookie: cookies[0],
      cookiesFile,
    };
  } finally {
    await persistence.close();
  }
}

/** POSTS drafts of the persona, each of the same two media rows (the files need not exist: the list only names them). */
async function seedPosts(persistence: Persistence, userId: number, personaId: number): Promise<void> {
  const media = [];
  for (const n of [1, 2]) {
    const row = {
      userId,
      url: `/media/bench-${n}.png`,
      contentType: 'image/png',
      width: 1080,
      height: 1350,
      bytes: 90_000,
      source: 'upload',
    } as const;
    const added = await persistence.mediaLibrary.add(row, new Date());
    media.push({ mediaId: added.id, url: added.url });
  }
  for (let n = 1; n <= POSTS; n++) {
    const caption = `벤치 게시물 ${n} #selfstar #bench @selfstar.demo`;
    await persistence.posts.create({ userId, personaId, caption, altText: `${n}번째 이미지`, media }, new Date());
  }
}
