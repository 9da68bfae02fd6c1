// SPDX-License-Identifier: EUPL-1.2
/**
 * The chaos suite in small, for every CI run: two worker processes, a quarter of the posts committed and
 * their answers dropped, and two SIGKILLs of a worker at random moments. In the end every offer is on
 * each channel exactly once. (The full suite: `npm run test:chaos`.)
 */
import { describe, it, expect, afterEach } from 'vitest';
import { waitFor } from '../helpers/stack.ts';
import { startFleet, type Fleet } from '../chaos/helpers/fleet.ts';
import { ProcessPool, tally, lostAnswers, sleep, between } from '../chaos/helpers/chaos-kit.ts';

let fleet: Fleet | undefined;
let pool: ProcessPool | undefined;
afterEach(async () => {
  await pool?.stopAll();
  pool = undefined;
  await fleet?.stop();
  fleet = undefined;
});

describe('post once through killed workers and lost answers (small chaos)', () => {
  it('two SIGKILLs of a worker process with drops on: every offer exactly once on each channel', async () => {
    // 2 posts per second per account: the backlog takes a few seconds, so the kills land mid-stream.
    const limits = '        limits: [{ max: 2, per: 1s }]';
    fleet = await startFleet({ publishers: 1, offersEach: 10, postTimeout: '2s', twitterExtra: limits, facebookExtra: limits });
    const f = fleet;
    await f.xControl('setDropProbability', 0.25);
    await f.graphControl('setDropProbability', 0.25);
    pool = new ProcessPool(f);
    const p = pool;
    await p.start('worker', 2);
    await f.pollAll();
    const restarts: Promise<void>[] = [];
    for (let i = 0; i < 2; i++) {
      await sleep(between(500, 2500));
      await p.killRandom();
      restarts.push(p.restartDead());
    }
    await Promise.all(restarts);
    await waitFor('every offer on each channel', async () => (await tally(f)).missing.length === 0, 50_000, 250);
    await sleep(1000);
    const t = await tally(f);
    const lost = await lostAnswers(f);
    console.log(`small chaos: ${p.kills} kills, ${lost.reconciled} lost answers found by reconciliation, ${lost.duplicateAnswers} duplicate answers, ${t.duplicates.length} duplicates, ${t.expected} posts expected`);
    expect(t.duplicates).toEqual([]);
    expect(t.missing).toEqual([]);
  }, 90_000);
});
