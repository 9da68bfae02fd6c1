// SPDX-License-Identifier: EUPL-1.2
/**
 * Quiet hours: a publisher may ask not to post at night. Posts found during quiet hours are held and
 * released after they end, spread out so followers do not get a burst at 07:00.
 */
import { DateTime } from 'luxon';

export interface QuietHours { from: string; to: string }

function minutesOf(hhmm: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** The instant `day` (a local date in its zone) reads `minutes` on the wall clock; luxon moves a time in a DST gap forward. */
function atWallClock(day: DateTime, minutes: number): number {
  return day.startOf('day').set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

/** The quiet hours' bounds in minutes of the day and `nowMs` on the publisher's wall clock; null when none are set. */
function windowAt(nowMs: number, quiet: QuietHours | undefined, timezone: string): { from: number; to: number; local: DateTime } | null {
  if (!quiet) return null;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === null || to === null || from === to) return null;
  const local = DateTime.fromMillis(nowMs, { zone: timezone });
  return local.isValid ? { from, to, local } : null;
}

/**
 * null when `nowMs` is outside the quiet hours (or none are set), else the epoch ms when they end.
 * `from` > `to` crosses midnight (22:00 → 07:00). `from` == `to` means no quiet hours at all.
 * Wall-clock arithmetic in `timezone` keeps DST days right (the night of a change is an hour shorter or longer).
 */
export function quietUntil(nowMs: number, quiet: QuietHours | undefined, timezone: string): number | null {
  const w = windowAt(nowMs, quiet, timezone);
  if (!w) return null;
  const { from, to, local } = w;
  const now = local.hour * 60 + local.minute;
  if (from < to) {
    return now >= from && now < to ? atWallClock(local, to) : null;
  }
  if (now >= from) return atWallClock(local.plus({ days: 1 }), to);
  if (now < to) return atWallClock(local, to);
  return null;
}

/**
 * The latest instant not after `nowMs` at which the quiet hours ended (their `to` on the wall clock,
 * today or yesterday in `timezone`), or null when none are set. Used just after they end, to find the
 * night whose held posts are being released.
 */
export function lastQuietEnd(nowMs: number, quiet: QuietHours | undefined, timezone: string): number | null {
  const w = windowAt(nowMs, quiet, timezone);
  if (!w) return null;
  const { to, local } = w;
  const today = atWallClock(local, to);
  return today <= nowMs ? today : atWallClock(local.minus({ days: 1 }), to);
}

/**
 * When the `index`-th held post (0-based) may go out: one every `spacingMs` after `endMs`, plus up to
 * `jitterMs` of random delay so several publishers do not all fire on the same second.
 */
export function spreadAfter(endMs: number, index: number, spacingMs: number, jitterMs: number, random: () => number = Math.random): number {
  const i = Math.max(0, Math.floor(index));
  const jitter = jitterMs > 0 ? Math.floor(random() * jitterMs) : 0;
  return endMs + i * Math.max(0, spacingMs) + jitter;
}
