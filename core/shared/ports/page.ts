/**
 * A position in a newest-first list: its items are ordered by creation time, then id, both descending, and
 * a key names the place right after one item. Keyset paging: the next page is "older than this key", so
 * items added meanwhile (they are newer) never shift or repeat a later page.
 */
export interface PageKey {
  createdAt: Date;
  id: number;
}

/** Which page: at most `limit` items, those strictly older than `before` (from the newest without it). */
export interface PageRequest {
  limit: number;
  before?: PageKey;
}

/** One page, newest first; `next` is the key to ask for the page after it, null when nothing is older. */
export interface Page<T> {
  items: T[];
  next: PageKey | null;
}
