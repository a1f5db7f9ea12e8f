/**
 * Before anything is measured: every server answers each route it is measured on with a 200 and a
 * body that shows it did the work (the seeded user, the saved profile, the PNG's bytes, an SVG card);
 * the FastAPI peer too, when its rows are measured.
 */
import type { BenchContext } from './context.js';
import { startServer, stop } from './processes.js';
import { serverSpec, SERVER_LABELS, type ServerKind } from './servers.js';

interface Answer {
  status: number;
  type: string;
  bytes: Buffer;
  json(): Record<string, any>;
}

interface Check {
  label: string;
  method?: string;
  path: string;
  cookie?: boolean;
  body?: unknown;
  /** What is wrong with the answer, or null. */
  verdict(answer: Answer): string | null;
}

const PROFILE = { birthday: '1990-05-17', gender: '여성' };
const IMAGE_BODY = { name: '민지', gender: '여성', feature: '밝은 미소', options: ['casual'] };

const helloJson: Check = { label: 'GET /', path: '/', verdict: (a) => (a.json().hello === 'world' ? null : 'no {"hello":"world"}') };

function checksOf(ctx: BenchContext, kind: ServerKind): Check[] {
  const { meUserId, mePersonas, postsPersonaId, posts } = ctx.seeded;
  const png: Check = {
    label: `GET /media/${ctx.png.name.slice(0, 12)}….png`,
    path: `/media/${ctx.png.name}`,
    verdict: (a) =>
      !a.type.startsWith('image/png') ? `content-type ${a.type}` : a.bytes.equals(ctx.png.bytes) ? null : 'not the PNG written',
  };
  const me: Check = {
    label: 'GET /auth/me',
    path: '/auth/me',
    cookie: true,
    verdict: (a) => (a.json().user?.id === meUserId ? null : `not user ${meUserId}`),
  };
  const put: Check = {
    label: 'PUT /users/me/profile',
    method: 'PUT',
    path: '/users/me/profile',
    cookie: true,
    body: PROFILE,
    verdict: (a) => (a.json().user?.birthday === PROFILE.birthday ? null : 'the answer does not carry the new birthday'),
  };
  const meAfterPut: Check = {
    ...me,
    label: 'GET /auth/me after the PUT',
    verdict: (a) => (a.json().user?.birthday === PROFILE.birthday && a.json().user?.gender === PROFILE.gender ? null : 'profile not saved'),
  };
  const health: Check = { label: 'GET /health', path: '/health', verdict: (a) => (a.json().status === 'ok' ? null : 'no {"status":"ok"}') };
  switch (kind) {
    case 'fastapi':
      return peerChecks(ctx, health, put);
    case 'node-hello':
    case 'koa-hello':
      return [helloJson];
    case 'node-stream':
      return [png];
    case 'raw-db':
      return [me, put, meAfterPut];
    case 'selfstar':
    case 'selfstar-b':
      return [
        health,
        me,
        put,
        meAfterPut,
        {
          label: 'GET /api/personas',
          path: '/api/personas',
          cookie: true,
          verdict: (a) => (a.json().personas?.length === mePersonas ? null : `not ${mePersonas} personas`),
        },
        {
          label: 'GET /api/personas/:id/posts',
          path: `/api/personas/${postsPersonaId}/posts`,
          cookie: true,
          verdict: (a) => (a.json().posts?.length === posts ? null : `not ${posts} posts`),
        },
        png,
        {
          label: 'POST /api/images',
          method: 'POST',
          path: '/api/images',
          cookie: true,
          body: IMAGE_BODY,
          verdict: (a) =>
            a.json().source === 'fallback' && String(a.json().image).startsWith('data:image/svg+xml') ? null : 'not an SVG fallback',
        },
      ];
  }
}

/** The peer's /auth/me answers the user's fields flat ({id, nickname, birthday, gender, needs_consent}); its PUT as ours. */
function peerChecks(ctx: BenchContext, health: Check, put: Check): Check[] {
  const { id, nickname } = ctx.peer!.meUser;
  const me: Check = {
    label: 'GET /auth/me',
    path: '/auth/me',
    cookie: true,
    verdict: (a) => (a.json().id === id && a.json().nickname === nickname ? null : `not user ${id} (${nickname})`),
  };
  const meAfterPut: Check = {
    ...me,
    label: 'GET /auth/me after the PUT',
    verdict: (a) =>
      a.json().birthday === PROFILE.birthday && a.json().gender === PROFILE.gender && a.json().needs_consent === false
        ? null
        : 'profile not saved',
  };
  return [health, me, put, meAfterPut];
}

async function ask(port: number, check: Check, cookie: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${check.path}`, {
    method: check.method ?? 'GET',
    headers: {
      ...(check.cookie ? { cookie } : {}),
      ...(check.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: check.body === undefined ? undefined : JSON.stringify(check.body),
    signal: AbortSignal.timeout(5000),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    bytes,
    json: () => JSON.parse(bytes.toString('utf8')) as Record<string, any>,
  };
}

/** Starts each server once and runs its checks; throws naming every failure. */
export async function functionalCheck(ctx: BenchContext): Promise<void> {
  const failures: string[] = [];
  for (const kind of Object.keys(SERVER_LABELS) as ServerKind[]) {
    if ((kind === 'fastapi' && !ctx.peer) || (kind === 'selfstar-b' && !process.env.AB_DIR)) continue;
    const cookie = kind === 'fastapi' ? ctx.peer!.meCookie : ctx.seeded.meCookie;
    const server = await startServer(await serverSpec(ctx, kind));
    try {
      for (const check of checksOf(ctx, kind)) {
        let wrong: string | null;
        try {
          const answer = await ask(server.port, check, cookie);
          wrong = answer.status !== 200 ? `status ${answer.status}: ${answer.bytes.toString('utf8', 0, 300)}` : check.verdict(answer);
        } catch (error) {
          wrong = (error as Error).message;
        }
        console.log(`  [${wrong ? 'FAIL' : 'ok'}] ${kind} ${check.label}${wrong ? `: ${wrong}` : ''}`);
        if (wrong) failures.push(`${SERVER_LABELS[kind]} ${check.label}: ${wrong}`);
      }
    } finally {
      await stop(server);
    }
  }
  if (failures.length > 0) throw new Error(`functional check failed:\n  ${failures.join('\n  ')}`);
}
