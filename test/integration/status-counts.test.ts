// SPDX-License-Identifier: EUPL-1.2
/**
 * What the operator sees per publisher when several publishers share a network's queue (every real
 * deployment): each one's waiting, delayed and failed posts, counted from the queue as it is.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { startFleet, type Fleet } from '../chaos/helpers/fleet.ts';

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

describe('status counts per publisher on shared queues', () => {
  it('shows each publisher its own waiting posts', async () => {
    fleet = await startFleet({ publishers: 3, offersEach: 4, pollInterval: '1h' });
    const f = fleet;
    // First polls post what the feeds list (fleet feeds post on the first poll); no worker runs yet.
    await f.pollAll();
    const ops = new RedisOperatorService(f.rt);
    const first = await ops.status();
    for (const p of f.pubs) {
      for (const net of ['twitter', 'facebook'] as const) {
        const row = first.channels.find((c) => c.publisher === p.id && c.network === net)!;
        expect(row.counts.waiting, `${p.id}/${net}`).toBe(p.feed.published().length);
        expect(row.counts.failed).toBe(0);
      }
    }
    expect(first.channels.reduce((n, c) => n + c.counts.waiting, 0)).toBe(f.pubs.reduce((n, p) => n + p.feed.published().length * 2, 0));
  });
});
