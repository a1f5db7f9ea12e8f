import type { Profile, Provider, User, OAuthIdentity, UserRepository } from '../../core/identity/index.js';

export class InMemoryUserRepository implements UserRepository {
  private readonly rows = new Map<number, User>();
  private nextId = 1;

  async findById(id: number): Promise<User | null> {
    const user = this.rows.get(id);
    return user ? { ...user } : null;
  }

  async findByIdentity(provider: Provider, providerUserId: string): Promise<User | null> {
    const user = [...this.rows.values()].find((u) => u.provider === provider && u.providerUserId === providerUserId);
    return user ? { ...user } : null;
  }

  async upsertIdentity(identity: OAuthIdentity): Promise<User> {
    let user = [...this.rows.values()].find((u) => u.provider === identity.provider && u.providerUserId === identity.providerUserId);
    if (!user) {
      user = { id: this.nextId++, ...identity, birthday: null, gender: null };
      this.rows.set(user.id, user);
    }
    user.nickname = identity.nickname;
    user.profileImage = identity.profileImage;
    return { ...user };
  }

  async updateProfile(id: number, profile: Profile): Promise<boolean> {
    const user = this.rows.get(id);
    if (!user) return false;
    Object.assign(user, profile);
    return true;
  }

  async delete(id: number): Promise<boolean> {
    return this.rows.delete(id);
  }
}
