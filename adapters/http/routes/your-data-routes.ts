import type { Logger } from 'pino';
import { DeleteAccount, ReceiveKakaoUnlinkNotice, type ErasedUser } from '../../../core/your-data/index.js';
import { defineRoute, routeModule, type Route } from '../route.js';
import { ok } from '../schemas.js';
import { endSession } from '../session.js';

/** Kakao's fields as its unlink notice sends them; fields Kakao may add later are let through. */
const UNLINK_NOTICE = {
  type: 'object',
  required: ['app_id', 'user_id'],
  properties: {
    app_id: { type: 'string', pattern: '^[0-9]{1,20}$' },
    user_id: { type: 'string', pattern: '^[0-9]{1,20}$', description: "the Kakao user's id" },
    referrer_type: { type: 'string', maxLength: 64, description: 'why, e.g. UNLINK_FROM_APPS or ACCOUNT_DELETE' },
  },
} as const;

/** Deleting an account: by the user (DELETE /users/me), or on Kakao's word (its unlink notice). */
export const yourDataRoutes = routeModule(
  { deleteAccount: DeleteAccount, receiveKakaoUnlinkNotice: ReceiveKakaoUnlinkNotice },
  ({ deleteAccount, receiveKakaoUnlinkNotice, logger }) => {
    const unlinkNotice = (method: 'GET' | 'POST') =>
      defineRoute({
        method,
        path: '/auth/kakao/unlink-callback',
        operationId: `receiveKakaoUnlinkNoticeBy${method === 'GET' ? 'Get' : 'Post'}`,
        errors: {
          invalid_request: 'missing fields, or another app_id than KAKAO_APP_ID',
          not_authenticated: 'the admin key is missing or wrong',
          kakao_admin_key_missing: 'KAKAO_ADMIN_KEY is not set, so no notice can be checked',
        },
        tag: 'your data',
        summary: `Kakao's unlink notice (${method === 'GET' ? 'query' : 'urlencoded form'}, Authorization: KakaoAK admin key)`,
        form: UNLINK_NOTICE,
        providerCallback: true,
        responses: {
          200: { description: "The user's data is deleted, or there was none (idempotent)", schema: ok() },
        },
        async handler(ctx, { body }) {
          const authorization = ctx.get('authorization') || undefined;
          const result = await receiveKakaoUnlinkNotice.execute({ authorization, appId: body.app_id, kakaoUserId: body.user_id });
          logger.info({ provider: 'kakao', referrerType: body.referrer_type, erased: result.erased }, 'Kakao unlink notice');
          logFilesLeft(logger, result);
          ctx.body = { ok: true };
        },
      });
    const routes: Route[] = [
      defineRoute({
        method: 'DELETE',
        path: '/users/me',
        operationId: 'deleteAccount',
        errors: {
          upstream_unavailable: 'Kakao did not unlink; nothing was deleted',
          kakao_admin_key_missing: 'a Kakao account cannot be unlinked here; nothing was deleted',
        },
        tag: 'your data',
        summary: 'Delete my account and everything that is mine (a Kakao account is unlinked at Kakao first)',
        auth: true,
        responses: {
          200: { description: 'Deleted; every session of the user ended and the cookie cleared', schema: ok() },
        },
        async handler(ctx, { user }) {
          logFilesLeft(logger, await deleteAccount.execute(user!));
          endSession(ctx);
          ctx.body = { ok: true };
        },
      }),
      unlinkNotice('GET'),
      unlinkNotice('POST'),
    ];
    return routes;
  },
);

/** The rows are gone either way; a file that could not be removed is left for an operator. */
function logFilesLeft(logger: Logger, { filesLeft }: ErasedUser): void {
  if (filesLeft.length > 0) logger.warn({ files: filesLeft }, 'a deleted user’s image files could not be removed');
}
