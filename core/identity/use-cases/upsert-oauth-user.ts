import type { User } from '../user.js';
import type { OAuthIdentity, UserRepository } from '../ports/user-repository.js';

const MAX_NICKNAME = 255;
const MAX_IMAGE_URL = 1024;

/** One user per (provider, provider id); nickname and image refreshed at every sign-in. */
export class UpsertOAuthUser {
  constructor(private readonly users: UserRepository) {}

  execute(identity: OAuthIdentity): Promise<User> {
    return this.users.upsertIdentity({
      provider: identity.provider,
      providerUserId: identity.providerUserId,
      nickname: identity.nickname?.trim().slice(0, MAX_NICKNAME) || null,
      profileImage: httpUrlOrNull(identity.profileImage),
    });
  }
}

function httpUrlOrNull(url: string | null): string | null {
  if (!url || url.length > MAX_IMAGE_URL) return null;
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}
