/**
 * A store holding rows that belong to a user. Erasing a user (DELETE /users/me, Kakao's unlink notice)
 * calls every such store inside one transaction; a new store of user data (posts, jobs, media rows)
 * implements this and joins UserEraser's list in composition/features/your-data/module.ts.
 */
export interface UserDataStore {
  /** Deletes every row of the user's (idempotent); returns the media URLs (`/media/<file>`) the deleted rows named. */
  deleteUserData(userId: number): Promise<string[]>;
}

/** Rows that name media files; one file may be named by several users' rows (names are content hashes). */
export interface MediaReferences {
  /** The ones of `urls` that some row, of any user, still names. */
  referenced(urls: string[]): Promise<string[]>;
}
