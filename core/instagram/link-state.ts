import { errors, message, type Clock, type ErrorDetail, type Message } from '../shared/index.js';
import { sameSecret, verifyState } from '../identity/index.js';

/** What a link callback receives: the signed-in user, the nonce its session kept (removed from it: one use), the query. */
export interface LinkCallbackInput {
  sessionUserId: number | undefined;
  sessionNonce: string | undefined;
  query: { code?: string; state?: string; error?: string };
}

/**
 * A link callback's checks, the same on both paths: the state's signature (any of `secrets`), that it names a
 * persona, its expiry, one use, the same user as the session; then the provider's refusal and its code.
 * Each failure is a DomainError whose code is the redirect's `reason`. → the user, persona and code.
 */
export function verifyLinkCallback(
  { sessionUserId, sessionNonce, query }: LinkCallbackInput,
  secrets: readonly string[],
  clock: Clock,
): { userId: number; personaId: number; code: string } {
  const state = verifyState(query.state, secrets);
  if (!state) throw errors.stateInvalid();
  if (state.p === undefined) throw errors.personaRequired(message('link_state_names_no_persona'));
  if (state.e <= clock.now().getTime()) throw errors.stateExpired();
  if (!sameSecret(state.n, sessionNonce)) throw errors.stateUsed();
  if (sessionUserId !== state.u) throw errors.stateUserMismatch();
  if (query.error) throw errors.accessDenied(message('instagram_link_cancelled'));
  if (!query.code) throw errors.upstreamUnavailable(message('meta_returned_no_code'));
  return { userId: state.u, personaId: state.p, code: query.code };
}

/** Meta's status of a permission that is not `granted`; any other status is passed on as Meta says it. */
const WHY_MISSING: Record<string, Message> = {
  declined: message('permission_declined'),
  expired: message('permission_expired'),
};

/** Every required permission must be `granted`, else errors.permissionMissing naming each one and why. */
export function requireGranted(required: readonly string[], listed: readonly { name: string; status: string }[]): void {
  const status = new Map(listed.map((permission) => [permission.name, permission.status]));
  const missing: ErrorDetail[] = required
    .filter((name) => status.get(name) !== 'granted')
    .map((name) => ({ permission: name, message: whyMissing(status.get(name)) }));
  if (missing.length > 0) throw errors.permissionMissing(missing);
}

function whyMissing(status: string | undefined): Message {
  if (status === undefined) return message('permission_not_granted');
  return WHY_MISSING[status] ?? message('permission_status', { status });
}
