// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { observe, sameAsBefore } from '../../../src/poller/presence.ts';
import type { FeedPresence } from '../../../src/ledger/offers.ts';

const keys = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `k${i + from}`);
const prev = (tracked: string[], absent: Record<string, number> = {}): FeedPresence => ({ tracked, absent: new Map(Object.entries(absent)) });
const obs = (present: string[], o: { usable?: number; complete?: boolean } = {}) => ({ present: new Set(present), usable: o.usable ?? present.length, complete: o.complete ?? true });

describe('presence of offers in a feed', () => {
  it('counts a missing offer once per complete poll, and lets it go at the threshold', () => {
    let p = prev(keys(5));
    const s1 = observe(p, obs(keys(4)), 3);
    expect(s1).toMatchObject({ verdict: 'counted', left: [], setMisses: { k5: 1 } });
    p = prev(keys(5), { k5: 1 });
    expect(observe(p, obs(keys(4)), 3)).toMatchObject({ left: [], setMisses: { k5: 2 } });
    p = prev(keys(5), { k5: 2 });
    expect(observe(p, obs(keys(4)), 3)).toMatchObject({ left: ['k5'], remove: ['k5'], setMisses: {} });
  });

  it('forgets the misses of an offer that is back', () => {
    const s = observe(prev(keys(5), { k5: 2 }), obs(keys(5)), 3);
    expect(s).toMatchObject({ verdict: 'counted', clearMisses: ['k5'], left: [], setMisses: {} });
  });

  it('adds new keys', () => {
    expect(observe(prev(keys(2)), obs(keys(3)), 3).add).toEqual(['k3']);
  });

  it('an incomplete poll counts nothing, but takes back what it lists', () => {
    const s = observe(prev(keys(5), { k4: 2 }), obs(['k1', 'k4', 'k6'], { complete: false }), 1);
    expect(s).toMatchObject({ verdict: 'incomplete', left: [], setMisses: {}, clearMisses: ['k4'], add: ['k6'] });
  });

  it('a poll that loses more than half of at least four is suspect: the lost ones are absent but uncounted', () => {
    const s = observe(prev(keys(8), { k8: 2 }), obs(keys(3)), 3);
    expect(s).toMatchObject({ verdict: 'suspect', left: [], lost: 4, presentBefore: 7 });
    expect(s.setMisses).toEqual({ k4: 0, k5: 0, k6: 0, k7: 0 }); // k8 keeps its 2
    // The next poll that lists the same counts from there.
    const next = observe(prev(keys(8), { ...s.setMisses, k8: 2 }), obs(keys(3)), 3);
    expect(next).toMatchObject({ verdict: 'counted', left: ['k8'], setMisses: { k4: 1, k5: 1, k6: 1, k7: 1 } });
  });

  it('losing exactly half, or most of fewer than four, is an ordinary poll', () => {
    expect(observe(prev(keys(8)), obs(keys(4)), 3).verdict).toBe('counted');
    expect(observe(prev(keys(3)), obs(keys(1)), 3).verdict).toBe('counted');
  });

  it('a document with no usable offer is held, however many it lacks', () => {
    expect(observe(prev(keys(2)), obs(['k9'], { usable: 0 }), 1)).toMatchObject({ verdict: 'empty', left: [], setMisses: {} });
    expect(observe(prev([]), obs([], { usable: 0 }), 1).verdict).toBe('counted');
  });

  it('an unchanged document shows what was present last time', () => {
    expect([...sameAsBefore(prev(keys(4), { k2: 1 }))]).toEqual(['k1', 'k3', 'k4']);
  });
});
