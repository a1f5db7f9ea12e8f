/** One database transaction around several store calls. */
export interface TransactionRunner {
  /** Every store call inside `work` commits together, or (when `work` throws) none does. */
  inTransaction<T>(work: () => Promise<T>): Promise<T>;
}
