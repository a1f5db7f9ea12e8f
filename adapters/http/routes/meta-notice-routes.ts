import { DeauthorizeMetaUser, GetMetaDeletionStatus, RequestMetaDataDeletion } from '../../../core/your-data/index.js';
import { defineRoute, routeModule } from '../route.js';
import { ok } from '../schemas.js';

export const DELETION_STATUS_PATH = '/oauth/meta/deletion-status';

/** What Meta posts: `signed_request`, form-encoded. */
const SIGNED_REQUEST_FORM = {
  type: 'object',
  required: ['signed_request'],
  additionalProperties: false,
  properties: { signed_request: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;
const NOTICE_ERRORS = {
  invalid_signed_request: 'bad signature, algorithm or payload; every request while META_APP_SECRET is unset',
  invalid_request: 'no signed_request',
};

/** Meta's deauthorize and data-deletion callbacks, authenticated by their signed_request, and the deletion status page. */
export const metaNoticeRoutes = routeModule(
  {
    deauthorizeMetaUser: DeauthorizeMetaUser,
    requestMetaDataDeletion: RequestMetaDataDeletion,
    getMetaDeletionStatus: GetMetaDeletionStatus,
  },
  ({ deauthorizeMetaUser, requestMetaDataDeletion, getMetaDeletionStatus, logger }) => [
    defineRoute({
      method: 'POST',
      path: '/oauth/meta/deauthorize',
      operationId: 'receiveMetaDeauthorization',
      errors: NOTICE_ERRORS,
      tag: 'your data',
      summary: "Meta's deauthorize callback: every persona link and token of that Meta user is removed",
      form: SIGNED_REQUEST_FORM,
      providerCallback: true,
      responses: { 200: { description: 'Removed (also for an unknown user, and for a replay)', schema: ok() } },
      async handler(ctx, { body }) {
        const { unlinked } = await deauthorizeMetaUser.execute({ signedRequest: body.signed_request });
        logger.info({ notice: 'meta_deauthorize', unlinked }, 'Meta deauthorize handled');
        ctx.body = { ok: true };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/oauth/meta/data-deletion',
      operationId: 'requestMetaDataDeletion',
      errors: NOTICE_ERRORS,
      tag: 'your data',
      summary: "Meta's data deletion request: that Meta user's tokens and links are deleted",
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
        const receipt = await requestMetaDataDeletion.execute({ signedRequest: body.signed_request });
        logger.info({ notice: 'meta_data_deletion' }, 'Meta data deletion handled');
        ctx.body = { url: receipt.url, confirmation_code: receipt.confirmationCode };
      },
    }),
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
