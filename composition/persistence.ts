import type { Middleware } from 'koa';
import { InMemorySessionStore } from '../adapters/fakes/in-memory-session-store.js';
import { InMemoryUserRepository } from '../adapters/fakes/in-memory-user-repository.js';
import type { SessionStore } from '../core/ports/session-store.js';
import type { UserRepository } from '../core/ports/user-repository.js';

/** Every store the app needs, from one database (or from memory, in tests). */
export interface Persistence {
  users: UserRepository;
  sessions: SessionStore;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** Per-request scope (a MikroORM request context). */
  perRequest?: Middleware;
  close(): Promise<void>;
}

/** The in-memory twin, for tests. */
export function inMemoryPersistence(): Persistence {
  return {
    users: new InMemoryUserRepository(),
    sessions: new InMemorySessionStore(),
    ping: async () => {},
    close: async () => {},
  };
}
