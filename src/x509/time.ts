import * as pkijs from 'pkijs';

/**
 * A validity time (RFC 5280 4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050, with
 * whole seconds, as Go writes it.
 */
export function validityTime(date: Date): pkijs.Time {
  const year = date.getUTCFullYear();
  const type = year >= 1950 && year < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime;
  return new pkijs.Time({ type, value: new Date(Math.floor(date.getTime() / 1000) * 1000) });
}

/** RFC 3339 in UTC without fractions (`2026-11-25T12:53:00Z`), as cfssl certinfo prints times. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
