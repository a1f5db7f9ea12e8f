/**
 * A datetime column as the query builder maps it (a Date) or as a prepared statement returns it:
 * epoch milliseconds from SQLite, 'YYYY-MM-DD HH:MM:SS[.fff]' in UTC from MySQL (timezone +00:00, dateStrings).
 */
export function toDate(value: Date | number | string): Date {
  if (typeof value === 'string') return new Date(`${value.replace(' ', 'T')}Z`);
  return new Date(value);
}

/** A nullable numeric column, as a number. */
export const numberOrNull = (value: number | null) => (value === null ? null : Number(value));
