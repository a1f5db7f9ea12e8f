import { DeauthorizeMetaUser, GetMetaDeletionStatus, RequestMetaDataDeletion } from '../../../core/your-data/index.js';
import type { Logger } from 'pino';
import type { InstagramLogin } from '../../../core/personas/index.js';
import { defineRoute, routeModule, type Route } from '../route.js';
import { ok } from '../schemas.js';

export const DELETION_STATUS_PATH = '/oauth/meta/deletion-status';

/** What Meta posts: `signed_request`, form-encoded. */
const SIGNED_REQUEST_FORM = {
  type: 'object',
  required: ['signed_request'],
  additionalProperties: false,
  properties: { signed_request: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;

/** The two notices of one Meta app: where they are posted, how OpenAPI names them, whose users they name. */
interface NoticeApp {
  login: InstagramLogin;
  base: string;
  operations: { deauthorize: string; dataDeletion: string };
  who: string;
  secret: string;
}

/** POST {base}/deauthorize and {base}/data-deletion: the same effects and answers for both apps, each verified with its own secret. */
function noticeRoutes(
  app: NoticeApp,
  {
    deauthorizeMetaUser,
    requestMetaDataDeletion,
    logger,
  }: { deauthorizeMetaUser: DeauthorizeMetaUser; requestMetaDataDeletion: RequestMetaDataDeletion; logger: Logger },
): Route[] {
  const errors = {
    invalid_signed_request: `bad signature, algorithm or payload; every request while ${app.secret} is unset`,
    invalid_request: 'no signed_request',
  };
  return [
    defineRoute({
      method: 'POST',
      path: `${app.base}/deauthorize`,
      operationId: app.operations.deauthorize,
      errors,
      tag: 'your data',
      summary: `${app.who}'s deauthorize callback: every persona link and token of that user is removed`,
      form: SIGNED_REQUEST_FORM,
      providerCallback: true,
      responses: { 200: { description: 'Removed (also for an unknown user, and for a replay)', schema: ok() } },
      async handler(ctx, { body }) {
        const { unlinked } = await deauthorizeMetaUser.execute({ signedRequest: body.signed_request, login: app.login });
        logger.info({ notice: 'meta_deauthorize', login: app.login, unlinked }, 'Meta deauthorize handled');
        ctx.body = { ok: true };
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${app.base}/data-deletion`,
      operationId: app.operations.dataDeletion,
      errors,
      tag: 'your data',
      summary: `${app.who}'s data deletion request: that user's tokens and links are deleted`,
      form: SIGNED_REQUEST_FORM,
      providerCallback: true,
      responses: {
        200: {
          description: 'Deleted; a replay answers the same code',
          schema: {
            type: 'object',
            required: ['url', 'confirmation_code'],
            properties: { url: { type: 'string' }, confirmation_code: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
          },
        },
      },
      async handler(ctx, { body }) {
        const receipt = await requestMetaDataDeletion.execute({ signedRequest: body.signed_request, login: app.login });
        logger.info({ notice: 'meta_data_deletion', login: app.login }, 'Meta data deletion handled');
        ctx.body = { url: receipt.url, confirmation_code: receipt.confirmationCode };
      },
    }),
  ];
}

/** Meta's deauthorize and data-deletion callbacks (Facebook Login's app), authenticated by their signed_request, and the deletion status page. */
export const metaNoticeRoutes = routeModule(
  {
    deauthorizeMetaUser: DeauthorizeMetaUser,
    requestMetaDataDeletion: RequestMetaDataDeletion,
    getMetaDeletionStatus: GetMetaDeletionStatus,
  },
  ({ getMetaDeletionStatus, ...deps }) => [
    ...noticeRoutes(
      {
        login: 'facebook',
        base: '/oauth/meta',
        operations: { deauthorize: 'receiveMetaDeauthorization', dataDeletion: 'requestMetaDataDeletion' },
        who: 'Meta',
        secret: 'META_APP_SECRET',
      },
      deps,
    ),
    defineRoute({
      method: 'GET',
      path: DELETION_STATUS_PATH,
      operationId: 'getMetaDeletionStatus',
      errors: { invalid_request: 'no code', not_found: 'unknown code' },
      tag: 'your data',
      summary: 'The status of a Meta data deletion request, by its confirmation code',
      query: {
        type: 'object',
        required: ['code'],
        properties: { code: { type: 'string', minLength: 1, maxLength: 128 } },
      },
      responses: {
        200: {
          description: 'Deleted',
          schema: {
            type: 'object',
            required: ['ok', 'status', 'requested_at'],
            properties: { ok: { const: true }, status: { const: 'deleted' }, requested_at: { type: 'string', format: 'date-time' } },
          },
        },
      },
      async handler(ctx, { query }) {
        const request = await getMetaDeletionStatus.execute({ code: query.code });
        ctx.body = { ok: true, status: 'deleted', requested_at: request.requestedAt.toISOString() };
      },
    }),
  ],
);

/** The Instagram app's own notices (Instagram Login), signed with INSTAGRAM_APP_SECRET: the same effects and answers, for its links. */
export const instagramLoginNoticeRoutes = routeModule(
  { deauthorizeMetaUser: DeauthorizeMetaUser, requestMetaDataDeletion: RequestMetaDataDeletion },
  (deps) =>
    noticeRoutes(
      {
        login: 'instagram',
        base: '/oauth/instagram-login',
        operations: { deauthorize: 'receiveInstagramLoginDeauthorization', dataDeletion: 'requestInstagramLoginDataDeletion' },
        who: 'The Instagram app',
        secret: 'INSTAGRAM_APP_SECRET',
      },
      deps,
    ),
);
