import { UnlinkKakao } from '../../../core/identity/index.js';
import { defineRoute, routeModule } from '../route.js';
import { ok } from '../schemas.js';
import { endSession } from '../session.js';

/** Signing out, and disconnecting a Kakao account from the app. */
export const accountRoutes = routeModule({ unlinkKakao: UnlinkKakao }, ({ unlinkKakao }) => {
  return [
    defineRoute({
      method: 'POST',
      path: '/auth/logout',
      operationId: 'logout',
      tag: 'sign-in',
      summary: 'Sign out (idempotent)',
      session: true,
      responses: { 200: { description: 'The session is destroyed and the cookie cleared', schema: ok() } },
      handler(ctx) {
        endSession(ctx);
        ctx.body = { ok: true };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/auth/kakao/unlink',
      operationId: 'unlinkKakao',
      errors: { not_kakao_user: '', upstream_unavailable: '', kakao_admin_key_missing: '' },
      tag: 'sign-in',
      summary: 'Disconnect the Kakao account from the app, then sign out',
      auth: true,
      responses: {
        200: { description: 'Unlinked', schema: ok() },
      },
      async handler(ctx, { userId }) {
        await unlinkKakao.execute(userId);
        endSession(ctx);
        ctx.body = { ok: true };
      },
    }),
  ];
});
