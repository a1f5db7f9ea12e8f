import type { SqlEntityManager } from '@mikro-orm/mysql';
import { MikroOrmInstagramTokenStore } from '../../adapters/persistence/mikro-orm-instagram-token-store.js';
import { MikroOrmJobQueue } from '../../adapters/persistence/mikro-orm-job-queue.js';
import { MikroOrmPersonaRepository } from '../../adapters/persistence/mikro-orm-persona-repository.js';
import { MikroOrmPostRepository } from '../../adapters/persistence/mikro-orm-post-repository.js';
import { MikroOrmSessionStore } from '../../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmTransactionRunner } from '../../adapters/persistence/mikro-orm-transaction-runner.js';
import { MikroOrmUserRepository } from '../../adapters/persistence/mikro-orm-user-repository.js';

/** Every store of user data on one EntityManager, with its transaction runner. */
export function mikroOrmStores(em: SqlEntityManager) {
  return {
    users: new MikroOrmUserRepository(em),
    sessions: new MikroOrmSessionStore(em),
    personas: new MikroOrmPersonaRepository(em),
    tokens: new MikroOrmInstagramTokenStore(em),
    posts: new MikroOrmPostRepository(em),
    jobs: new MikroOrmJobQueue(em),
    transactions: new MikroOrmTransactionRunner(em),
  };
}
