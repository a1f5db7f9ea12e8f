import { errors, message } from '../shared/index.js';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTE_MS = 60_000;

/** Per time zone: its formatter, and the last answer with the UTC minute it holds for. */
const zones = new Map<string, { format: Intl.DateTimeFormat; minute: number; date: string }>();

/**
 * The calendar date (YYYY-MM-DD) of `instant` in the given IANA time zone. A zone's date changes only on
 * a whole minute of UTC (today's offsets are whole minutes), so the answer is kept for the rest of that
 * minute: formatToParts was a few percent of a PUT /users/me/profile.
 */
export function calendarDate(instant: Date, timeZone: string): string {
  const minute = Math.floor(instant.getTime() / MINUTE_MS);
  let zone = zones.get(timeZone);
  if (zone?.minute === minute) return zone.date;
  zone ??= { format: new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), minute, date: '' };
  const parts = zone.format.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  zone.minute = minute;
  zone.date = `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
  zones.set(timeZone, zone);
  return zone.date;
}

/**
 * Throws the contract's 422 code when `birthday` is not a real YYYY-MM-DD date,
 * lies after `today`, or before 1900.
 */
export function assertValidBirthday(birthday: string, today: string): void {
  const match = DATE_PATTERN.exec(birthday);
  if (!match) throw errors.invalidBirthday();
  const [year, month, day] = match.slice(1).map(Number);
  if (year < 1900) throw errors.birthdayTooOld();
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw errors.invalidBirthday(message('birthday_not_calendar_date', { birthday }));
  }
  // Both strings are zero-padded YYYY-MM-DD, so string order is date order.
  if (birthday > today) throw errors.birthdayInFuture();
}
