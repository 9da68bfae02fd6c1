// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { deliveryLanes, MAX_DEFAULT_LANES } from '../../../src/app/lanes.ts';

const accounts = (n: number, network: 'twitter' | 'facebook' = 'twitter') => Array.from({ length: n }, (_, i) => ({ network, accountKey: `${network}-${i}` }));

describe("a network's delivery lanes", () => {
  it('are one per account by default: one office gets one lane, not twenty that bounce', () => {
    expect(deliveryLanes(undefined, accounts(1), 'twitter')).toBe(1);
    expect(deliveryLanes(undefined, [...accounts(3), ...accounts(7, 'facebook')], 'twitter')).toBe(3);
    expect(deliveryLanes(undefined, [...accounts(3), ...accounts(7, 'facebook')], 'facebook')).toBe(7);
  });

  it('count an account that several publishers share once', () => {
    expect(deliveryLanes(undefined, [{ network: 'twitter', accountKey: 'x-1' }, { network: 'twitter', accountKey: 'x-1' }, { network: 'twitter', accountKey: 'x-2' }], 'twitter')).toBe(2);
  });

  it(`stop at ${MAX_DEFAULT_LANES} however many accounts there are`, () => {
    expect(deliveryLanes(undefined, accounts(250), 'twitter')).toBe(MAX_DEFAULT_LANES);
  });

  it('are what worker.concurrency says when it is set', () => {
    expect(deliveryLanes(5, accounts(1), 'twitter')).toBe(5);
    expect(deliveryLanes(100, accounts(250), 'twitter')).toBe(100);
  });
});
