// SPDX-License-Identifier: EUPL-1.2
/**
 * Feed dates → ISO UTC instants. Feeds of small offices write dates without a zone ("Mon, 23 Nov 2026
 * 09:15:00", "23/11/2026", "23 novembre 2026"); `new Date()` would read those in the *server's* zone.
 * Here a zone-less date is read in the publisher's zone, explicitly, with luxon.
 */
import { DateTime } from 'luxon';

export interface ParsedDate {
  iso: string;
  /** The source gave a day without a time: callers decide start or end of that day. */
  dateOnly: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
  gen: 1, gennaio: 1, febbraio: 2, marzo: 3, aprile: 4, mag: 5, maggio: 5, giu: 6, giugno: 6, lug: 7,
  luglio: 7, ago: 8, agosto: 8, set: 9, settembre: 9, ott: 10, ottobre: 10, novembre: 11, dic: 12, dicembre: 12,
};

// RFC 822 zone names (obsolete but common in RSS) as offsets in minutes.
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360,
  PST: -480, PDT: -420, CET: 60, CEST: 120,
};

// "[Mon,] 23 Nov 2026 [09:15[:00]] [+0100|GMT]" and "23 novembre 2026 ore 9.15"
const DAY_MONTH_YEAR = /^(?:[\p{L}]+\.?,?\s+)?(\d{1,2})\s+([\p{L}]+)\.?\s+(\d{2,4})(?:,?\s+(?:ore\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,4})?$/u;
// "23/11/2026", "23-11-2026 09:15", "23.11.2026"
const NUMERIC_DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}/;

function fromParts(
  y: number, mo: number, d: number, h: string | undefined, mi: string | undefined, s: string | undefined,
  zone: string | undefined, tz: string,
): ParsedDate | undefined {
  if (y < 100) y += y < 70 ? 2000 : 1900;
  const dateOnly = h === undefined;
  let opts: { zone: string };
  if (zone === undefined) opts = { zone: tz };
  else if (/^[+-]/.test(zone)) {
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!m) return undefined;
    const mins = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    opts = { zone: `UTC${mins >= 0 ? '+' : '-'}${Math.floor(Math.abs(mins) / 60)}:${String(Math.abs(mins) % 60).padStart(2, '0')}` };
  } else {
    const off = ZONES[zone.toUpperCase()];
    if (off === undefined) return undefined;
    opts = { zone: off === 0 ? 'UTC' : `UTC${off >= 0 ? '+' : '-'}${Math.abs(off) / 60}` };
  }
  const dt = DateTime.fromObject(
    { year: y, month: mo, day: d, hour: h ? Number(h) : 0, minute: mi ? Number(mi) : 0, second: s ? Number(s) : 0 },
    opts,
  );
  if (!dt.isValid) return undefined;
  return { iso: dt.toUTC().toISO()!, dateOnly };
}

/** Parses a feed date; undefined when it cannot be read without guessing. */
export function parseFeedDate(raw: string | undefined, tz: string): ParsedDate | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim().replace(/\s+/g, ' ');
  if (!s || s.length > 100) return undefined;
  if (ISO_LIKE.test(s)) {
    const dt = DateTime.fromISO(s.replace(' ', 'T'), { zone: tz, setZone: false });
    if (!dt.isValid) return undefined;
    return { iso: dt.toUTC().toISO()!, dateOnly: /^\d{4}-\d{2}-\d{2}$/.test(s) };
  }
  let m = NUMERIC_DMY.exec(s);
  if (m) return fromParts(Number(m[3]), Number(m[2]), Number(m[1]), m[4], m[5], m[6], undefined, tz);
  m = DAY_MONTH_YEAR.exec(s);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined) return undefined;
    return fromParts(Number(m[3]), month, Number(m[1]), m[4], m[5], m[6], m[7], tz);
  }
  // RFC 822 with the year before the time is covered above; anything else is refused, not guessed.
  return undefined;
}

/** A date-only value becomes the given end of that day in the publisher's zone. */
export function toInstant(d: ParsedDate | undefined, tz: string, dayEdge: 'start' | 'end'): string | undefined {
  if (!d) return undefined;
  if (!d.dateOnly) return d.iso;
  const day = DateTime.fromISO(d.iso, { zone: 'UTC' }).setZone(tz);
  return (dayEdge === 'end' ? day.endOf('day') : day.startOf('day')).toUTC().toISO()!;
}
