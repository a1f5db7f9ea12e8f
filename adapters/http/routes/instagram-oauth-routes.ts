import { DomainError, hasErrorCode, type ErrorCode } from '../../../core/shared/index.js';
import type { InstagramLogin } from '../../../core/personas/index.js';
import { CompleteInstagramLink, StartInstagramLink, type LinkCallbackInput } from '../../../core/instagram/index.js';
import { detailPath } from '../error-middleware.js';
import { sessionOf, type AppContext, type AppSession } from '../app-state.js';
import { PERSONA_REF_QUERY, personaRefOf } from '../persona-ref.js';
import { wordsOf } from '../messages/catalogue.js';
import { defineRoute, routeModule, type Route } from '../route.js';
import { signedInUser } from '../session.js';
import type { Logger } from 'pino';

const param = { type: 'string', maxLength: 4096 } as const;

/** One link path's routes: where they live, how OpenAPI names them, and the session field its one-use nonce takes. */
interface LinkPath {
  login: InstagramLogin;
  base: string;
  nonce: keyof Pick<AppSession, 'instagramNonce' | 'instagramLoginNonce'>;
  operations: { start: string; complete: string };
  summaries: { start: string; complete: string };
  dialog: string;
}

/**
 * GET {base}/start and {base}/callback of a link path, the same for Facebook Login and Instagram Login: a signed
 * state whose nonce the session keeps (one use), the same rate limits per client, and a callback that always
 * redirects to the frontend (`?ig=connected`, or `?ig=error&reason=<code>`), except for a state naming no persona (400).
 */
export function linkPathRoutes(
  path: LinkPath,
  start: StartInstagramLink,
  complete: (input: LinkCallbackInput) => Promise<unknown>,
  { frontendUrl, logger }: { frontendUrl: string; logger: Logger },
): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: `${path.base}/start`,
      operationId: path.operations.start,
      errors: { persona_required: '', persona_not_found: '', provider_not_configured: '', rate_limited: 'per client IP, Retry-After' },
      tag: 'instagram',
      summary: path.summaries.start,
      auth: true,
      clientRateLimit: 'oauth-start',
      query: PERSONA_REF_QUERY,
      responses: { 302: { description: `to ${path.dialog} with a signed state` } },
      async handler(ctx, { userId, query }) {
        const { url, nonce } = await start.execute({ userId, persona: personaRefOf(query), login: path.login });
        sessionOf(ctx)[path.nonce] = nonce;
        ctx.redirect(url);
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${path.base}/callback`,
      operationId: path.operations.complete,
      errors: { persona_required: 'the state names no persona' },
      tag: 'instagram',
      summary: path.summaries.complete,
      session: true,
      clientRateLimit: 'oauth-callback',
      query: { type: 'object', properties: { code: param, state: param, error: param, error_reason: param, error_description: param } },
      responses: { 302: { description: 'to FRONTEND_URL/mypage?ig=connected, or ?ig=error&reason=<code>' } },
      async handler(ctx, { query }) {
        const session = sessionOf(ctx);
        const sessionNonce = session[path.nonce];
        delete session[path.nonce]; // one use, whatever happens next
        await complete({ sessionUserId: signedInUser(ctx)?.id, sessionNonce, query });
        ctx.redirect(`${frontendUrl}/mypage?ig=connected`);
      },
      onError(ctx: AppContext, error: unknown) {
        if (hasErrorCode(error, 'persona_required')) throw error; // the spec's 400, as JSON
        const reason: ErrorCode = error instanceof DomainError ? error.code : 'internal_error';
        // details name what was missing (e.g. each permission not granted, and why), in English as logs are; never a token
        if (error instanceof DomainError) {
          const details = error.details?.map((detail) => ({ path: detailPath(detail), message: wordsOf(detail.message, 'en') }));
          logger.info({ reason, login: path.login, ...(details && { details }) }, 'instagram link failed');
        } else logger.error({ err: error, login: path.login }, 'instagram link failed');
        ctx.redirect(`${frontendUrl}/mypage?ig=error&reason=${reason}`);
      },
    }),
  ];
}

/** Linking through Facebook Login (a Facebook Page connected to the account); the account is chosen next (instagram-account-routes). */
export const instagramOAuthRoutes = routeModule(
  { startInstagramLink: StartInstagramLink, completeInstagramLink: CompleteInstagramLink },
  ({ startInstagramLink, completeInstagramLink, ...deps }) =>
    linkPathRoutes(
      {
        login: 'facebook',
        base: '/oauth/instagram',
        nonce: 'instagramNonce',
        operations: { start: 'startInstagramLink', complete: 'completeInstagramLink' },
        summaries: { start: 'Start Facebook Login for a persona (302)', complete: 'Facebook redirects back here (302)' },
        dialog: 'META_DIALOG_URL',
      },
      startInstagramLink,
      (input) => completeInstagramLink.execute(input),
      deps,
    ),
);
