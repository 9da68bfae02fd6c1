// SPDX-License-Identifier: EUPL-1.2
/**
 * Dates as followers read them: the deadline (scadenza) in the publisher's own timezone, and whether an
 * offer has already expired. Bad input returns a harmless value instead of throwing (promise 4).
 */
import { DateTime } from 'luxon';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** dd/mm/yyyy of `iso` as a wall-clock date in `timezone`; '' when the value is not a date. */
export function formatDeadline(iso: string, timezone: string): string {
  if (typeof iso !== 'string' || iso.trim() === '') return '';
  const value = iso.trim();
  // A bare date is already a calendar day: converting it through UTC could move it to the day before.
  const dt = DATE_ONLY.test(value)
    ? DateTime.fromISO(value, { zone: timezone })
    : DateTime.fromISO(value, { setZone: true }).setZone(timezone);
  return dt.isValid ? dt.toFormat('dd/MM/yyyy') : '';
}

/**
 * True when `validThrough` is at or before `nowMs`. A bare date means "until the end of that day" in
 * `timezone` (the office's day, not the server's). Missing or unparseable values never expire an offer:
 * dropping an offer because of a typo would lose it (promise 2).
 */
export function isExpired(validThrough: string | undefined, nowMs: number, timezone = 'Europe/Rome'): boolean {
  if (typeof validThrough !== 'string' || validThrough.trim() === '') return false;
  const value = validThrough.trim();
  const dt = DATE_ONLY.test(value)
    ? DateTime.fromISO(value, { zone: timezone }).endOf('day')
    : DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid) return false;
  return dt.toMillis() <= nowMs;
}
