import { errors, message, type ErrorDetail, type Message, type Clock } from '../../shared/index.js';
import { sameSecret, verifyState } from '../../identity/index.js';
import { requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import { tokenAssociatedData } from '../persona-token.js';
import type { InstagramTokenStore } from '../ports/instagram-token-store.js';
import type { MetaGraph, MetaPermission } from '../ports/meta-graph.js';
import type { TokenCipher } from '../ports/token-cipher.js';

export interface CompleteInstagramLinkInput {
  /** The signed-in user and the nonce the session kept (already removed from it: one use). */
  sessionUserId: number | undefined;
  sessionNonce: string | undefined;
  query: { code?: string; state?: string; error?: string };
}

export interface CompleteInstagramLinkOptions {
  /** The session secret, then the secrets it replaced: a state signed with any of them verifies. */
  stateSecrets: readonly string[];
  /** META_SCOPES: every one must be granted, or the token is not stored. */
  requiredPermissions: string[];
}

/**
 * Verifies the state (signature, persona, expiry, one use, same user, persona still theirs), then
 * code → short-lived → long-lived token; checks that every required permission was granted, and stores
 * the token sealed for the persona with its Meta user. Nothing is stored on failure; each failure is a
 * DomainError whose code is the redirect's `reason`.
 */
export class CompleteInstagramLink {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly tokens: InstagramTokenStore,
    private readonly meta: MetaGraph,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
    private readonly options: CompleteInstagramLinkOptions,
  ) {}

  async execute({ sessionUserId, sessionNonce, query }: CompleteInstagramLinkInput): Promise<void> {
    const state = verifyState(query.state, this.options.stateSecrets);
    if (!state) throw errors.stateInvalid();
    if (state.p === undefined) throw errors.personaRequired(message('link_state_names_no_persona'));
    if (state.e <= this.clock.now().getTime()) throw errors.stateExpired();
    if (!sameSecret(state.n, sessionNonce)) throw errors.stateUsed();
    if (sessionUserId !== state.u) throw errors.stateUserMismatch();
    if (query.error) throw errors.accessDenied(message('instagram_link_cancelled'));
    if (!query.code) throw errors.upstreamUnavailable(message('meta_returned_no_code'));
    const persona = await requireOwnedPersona(this.personas, state.u, { id: state.p });

    const shortLived = await this.meta.exchangeCode(query.code);
    const longLived = await this.meta.exchangeForLongLived(shortLived.accessToken);
    const missing = missingPermissions(this.options.requiredPermissions, await this.meta.permissions(longLived.accessToken));
    if (missing.length > 0) throw errors.permissionMissing(missing);
    const metaUserId = await this.meta.userId(longLived.accessToken);
    const expiresAt = longLived.expiresInSeconds === null ? null : new Date(this.clock.now().getTime() + longLived.expiresInSeconds * 1000);
    const sealed = this.cipher.seal(longLived.accessToken, tokenAssociatedData(persona.userId, persona.num));
    await this.tokens.save(persona.userId, persona.num, { sealed, expiresAt, metaUserId, storedAt: this.clock.now() });
  }
}

/** Meta's status of a permission that is not `granted`; any other status is passed on as Meta says it. */
const WHY_MISSING: Record<string, Message> = {
  declined: message('permission_declined'),
  expired: message('permission_expired'),
};

/** Each required permission that is not `granted`, named with why: declined, expired, or not granted at all. */
function missingPermissions(required: string[], listed: MetaPermission[]): ErrorDetail[] {
  const status = new Map(listed.map((permission) => [permission.name, permission.status]));
  return required
    .filter((name) => status.get(name) !== 'granted')
    .map((name) => ({ permission: name, message: whyMissing(status.get(name)) }));
}

function whyMissing(status: string | undefined): Message {
  if (status === undefined) return message('permission_not_granted');
  return WHY_MISSING[status] ?? message('permission_status', { status });
}
