import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import session from 'koa-session';
import { STATE_TTL_MS, type User, type SessionData, type SessionStore } from '../../core/identity/index.js';
import type { AppSession } from './app-state.js';

export interface SessionOptions {
  store: SessionStore;
  cookieName: string;
  ttlSeconds: number;
  /** Secure cookies (BACKEND_URL is https). */
  secure: boolean;
}

/** 256 random bits, the only thing the cookie holds (docs/security.md: ≥ 128 bits, not randomUUID). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * koa-session over the SessionStore port. A session's absolute lifetime starts at sign-in
 * (`authAt`) and is enforced both here and by the store's expiry. A session nobody signed in to
 * (a started sign-in lives in its own cookie, not here) expires as an OAuth state would.
 */
export function sessionMiddleware(app: Koa<any, any>, options: SessionOptions): Koa.Middleware {
  const ttlMs = options.ttlSeconds * 1000;
  const expiresAt = (data: SessionData) => {
    const { authAt } = data as AppSession;
    return new Date(typeof authAt === 'number' ? authAt + ttlMs : Date.now() + STATE_TTL_MS);
  };
  const withSession = session(
    {
      key: options.cookieName,
      autoCommit: false, // committed below, once: after a sign-in's regenerate there is nothing left to save
      maxAge: ttlMs,
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      signed: true,
      rolling: false,
      renew: false,
      genid: newSessionId,
      valid: (_ctx, data) => {
        const { authAt } = data as AppSession;
        return typeof authAt !== 'number' || authAt + ttlMs > Date.now();
      },
      store: {
        get: async (id: string, _maxAge: number, { ctx }: { ctx?: Koa.Context }) => {
          const stored = await options.store.get(id, new Date());
          if (stored && ctx) readSessions.set(ctx, { id, user: stored.user });
          return stored?.data;
        },
        set: async (id: string, data: SessionData, _maxAge: number, { ctx }: { ctx?: Koa.Context }) => {
          // The session this request read is only updated: if a parallel request ended it, it stays ended.
          if (ctx && readSessions.get(ctx)?.id === id) await options.store.update(id, data, expiresAt(data));
          else await options.store.set(id, data, expiresAt(data));
        },
        destroy: (id: string) => options.store.destroy(id),
      },
    },
    app,
  );
  return (ctx, next) =>
    withSession(ctx, async () => {
      const handle = ctx.session!; // kept: after endSession ctx.session is null, but this still commits the removal
      try {
        await next();
      } finally {
        if (!committedAtSignIn.has(ctx)) await handle.manuallyCommit();
      }
    });
}

/**
 * The session each request read from the store: its id (a new or regenerated session has another) and
 * the user it was read with (SessionStore.get reads both in one statement).
 */
const readSessions = new WeakMap<Koa.Context, { id: string; user: User | null }>();

/**
 * The user the request is signed in as: the session (as read at the start of the request) names them
 * and they still exist. Null when signed out, after endSession, or after a sign-in in this request as
 * someone other than the user the session was read with.
 */
export function signedInUser(ctx: Koa.Context): User | null {
  const { userId } = (ctx.session ?? {}) as AppSession;
  const user = readSessions.get(ctx)?.user;
  return user && user.id === userId ? user : null;
}

/** Requests whose session startUserSession already wrote (regenerate commits at once). */
const committedAtSignIn = new WeakSet<Koa.Context>();

/**
 * Signs `userId` in: the old session row is destroyed and a new id issued (no fixation), and
 * nothing of the anonymous session (such as a pending OAuth state) is carried over.
 */
export async function startUserSession(ctx: Koa.Context, userId: number): Promise<void> {
  const current = ctx.session!;
  for (const key of Object.keys(current.toJSON())) delete (current as unknown as Record<string, unknown>)[key];
  Object.assign(current, { userId, authAt: Date.now() } satisfies AppSession);
  try {
    await current.regenerate();
  } catch (error) {
    // The store failed mid-way: never let the commit at the end save the signed-in data (perhaps under
    // the old, anonymous id), so the failed sign-in leaves the browser signed out.
    endSession(ctx);
    throw error;
  }
  committedAtSignIn.add(ctx);
}

/** Signs out: destroys the server-side row and clears the cookie. */
export function endSession(ctx: Koa.Context): void {
  ctx.session = null;
}
