import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { TransactionRunner } from '../../core/shared/index.js';
import { currentEm } from './current-em.js';
import { translateDbErrors } from './translate-db-errors.js';

/** A MikroORM transaction: the repositories' calls inside join it (currentEm and runPrepared find it). */
export class MikroOrmTransactionRunner implements TransactionRunner {
  constructor(private readonly em: SqlEntityManager) {}

  inTransaction<T>(work: () => Promise<T>): Promise<T> {
    return translateDbErrors(() => currentEm(this.em).transactional(() => work()));
  }
}
