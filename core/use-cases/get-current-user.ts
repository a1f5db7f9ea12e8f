import { errors } from '../errors.js';
import { needsConsent, type User } from '../model.js';
import type { UserRepository } from '../ports/user-repository.js';

/** The signed-in user, or not_authenticated when the session names no existing user. */
export class GetCurrentUser {
  constructor(private readonly users: UserRepository) {}

  async execute(userId: number | undefined): Promise<User & { needsConsent: boolean }> {
    const user = userId === undefined ? null : await this.users.findById(userId);
    if (!user) throw errors.notAuthenticated();
    return { ...user, needsConsent: needsConsent(user) };
  }
}
