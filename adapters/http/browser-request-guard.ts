import { errors } from '../../core/shared/index.js';
import type { AppContext } from './app-state.js';
import type { Route } from './route.js';

const STATE_CHANGING = new Set<Route['method']>(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every state-changing route answers only the app's own pages; a provider's callback authenticates its caller itself. */
export function guardsBrowserRequests(route: Route): boolean {
  return STATE_CHANGING.has(route.method) && !route.providerCallback;
}

/**
 * SameSite=Lax still lets a same-site page (a sibling subdomain, another localhost port) post a
 * form with the session cookie, and a form can only send urlencoded, multipart or text/plain.
 * So a state-changing request must come from a trusted origin and carry JSON (or, on a route declared
 * with `upload`, one of its types, none of which a form can send) or nothing:
 * - an `Origin` other than the trusted ones (`null` included) is 403 origin_forbidden;
 * - without `Origin`, `Sec-Fetch-Site: cross-site` is 403 too; neither header (curl, a server) passes;
 * - another Content-Type, or a body without one, is 415.
 */
export function browserRequestGuard(trustedUrls: string[]): (ctx: AppContext, uploadTypes?: string[]) => void {
  const trusted = new Set(trustedUrls.map((url) => new URL(url).origin));
  return (ctx, uploadTypes) => {
    const origin = ctx.headers.origin;
    const crossSite = origin === undefined ? ctx.get('Sec-Fetch-Site').toLowerCase() === 'cross-site' : !trusted.has(origin);
    if (crossSite) throw errors.originForbidden();
    const type = ctx.request.type.trim().toLowerCase();
    const hasBody = Boolean(ctx.request.length) || ctx.get('Transfer-Encoding') !== '';
    if ((uploadTypes ?? ['application/json']).includes(type) || (type === '' && !hasBody)) return;
    throw errors.unsupportedMediaType();
  };
}
