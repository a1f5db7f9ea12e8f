import type { Middleware } from 'koa';
import { InMemorySessionStore } from '../adapters/fakes/in-memory-session-store.js';
import { InMemoryUserRepository } from '../adapters/fakes/in-memory-user-repository.js';
import { createOrm } from '../adapters/persistence/create-orm.js';
import { MikroOrmSessionStore } from '../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmUserRepository } from '../adapters/persistence/mikro-orm-user-repository.js';
import { requestContextMiddleware } from '../adapters/persistence/request-context.js';
import type { SessionStore } from '../core/ports/session-store.js';
import type { UserRepository } from '../core/ports/user-repository.js';
import type { Config } from './config-types.js';

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

/** MySQL/MariaDB when DB_HOST is set, else the embedded SQLite file (schema created on start). */
export async function openPersistence(config: Pick<Config, 'mysql' | 'sqlitePath'>): Promise<Persistence> {
  const db = await createOrm({ mysql: config.mysql, sqlitePath: config.sqlitePath });
  const em = db.orm.em;
  return {
    users: new MikroOrmUserRepository(em),
    sessions: new MikroOrmSessionStore(em),
    ping: () => db.ping(),
    perRequest: requestContextMiddleware(db.orm),
    close: () => db.close(),
  };
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
