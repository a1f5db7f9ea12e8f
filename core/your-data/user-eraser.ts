import type { TransactionRunner, UserDataStore } from '../shared/index.js';
import type { UserRepository } from '../identity/index.js';
import type { UnnamedFiles } from '../images/index.js';

export interface ErasedUser {
  /** Image files that no row names any more but could not be removed (the rows are gone all the same). */
  filesLeft: string[];
}

/** Deletes a user and everything that is theirs: the rows in one transaction, then the files no one else names. */
export class UserEraser {
  constructor(
    private readonly users: UserRepository,
    /** Every store of user data, deleted in this order before the user row. */
    private readonly stores: UserDataStore[],
    private readonly files: UnnamedFiles,
    private readonly transactions: TransactionRunner,
  ) {}

  async erase(userId: number): Promise<ErasedUser> {
    const named = await this.transactions.inTransaction(async () => {
      const urls: string[] = [];
      for (const store of this.stores) urls.push(...(await store.deleteUserData(userId)));
      await this.users.delete(userId);
      return urls;
    });
    return { filesLeft: await this.files.remove(named) };
  }
}
