// SPDX-License-Identifier: EUPL-1.2
/**
 * The background duties' runner (src/duties): a duty runs in every worker process, but one pass at a
 * time across the deployment and about once per interval, through a Redis lock with a TTL; a dead
 * holder's lock expires and another process takes over; a failing pass is logged and tried again.
 * Several runners on their own Redis connections stand for several worker processes.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { startDuties, type StopDuties } from '../../src/duties/runner.ts';
import type { Duty } from '../../src/duties/duty.ts';
import { keysFor } from '../../src/redis/keys.ts';
import { createLogger } from '../../src/log/logger.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { waitFor } from '../helpers/stack.ts';

interface Pass { process: number; start: number; end: number }

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function fleet(processes: number, duty: (process: number) => Duty) {
  const check = await connectTestRedis();
  const prefix = uniquePrefix('duty');
  const keys = keysFor(prefix);
  const logs: string[] = [];
  const stops: StopDuties[] = [];
  const conns: Redis[] = [];
  for (let i = 0; i < processes; i++) {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    conns.push(redis);
    const logger = createLogger({ level: 'info', destination: new Writable({ write(c, _e, cb) { logs.push(String(c)); cb(); } }) });
    stops.push(startDuties({ redis, keys, logger }, [duty(i)]));
  }
  const stopOne = async (i: number) => { await stops[i]!(); };
  cleanups.push(async () => {
    for (const s of stops) await s();
    for (const c of conns) c.disconnect();
    await cleanPrefix(check, prefix);
    await check.quit();
  });
  return { keys, logs, check, stopOne };
}

function recording(passes: Pass[], intervalMs: number, passMs: number, name = 'probe') {
  return (process: number): Duty => ({
    name, intervalMs,
    async run() {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, passMs));
      passes.push({ process, start, end: Date.now() });
      return { process };
    },
  });
}

function overlaps(passes: Pass[]): number {
  const sorted = [...passes].sort((a, b) => a.start - b.start);
  let n = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) n++;
  return n;
}

describe('background duties', () => {
  it('run one pass at a time across three processes, one pass per interval, and log what they did', async () => {
    const passes: Pass[] = [];
    const f = await fleet(3, recording(passes, 1000, 200));
    await waitFor('five passes', () => passes.length >= 5, 30_000);
    expect(overlaps(passes)).toBe(0);
    const starts = passes.map((p) => p.start).sort((a, b) => a - b);
    // The lock lives one interval from a pass's start: the next pass, wherever it runs, starts after it.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(990);
    expect(f.logs.some((l) => /"duty":"probe"/.test(l) && /duty probe ran/.test(l) && /"tookMs"/.test(l))).toBe(true);
  });

  it('a pass longer than its interval keeps its lock: no second pass starts meanwhile', async () => {
    const passes: Pass[] = [];
    await fleet(2, recording(passes, 400, 1500));
    await waitFor('three passes', () => passes.length >= 3, 30_000);
    expect(overlaps(passes)).toBe(0);
  });

  it('takes over from a holder that died: its lock expires', async () => {
    const passes: Pass[] = [];
    const check = await connectTestRedis();
    const prefix = uniquePrefix('duty');
    const keys = keysFor(prefix);
    // A process that took the lock and died: nobody renews it, and it expires after its TTL.
    await check.set(keys.dutyLock('probe'), 'dead-process', 'PX', 1500);
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const logger = createLogger({ level: 'silent' });
    const stop = startDuties({ redis, keys, logger }, [recording(passes, 1000, 50)(0)]);
    cleanups.push(async () => { await stop(); redis.disconnect(); await cleanPrefix(check, prefix); await check.quit(); });
    const since = Date.now();
    await waitFor('a pass after the dead holder\'s lock expired', () => passes.length >= 1, 20_000);
    expect(passes[0]!.start - since).toBeGreaterThanOrEqual(1000);
  });

  it('logs a failing pass and runs again at the next interval', async () => {
    let calls = 0;
    const f = await fleet(1, () => ({ name: 'flaky', intervalMs: 500, async run() { calls++; if (calls === 1) throw new Error('first pass fails'); return { calls }; } }));
    await waitFor('a second pass', () => calls >= 2, 20_000);
    await waitFor('both logged', () => f.logs.some((l) => /duty flaky failed/.test(l)) && f.logs.some((l) => /duty flaky ran/.test(l)));
  });

  it('a stopped process leaves the duty to the others', async () => {
    const passes: Pass[] = [];
    const f = await fleet(2, recording(passes, 500, 20));
    await waitFor('a first pass', () => passes.length >= 1, 20_000);
    const first = passes[0]!.process;
    await f.stopOne(first);
    const n = passes.length;
    await waitFor('passes by the other process', () => passes.slice(n).some((p) => p.process !== first), 20_000);
  });
});
