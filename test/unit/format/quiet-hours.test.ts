// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { quietUntil, spreadAfter, lastQuietEnd } from '../../../src/format/quiet-hours.ts';

const rome = 'Europe/Rome';
const at = (iso: string) => Date.parse(iso);

describe('quietUntil', () => {
  const night = { from: '22:00', to: '07:00' };

  it('is null outside quiet hours or when none are set', () => {
    expect(quietUntil(at('2026-11-26T12:00:00+01:00'), night, rome)).toBeNull();
    expect(quietUntil(at('2026-11-26T21:59:00+01:00'), night, rome)).toBeNull();
    expect(quietUntil(at('2026-11-26T07:00:00+01:00'), night, rome)).toBeNull();
    expect(quietUntil(at('2026-11-26T23:00:00+01:00'), undefined, rome)).toBeNull();
  });

  it('crosses midnight: before and after it, the end is 07:00 local', () => {
    expect(quietUntil(at('2026-11-26T22:00:00+01:00'), night, rome)).toBe(at('2026-11-27T07:00:00+01:00'));
    expect(quietUntil(at('2026-11-27T03:15:00+01:00'), night, rome)).toBe(at('2026-11-27T07:00:00+01:00'));
  });

  it('handles a window within one day', () => {
    const lunch = { from: '13:00', to: '14:30' };
    expect(quietUntil(at('2026-11-26T13:10:00+01:00'), lunch, rome)).toBe(at('2026-11-26T14:30:00+01:00'));
    expect(quietUntil(at('2026-11-26T14:30:00+01:00'), lunch, rome)).toBeNull();
  });

  it('is right on DST nights (Rome: 29 Mar and 25 Oct 2026)', () => {
    // Spring forward: 22:00 +01:00 → 07:00 +02:00, a night of 8 hours.
    expect(quietUntil(at('2026-03-28T23:00:00+01:00'), night, rome)).toBe(at('2026-03-29T07:00:00+02:00'));
    // Fall back: 22:00 +02:00 → 07:00 +01:00, a night of 10 hours.
    expect(quietUntil(at('2026-10-24T23:00:00+02:00'), night, rome)).toBe(at('2026-10-25T07:00:00+01:00'));
    // During the repeated hour.
    expect(quietUntil(at('2026-10-25T02:30:00+01:00'), night, rome)).toBe(at('2026-10-25T07:00:00+01:00'));
  });

  it('uses the publisher timezone, not the server one', () => {
    expect(quietUntil(at('2026-11-26T23:00:00Z'), night, 'America/New_York')).toBeNull();
    expect(quietUntil(at('2026-11-26T23:00:00Z'), night, rome)).toBe(at('2026-11-27T07:00:00+01:00'));
  });
});

describe('spreadAfter', () => {
  it('spaces held posts one after another, with jitter below its bound', () => {
    const end = at('2026-11-27T07:00:00+01:00');
    expect(spreadAfter(end, 0, 60_000, 0)).toBe(end);
    expect(spreadAfter(end, 3, 60_000, 0)).toBe(end + 180_000);
    for (let i = 0; i < 50; i++) {
      const t = spreadAfter(end, 2, 60_000, 10_000);
      expect(t).toBeGreaterThanOrEqual(end + 120_000);
      expect(t).toBeLessThan(end + 130_000);
    }
    expect(spreadAfter(end, 1, 60_000, 10_000, () => 0.5)).toBe(end + 65_000);
  });
});

describe('lastQuietEnd', () => {
  const rome = 'Europe/Rome';
  const night = { from: '22:00', to: '07:00' };
  it('is today\'s end once it passed, else yesterday\'s; null without quiet hours', () => {
    expect(lastQuietEnd(Date.parse('2026-11-26T07:00:00+01:00'), night, rome)).toBe(Date.parse('2026-11-26T07:00:00+01:00'));
    expect(lastQuietEnd(Date.parse('2026-11-26T07:03:00+01:00'), night, rome)).toBe(Date.parse('2026-11-26T07:00:00+01:00'));
    expect(lastQuietEnd(Date.parse('2026-11-26T06:59:00+01:00'), night, rome)).toBe(Date.parse('2026-11-25T07:00:00+01:00'));
    expect(lastQuietEnd(Date.now(), undefined, rome)).toBeNull();
    expect(lastQuietEnd(Date.now(), { from: '07:00', to: '07:00' }, rome)).toBeNull();
  });
});
