import type { MediaStore } from './ports/media-store.js';
import type { TransactionRunner } from './ports/transaction-runner.js';
import type { MediaReferences, UserDataStore } from './ports/user-data-store.js';
import type { UserRepository } from './ports/user-repository.js';

export interface ErasedUser {
  /** Image files that no row names any more but could not be removed (the rows are gone all the same). */
  filesLeft: string[];
}

export interface UserDataParts {
  /** Deleted in this order, before the user row. */
  stores: UserDataStore[];
  /** Everything that may name a media file, asked before a file is removed. */
  mediaReferences: MediaReferences[];
}

/** Deletes a user and everything that is theirs: the rows in one transaction, then the files no one else names. */
export class UserEraser {
  constructor(
    private readonly users: UserRepository,
    private readonly data: UserDataParts,
    private readonly media: MediaStore,
    private readonly transactions: TransactionRunner,
  ) {}

  async erase(userId: number): Promise<ErasedUser> {
    const named = await this.transactions.inTransaction(async () => {
      const urls: string[] = [];
      for (const store of this.data.stores) urls.push(...(await store.deleteUserData(userId)));
      await this.users.delete(userId);
      return [...new Set(urls)];
    });
    // After the commit: a rolled-back erase must not have removed a file its rows still name.
    const stillNamed = new Set((await Promise.all(this.data.mediaReferences.map((refs) => refs.referenced(named)))).flat());
    const unnamed = named.filter((url) => !stillNamed.has(url));
    const removals = await Promise.allSettled(unnamed.map((url) => this.media.remove(url)));
    return { filesLeft: unnamed.filter((_, i) => removals[i].status === 'rejected') };
  }
}
