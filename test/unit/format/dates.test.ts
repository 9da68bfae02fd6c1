// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { formatDeadline, isExpired } from '../../../src/format/dates.ts';

describe('formatDeadline', () => {
  it('formats the day as the publisher reads it, across DST', () => {
    // 23:30 UTC on 31 Oct is already 1 Nov in Rome (winter time, +1).
    expect(formatDeadline('2026-10-31T23:30:00Z', 'Europe/Rome')).toBe('01/11/2026');
    // 22:30 UTC on 30 Jun is 00:30 on 1 Jul in Rome (summer time, +2).
    expect(formatDeadline('2026-06-30T22:30:00Z', 'Europe/Rome')).toBe('01/07/2026');
    expect(formatDeadline('2026-06-30T21:30:00Z', 'Europe/Rome')).toBe('30/06/2026');
    expect(formatDeadline('2026-03-29T00:30:00Z', 'Europe/Rome')).toBe('29/03/2026');
    expect(formatDeadline('2026-12-15T10:00:00+01:00', 'America/New_York')).toBe('15/12/2026');
  });

  it('keeps a date-only value on its own day in any zone', () => {
    expect(formatDeadline('2026-12-31', 'America/New_York')).toBe('31/12/2026');
    expect(formatDeadline('2026-12-31', 'Pacific/Auckland')).toBe('31/12/2026');
  });

  it('returns an empty string for garbage instead of throwing', () => {
    expect(formatDeadline('domani', 'Europe/Rome')).toBe('');
    expect(formatDeadline('', 'Europe/Rome')).toBe('');
  });
});

describe('isExpired', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  it('compares instants', () => {
    expect(isExpired('2026-11-26T09:59:59Z', now)).toBe(true);
    expect(isExpired('2026-11-26T10:00:00Z', now)).toBe(true);
    expect(isExpired('2026-11-26T10:00:01Z', now)).toBe(false);
  });
  it('treats a date-only value as the end of that day in the publisher zone', () => {
    expect(isExpired('2026-11-26', now)).toBe(false);
    expect(isExpired('2026-11-25', now)).toBe(true);
    expect(isExpired('2026-11-26', Date.parse('2026-11-26T22:59:00Z'), 'Europe/Rome')).toBe(false);
    expect(isExpired('2026-11-26', Date.parse('2026-11-26T23:00:00Z'), 'Europe/Rome')).toBe(true);
  });
  it('never expires an offer without a readable date', () => {
    expect(isExpired(undefined, now)).toBe(false);
    expect(isExpired('', now)).toBe(false);
    expect(isExpired('presto', now)).toBe(false);
  });
});
