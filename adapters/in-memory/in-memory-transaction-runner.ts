import type { TransactionRunner } from '../../core/shared/index.js';

/**
 * Runs the work as it is: the in-memory stores cannot roll back, so a failure half-way leaves what was
 * done. The databases' rollback is proven on SQLite and MariaDB (test/contracts/user-erasure.contract.ts).
 */
export class InMemoryTransactionRunner implements TransactionRunner {
  inTransaction<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
