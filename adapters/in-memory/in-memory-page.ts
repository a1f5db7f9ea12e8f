import type { Page, PageKey, PageRequest } from '../../core/shared/index.js';

interface Keyed {
  createdAt: Date;
  id: number;
}

/** Newer first: the later creation time, then the higher id. */
const newerFirst = (a: Keyed, b: Keyed) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;

/** Whether `row` comes after `key` in the newest-first order (it is older). */
const olderThan = (row: Keyed, key: PageKey) =>
  row.createdAt.getTime() < key.createdAt.getTime() || (row.createdAt.getTime() === key.createdAt.getTime() && row.id < key.id);

/** The page of `rows` a database's keyset query would give (`copy` makes each item the caller's own). */
export function newestFirstPage<T extends Keyed>(rows: T[], { limit, before }: PageRequest, copy: (row: T) => T): Page<T> {
  const older = before ? rows.filter((row) => olderThan(row, before)) : [...rows];
  const items = older.sort(newerFirst).slice(0, limit).map(copy);
  const last = items.at(-1);
  return { items, next: older.length > limit && last ? { createdAt: new Date(last.createdAt), id: last.id } : null };
}
