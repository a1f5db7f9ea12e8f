import { DomainError, hasErrorCode, type ErrorCode } from '../../../core/shared/index.js';
import { type Provider, CompleteSignIn, StartSignIn } from '../../../core/identity/index.js';
import { sessionOf, type AppContext } from '../app-state.js';
import { PendingSignInCookie } from '../pending-sign-in-cookie.js';
import { defineRoute, routeModule, type Route, type RouteModuleDeps } from '../route.js';
import { endSession, startUserSession } from '../session.js';

const NEEDS = { startSignIn: StartSignIn, completeSignIn: CompleteSignIn, pendingSignIns: PendingSignInCookie };
type SignInRouteDeps = RouteModuleDeps<typeof NEEDS>;

const CALLBACK_ERRORS: ErrorCode[] = ['state_mismatch', 'access_denied', 'provider_error', 'rate_limited'];
const param = { type: 'string', maxLength: 2048 } as const;

export const signInRoutes = routeModule(NEEDS, (deps) =>
  (['kakao', 'google'] as const).flatMap((provider) => providerRoutes(provider, deps)),
);

function providerRoutes(
  provider: Provider,
  { startSignIn, completeSignIn, pendingSignIns, frontendUrl, logger }: SignInRouteDeps,
): Route[] {
  const capitalized = provider[0].toUpperCase() + provider.slice(1);
  return [
    defineRoute({
      method: 'GET',
      path: `/auth/${provider}/login`,
      operationId: `start${capitalized}SignIn`,
      errors: { provider_not_configured: '', rate_limited: 'per client IP, Retry-After' },
      tag: 'sign-in',
      summary: `Start signing in with ${provider} (302)`,
      clientRateLimit: 'oauth-start',
      // No session: the pending sign-in goes into a cookie, so a start writes no row and a signed-in
      // user stays signed in until the callback succeeds.
      query: { type: 'object', properties: { next: { ...param, description: 'relative path to land on afterwards' } } },
      responses: {
        302: { description: `to ${provider}'s consent page` },
      },
      handler(ctx, { query }) {
        const { url, pending } = startSignIn.execute({ provider, next: query.next });
        pendingSignIns.write(ctx, pending);
        ctx.redirect(url);
      },
    }),
    defineRoute({
      method: 'GET',
      path: `/auth/${provider}/callback`,
      operationId: `complete${capitalized}SignIn`,
      tag: 'sign-in',
      summary: `${provider} redirects back here (302)`,
      session: true,
      clientRateLimit: 'oauth-callback',
      query: { type: 'object', properties: { code: param, state: param, error: param, error_description: param } },
      responses: {
        302: {
          description: 'to FRONTEND_URL + next, or to FRONTEND_URL/login?error=state_mismatch|access_denied|provider_error|rate_limited',
        },
      },
      async handler(ctx, { query }) {
        const pending = pendingSignIns.take(ctx, provider);
        const { user, next } = await completeSignIn.execute({ provider, pending, query });
        await startUserSession(ctx, user.id);
        ctx.redirect(frontendUrl + next);
      },
      onError(ctx: AppContext, error: unknown) {
        const code: ErrorCode = hasErrorCode(error, ...CALLBACK_ERRORS) ? error.code : 'provider_error';
        if (error instanceof DomainError) logger.info({ provider, code: error.code }, 'sign-in failed');
        else logger.error({ err: error, provider }, 'sign-in failed');
        // The flow leaves no session behind; a user who was already signed in stays signed in (unless
        // issuing the new session failed half-way: startUserSession has then ended it).
        if (ctx.session && sessionOf(ctx).userId === undefined) endSession(ctx);
        ctx.redirect(`${frontendUrl}/login?error=${code}`);
      },
    }),
  ];
}
