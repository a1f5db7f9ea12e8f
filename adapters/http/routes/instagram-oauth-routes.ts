import { DomainError, hasErrorCode, type ErrorCode } from '../../../core/shared/index.js';
import { CompleteInstagramLink, StartInstagramLink } from '../../../core/instagram/index.js';
import { detailPath } from '../error-middleware.js';
import { sessionOf, type AppContext } from '../app-state.js';
import { PERSONA_REF_QUERY, personaRefOf } from '../persona-ref.js';
import { wordsOf } from '../messages/catalogue.js';
import { defineRoute, routeModule } from '../route.js';
import { signedInUser } from '../session.js';

const param = { type: 'string', maxLength: 4096 } as const;

export const instagramOAuthRoutes = routeModule(
  { startInstagramLink: StartInstagramLink, completeInstagramLink: CompleteInstagramLink },
  ({ startInstagramLink, completeInstagramLink, frontendUrl, logger }) => {
    return [
      defineRoute({
        method: 'GET',
        path: '/oauth/instagram/start',
        operationId: 'startInstagramLink',
        errors: { persona_required: '', persona_not_found: '', provider_not_configured: '', rate_limited: 'per client IP, Retry-After' },
        tag: 'instagram',
        summary: 'Start Facebook Login for a persona (302)',
        auth: true,
        clientRateLimit: 'oauth-start',
        query: PERSONA_REF_QUERY,
        responses: {
          302: { description: 'to META_DIALOG_URL with a signed state' },
        },
        async handler(ctx, { userId, query }) {
          const { url, nonce } = await startInstagramLink.execute({ userId, persona: personaRefOf(query) });
          sessionOf(ctx).instagramNonce = nonce;
          ctx.redirect(url);
        },
      }),
      defineRoute({
        method: 'GET',
        path: '/oauth/instagram/callback',
        operationId: 'completeInstagramLink',
        errors: { persona_required: 'the state names no persona' },
        tag: 'instagram',
        summary: 'Facebook redirects back here (302)',
        session: true,
        clientRateLimit: 'oauth-callback',
        query: { type: 'object', properties: { code: param, state: param, error: param, error_reason: param, error_description: param } },
        responses: {
          302: { description: 'to FRONTEND_URL/mypage?ig=connected, or ?ig=error&reason=<code>' },
        },
        async handler(ctx, { query }) {
          const session = sessionOf(ctx);
          const sessionNonce = session.instagramNonce;
          delete session.instagramNonce; // one use, whatever happens next
          await completeInstagramLink.execute({ sessionUserId: signedInUser(ctx)?.id, sessionNonce, query });
          ctx.redirect(`${frontendUrl}/mypage?ig=connected`);
        },
        onError(ctx: AppContext, error: unknown) {
          if (hasErrorCode(error, 'persona_required')) throw error; // the spec's 400, as JSON
          const reason: ErrorCode = error instanceof DomainError ? error.code : 'internal_error';
          // details name what was missing (e.g. each permission not granted, and why), in English as logs are; never a token
          if (error instanceof DomainError) {
            const details = error.details?.map((detail) => ({ path: detailPath(detail), message: wordsOf(detail.message, 'en') }));
            logger.info({ reason, ...(details && { details }) }, 'instagram link failed');
          } else logger.error({ err: error }, 'instagram link failed');
          ctx.redirect(`${frontendUrl}/mypage?ig=error&reason=${reason}`);
        },
      }),
    ];
  },
);
