import type { Knex, SqlEntityManager } from '@mikro-orm/knex';
import type { Page, PageKey } from '../../core/shared/index.js';

/**
 * Keyset paging of a newest-first list, ordered by `created_at desc, id desc`. Keyed on (created_at, id),
 * not on id alone: the order the contract gives is by creation time, and ids follow it only while every
 * instance's clock agrees; id breaks the ties (created_at has milliseconds, two rows may share one). Both
 * columns are NOT NULL, and every index the lists use ends in them (InnoDB appends the primary key to a
 * secondary index, SQLite the rowid), so a page is one range read of the index, never a sort.
 *
 * "Older than the key" is written `created_at <= ? and (created_at < ? or id < ?)`, not as the row value
 * `(created_at, id) < (?, ?)`: the first conjunct is a range MariaDB's and SQLite's planners both read off
 * the index, the second filters the few rows of the key's own millisecond.
 */
export const OLDER_THAN_KEY = 'created_at <= ? and (created_at < ? or id < ?)';

/** The parameters of OLDER_THAN_KEY (a time as the driver stores it: epoch ms on SQLite, a Date on MySQL/MariaDB). */
export function olderThanKeyParams(em: SqlEntityManager, key: PageKey): unknown[] {
  const createdAt = em.getPlatform().processDateProperty(key.createdAt);
  return [createdAt, createdAt, key.id];
}

export type Dialect = 'sqlite' | 'mysql';

/** The SQL dialect of the database behind `em`: libsql's SQLite, or MySQL/MariaDB. */
export function dialectOf(em: SqlEntityManager): Dialect {
  return (em.getConnection().getKnex().client as Knex.Client).driverName === 'libsql' ? 'sqlite' : 'mysql';
}

/**
 * `table`, read through `index`. A list names its index: left to choose, MariaDB read a persona's posts
 * through the intersection of the user_id and persona_id indexes and sorted them (EXPLAIN in
 * test/contracts/list-plans.ts). SQLite spells the hint `indexed by`, MySQL and MariaDB `force index`.
 */
export function usingIndex(dialect: Dialect, table: string, index: string): string {
  return dialect === 'sqlite' ? `${table} indexed by ${index}` : `${table} force index (${index})`;
}

/**
 * A page's answer. A list reads `limit + 1` rows, one more than the page holds: `more` says whether that one
 * came, and then the page's last item is the key of the next page (there is none after the last page).
 */
export function pageOf<T extends { createdAt: Date; id: number }>(items: T[], more: boolean): Page<T> {
  const last = items.at(-1);
  return { items, next: more && last ? { createdAt: new Date(last.createdAt), id: last.id } : null };
}
