import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { PostRepositoryFixture } from '../contracts/post-repository.contract.js';
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

/** The post repository contract's fixture on one EntityManager, with the writer of a row as stored before error keys. */
export function mikroOrmPostFixture(em: SqlEntityManager, teardown: () => Promise<void>): PostRepositoryFixture {
  const { posts, jobs, users, personas, transactions } = mikroOrmStores(em);
  return {
    posts,
    jobs,
    users,
    personas,
    transactions,
    legacyError: (postId: number, code: string, sentence: string | null) =>
      em
        .getConnection()
        .execute('update ss_post set error_code = ?, error_key = null, error_params = null, error_message = ? where id = ?', [
          code,
          sentence,
          postId,
        ]),
    teardown,
  };
}
