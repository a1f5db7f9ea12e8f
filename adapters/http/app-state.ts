import type { ParameterizedContext } from 'koa';

export interface AppState {
  requestId: string;
}

export type AppContext = ParameterizedContext<AppState>;

/** The session fields this app reads and writes. */
export interface AppSession {
  userId?: number;
  /** When the user signed in (ms since epoch): the session's absolute lifetime starts here. */
  authAt?: number;
  /** The nonce of the one Instagram link this browser may complete (one use). */
  instagramNonce?: string;
  /** The same for Instagram Login. */
  instagramLoginNonce?: string;
}

export function sessionOf(ctx: AppContext): AppSession {
  return ctx.session;
}
