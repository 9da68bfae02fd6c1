// SPDX-License-Identifier: EUPL-1.2
/** The per-host limiter's answer to a poll that finds its host full (issue 13: busy hosts). */
import { describe, expect, it } from 'vitest';
import { HostLimiter, HostBusyError } from '../../../src/feeds/host-limiter.ts';
import { FeedError } from '../../../src/feeds/errors.ts';

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => { open = r; });
  return { p, open };
}

async function fill(l: HostLimiter, host: string, n: number) {
  const g = gate();
  const running = Array.from({ length: n }, () => l.run(host, 2, () => g.p));
  await new Promise((r) => setTimeout(r, 5));
  return { release: async () => { g.open(); await Promise.all(running); } };
}

describe('HostLimiter, when a host has no free slot', () => {
  it('gives a fast host\'s extra polls turns within seconds, one after another', async () => {
    const l = new HostLimiter();
    const full = await fill(l, 'cpi.example', 4); // 2 running, 2 waiting
    const answers = await Promise.all([0, 1, 2].map(() => l.run('cpi.example', 2, async () => 'ran', { retryWithinMs: 3_600_000 }).catch((e) => e)));
    for (const a of answers) expect(a).toBeInstanceOf(HostBusyError);
    const turns = answers.map((a) => (a as HostBusyError).retryInMs);
    expect(turns.every((t) => t >= 250 && t < 10_000)).toBe(true);
    await full.release();
  });

  it('fails the poll as "host busy" without retryWithinMs (callers that cannot wait)', async () => {
    const l = new HostLimiter();
    const full = await fill(l, 'cpi.example', 4);
    const e = await l.run('cpi.example', 2, async () => 'ran').catch((x) => x);
    expect(e).toBeInstanceOf(FeedError);
    expect(e).not.toBeInstanceOf(HostBusyError);
    expect((e as FeedError).reason).toMatch(/^host busy/);
    await full.release();
  });

  it('pushes back a host whose last request outlasted the timeout, and forgives it once one answers', async () => {
    let now = 0;
    const l = new HostLimiter(() => now);
    await l.run('slow.example', 2, async () => { now += 1000; throw new FeedError('timed out after 1000 ms'); }, { timeoutMs: 1000 }).catch(() => undefined);
    expect(l.isSlow('slow.example')).toBe(true);
    const full = await fill(l, 'slow.example', 4);
    const e = await l.run('slow.example', 2, async () => 'ran', { retryWithinMs: 3_600_000, timeoutMs: 1000 }).catch((x) => x);
    expect(e).not.toBeInstanceOf(HostBusyError);
    expect((e as FeedError).reason).toMatch(/host busy.*outlasted the timeout/);
    await full.release();
    await l.run('slow.example', 2, async () => { now += 50; }, { timeoutMs: 1000 });
    expect(l.isSlow('slow.example')).toBe(false);
  });

  it('pushes back a host whose next turn is further away than the caller can wait', async () => {
    let now = 0;
    const l = new HostLimiter(() => now);
    await l.run('busy.example', 2, async () => { now += 20_000; }, { timeoutMs: 30_000 });
    const full = await fill(l, 'busy.example', 4);
    const e = await l.run('busy.example', 2, async () => 'ran', { retryWithinMs: 10_000 }).catch((x) => x);
    expect(e).not.toBeInstanceOf(HostBusyError);
    expect((e as FeedError).reason).toMatch(/slower than its feeds come due/);
    await full.release();
  });
});
