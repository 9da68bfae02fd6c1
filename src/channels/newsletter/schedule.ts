// SPDX-License-Identifier: EUPL-1.2
/**
 * When digests go out: `instant` (every pass that finds new offers, about once a minute), `daily 08:00`
 * or `weekly mon 08:00`, in the publisher's time zone. A digest is named by its slot (the latest
 * scheduled time not after now), so every worker computes the same name and a digest is one thing in
 * Redis whichever process sends it.
 */
import { DateTime } from 'luxon';

export type Schedule =
  | { kind: 'instant' }
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'weekly'; weekday: number; hour: number; minute: number };

/** Italian and English three-letter days, Monday = 1 as luxon counts them. */
const DAYS: Record<string, number> = {
  mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7,
  lun: 1, mar: 2, mer: 3, gio: 4, ven: 5, sab: 6, dom: 7,
};

/** The schedule a config string says, or undefined when it says none. */
export function parseSchedule(text: string): Schedule | undefined {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === 'instant') return { kind: 'instant' };
  const time = (hh: string, mm: string) => {
    const hour = Number(hh), minute = Number(mm);
    return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
  };
  let m = /^daily (\d{1,2}):(\d{2})$/.exec(s);
  if (m) { const t = time(m[1]!, m[2]!); return t && { kind: 'daily', ...t }; }
  m = /^weekly ([a-z]{3}) (\d{1,2}):(\d{2})$/.exec(s);
  if (m) {
    const weekday = DAYS[m[1]!];
    const t = time(m[2]!, m[3]!);
    return weekday && t ? { kind: 'weekly', weekday, ...t } : undefined;
  }
  return undefined;
}

/**
 * The slot a digest sent at `now` belongs to: its id (`2026-12-01T08:00`, local time of `zone`) and the
 * epoch ms it started at. `instant` slots are minutes.
 */
export function currentSlot(schedule: Schedule, now: number, zone: string): { id: string; at: number } {
  const local = DateTime.fromMillis(now, { zone });
  let at: DateTime;
  if (schedule.kind === 'instant') at = local.startOf('minute');
  else {
    at = local.set({ hour: schedule.hour, minute: schedule.minute, second: 0, millisecond: 0 });
    if (schedule.kind === 'daily') { if (at > local) at = at.minus({ days: 1 }); }
    else {
      at = at.minus({ days: (at.weekday - schedule.weekday + 7) % 7 });
      if (at > local) at = at.minus({ weeks: 1 });
    }
  }
  return { id: at.toFormat("yyyy-LL-dd'T'HH:mm"), at: at.toMillis() };
}
