// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { parseFeedDate, toInstant } from '../../../src/feeds/dates.ts';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';

const ROME = 'Europe/Rome';
const iso = (raw: string, edge: 'start' | 'end' = 'start') => toInstant(parseFeedDate(raw, ROME), ROME, edge);

describe('feed dates', () => {
  it('reads a zone-less RFC 822 date in the publisher zone (winter, CET)', () => {
    expect(iso('Mon, 23 Nov 2026 09:15:00')).toBe('2026-11-23T08:15:00.000Z');
  });
  it('reads a zone-less date in summer time (CEST) and across the DST change', () => {
    expect(iso('Wed, 15 Jul 2026 09:15:00')).toBe('2026-07-15T07:15:00.000Z');
    // 29 March 2026: clocks go 02:00 → 03:00 in Rome.
    expect(iso('2026-03-29T01:30:00')).toBe('2026-03-29T00:30:00.000Z');
    expect(iso('2026-03-29T03:30:00')).toBe('2026-03-29T01:30:00.000Z');
    // 25 October 2026: clocks go 03:00 → 02:00.
    expect(iso('2026-10-25 12:00')).toBe('2026-10-25T11:00:00.000Z');
  });
  it('respects an explicit offset or zone name', () => {
    expect(iso('Mon, 23 Nov 2026 09:15:00 +0100')).toBe('2026-11-23T08:15:00.000Z');
    expect(iso('Mon, 23 Nov 2026 09:15:00 GMT')).toBe('2026-11-23T09:15:00.000Z');
    expect(iso('Mon, 23 Nov 2026 09:15:00 EST')).toBe('2026-11-23T14:15:00.000Z');
    expect(iso('2026-11-23T09:15:00Z')).toBe('2026-11-23T09:15:00.000Z');
    expect(iso('2026-11-23T09:15:00-05:00')).toBe('2026-11-23T14:15:00.000Z');
  });
  it('reads dd/mm/yyyy and Italian month names', () => {
    expect(iso('23/11/2026')).toBe('2026-11-22T23:00:00.000Z');
    expect(iso('05.07.2026 14:30')).toBe('2026-07-05T12:30:00.000Z');
    expect(iso('23 novembre 2026')).toBe('2026-11-22T23:00:00.000Z');
    expect(iso('lun, 23 nov 2026 09:15')).toBe('2026-11-23T08:15:00.000Z');
    expect(iso('1 agosto 2026 ore 9.30')).toBe('2026-08-01T07:30:00.000Z');
  });
  it('ends a date-only deadline at 23:59:59.999 of that day in the publisher zone', () => {
    expect(iso('30/11/2026', 'end')).toBe('2026-11-30T22:59:59.999Z');
    expect(iso('2026-07-31', 'end')).toBe('2026-07-31T21:59:59.999Z');
  });
  it('refuses what it cannot read instead of guessing', () => {
    expect(parseFeedDate('domani', ROME)).toBeUndefined();
    expect(parseFeedDate('31/02/2026', ROME)).toBeUndefined();
    expect(parseFeedDate('', ROME)).toBeUndefined();
  });
  it('marks an offer whose deadline passed as expired', () => {
    const body = Buffer.from(JSON.stringify({
      '@context': 'https://schema.org', '@graph': [
        { '@type': 'JobPosting', title: 'Vecchia', url: 'https://cpi.example/1', validThrough: '2026-11-25' },
        { '@type': 'JobPosting', title: 'Oggi', url: 'https://cpi.example/2', validThrough: '2026-11-26' },
      ],
    }));
    const now = new Date('2026-11-26T10:00:00Z');
    const items = parseFeedBytes(body, undefined, { publisherId: 'p', timezone: ROME, feedUrl: 'https://cpi.example/', now }).items;
    expect(items.map((i) => i.decision)).toEqual(['expired', 'post']);
    expect(items[0]!.offer?.validThrough).toBe('2026-11-25T22:59:59.999Z');
  });
});
