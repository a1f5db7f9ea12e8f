import { DateTime, IANAZone } from 'luxon';
import { errors, message, type Message } from '../shared/index.js';

const LOCAL_AT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)$/;
const MAX_AHEAD_MS = 365 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** An IANA zone's name (`Asia/Seoul`, `UTC`, `Etc/GMT+9`): Node 24's ICU also takes offsets such as `+09:00`, which are not zones. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * The UTC instant of a wall-clock time `localAt` (`YYYY-MM-DDTHH:mm`) in the IANA zone `timeZone`.
 * A time the zone skips (a daylight-saving gap) is refused, never shifted; a time it passes twice (the
 * fall-back overlap) is the earlier instant.
 */
export function instantOf(localAt: string, timeZone: string): Date {
  if (!ZONE_NAME.test(timeZone) || !IANAZone.isValidZone(timeZone)) throw errors.invalidTimeZone();
  const zone = IANAZone.create(timeZone);
  const wallAsUtc = wallClockAsUtc(localAt);
  // The offsets in force around that wall-clock time: a gap or an overlap lies between them.
  const offsets = new Set([-1, 0, 1].map((days) => zone.offset(wallAsUtc + days * 24 * HOUR_MS)));
  const instants = [...offsets]
    .map((offset) => wallAsUtc - offset * 60_000)
    .filter((instant) => zone.offset(instant) * 60_000 === wallAsUtc - instant)
    .sort((a, b) => a - b);
  if (instants.length === 0) throw atError(message('schedule_time_skipped', { localAt, timeZone }));
  return new Date(instants[0]);
}

/** The instant a post is scheduled for: after `now`, at most 365 days ahead. */
export function scheduleInstant(localAt: string, timeZone: string, now: Date): Date {
  const at = instantOf(localAt, timeZone);
  if (at.getTime() <= now.getTime()) throw errors.scheduleInPast();
  if (at.getTime() > now.getTime() + MAX_AHEAD_MS) throw errors.scheduleTooFar();
  return at;
}

/** The wall-clock time's fields read as if it were UTC, in ms; 422 when it is no calendar time. */
function wallClockAsUtc(localAt: string): number {
  const [, year, month, day, hour, minute] = LOCAL_AT.exec(localAt)?.map(Number) ?? [];
  const wall = year === undefined ? null : DateTime.fromObject({ year, month, day, hour, minute }, { zone: 'utc' });
  if (!wall?.isValid) throw atError(message('schedule_time_format'));
  return wall.toMillis();
}

function atError(said: Message) {
  return errors.validationFailed(message('schedule_time_invalid'), [{ field: ['at'], message: said }]);
}
