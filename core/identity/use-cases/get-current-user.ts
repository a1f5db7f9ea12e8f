import { errors } from '../../shared/index.js';
import { needsConsent, type User } from '../user.js';

/**
 * The signed-in user as the app shows them, or not_authenticated when nobody is. The user comes
 * already read (the session store reads it with the session: one round trip per request).
 */
export class GetCurrentUser {
  execute(user: User | null): User & { needsConsent: boolean } {
    if (!user) throw errors.notAuthenticated();
    return { ...user, needsConsent: needsConsent(user) };
  }
}
