// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #13, post once through a stalled attempt: an attempt that stalls between admit and commit (a
 * long synchronous parse in a `run` process, a GC pause) loses its account lock; another worker takes
 * the job and posts. When the first wakes, its commit must find that it no longer holds the lock, or
 * that the ledger entry changed, and send nothing.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Deliverer } from '../../src/delivery/deliver.ts';
import { AttemptStore, type AttemptSubject } from '../../src/delivery/attempt-store.ts';
import { AccountGate } from '../../src/limits/account-gate.ts';
import { Ledger } from '../../src/ledger/ledger.ts';
import { keysFor } from '../../src/redis/keys.ts';
import { formatter } from '../../src/app/formatter.ts';
import type { DeliveryTask } from '../../src/delivery/task.ts';
import { jobIdFor } from '../../src/delivery/task.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { waitForLine } from '../chaos/helpers/processes.ts';
import { fleetPerTest } from '../chaos/helpers/per-test.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const fleets = fleetPerTest();

/**
 * Blocks this process's event loop (no timer, no I/O: the stall of a long synchronous parse) until
 * the ledger entry says `posted`, checked by a child process, or 40 s pass.
 */
function stallUntilPosted(ledgerKey: string): void {
  const code = `
    const { Redis } = await import('ioredis');
    const r = new Redis(${JSON.stringify(TEST_REDIS_URL)});
    const deadline = Date.now() + 40000;
    while (Date.now() < deadline && (await r.hget(${JSON.stringify(ledgerKey)}, 'state')) !== 'posted') await new Promise((ok) => setTimeout(ok, 50));
    r.disconnect();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: 'ignore', timeout: 60_000 });
}

describe('an attempt that stalls between admit and commit', () => {
  it('sends nothing after another worker took its job and posted: one post on X, ledger posted once', async () => {
    const f = await fleets.start({ publishers: 1, offersEach: 1, emulatorsOutOfProcess: true });
    await f.pollAll();
    const [key] = await f.rt.offers.list('office0', 0, 10);
    const stored = (await f.rt.offers.get('office0', key!))!;
    const task: DeliveryTask = { kind: 'post', publisher: 'office0', network: 'twitter', offerKey: key! };
    const ledgerKey = f.rt.keys.ledger('office0', 'twitter', key!);
    let stalled = false;

    // Attempt A runs in this process with a hook between its admit and its commit.
    const a = new Deliverer({
      book: f.rt.book, ledger: f.rt.ledger, offers: f.rt.offers, limiter: f.rt.limiter, gate: f.rt.gate, channels: f.rt.channels, counters: f.rt.counters,
      attempts: new AttemptStore(f.rt.redis, f.rt.keys, { clock: 'redis' }), format: formatter, logger: f.rt.logger, now: Date.now,
      postTimeoutMs: f.rt.config.worker.postTimeout, enqueue: (t) => f.rt.queues.addDeliveries(t),
      beforeCommit: async (t) => {
        if (t.network !== 'twitter' || stalled) return;
        stalled = true;
        // A holds the offer's first text; the offer is corrected meanwhile, so that a second post would
        // not be refused as duplicate content and would show on X.
        await f.rt.offers.save({ ...stored.offer, title: `${stored.offer.title} (rettifica)`, contentHash: `${stored.offer.contentHash}-2` }, Date.now());
        // Worker B (another process) finds the job; A holds the account, so B waits for the lock.
        const b = fleets.spawn(['worker', '--config', f.configPath], f.env);
        await waitForLine(b, /delivery workers started/, 60_000);
        // A stalls: its lock is not renewed and expires; B admits, commits and posts.
        stallUntilPosted(ledgerKey);
      },
    });
    const result = await a.attempt(task, { jobId: jobIdFor(task), attempt: 1, maxAttempts: 3 });

    expect(stalled).toBe(true);
    await waitFor('the Facebook post as well (B at work)', async () => livePosts(await f.graphPosts()).length === 1, 30_000, 100);
    const xs = livePosts(await f.xPosts()).filter((x) => x.text.includes(stored.offer.url));
    expect(xs).toHaveLength(1);
    expect(xs[0]!.text).toContain('(rettifica)');
    const entry = await f.rt.ledger.get('office0', 'twitter', key!);
    expect(entry).toMatchObject({ state: 'posted', attempts: 1, remoteId: xs[0]!.id });
    const posted = (await f.rt.counters.read()).posts.filter((p) => p.network === 'twitter' && p.outcome === 'posted').reduce((n, p) => n + p.value, 0);
    expect(posted).toBe(1);
    // A stepped back without spending an attempt.
    expect(result).toMatchObject({ kind: 'delay', reason: 'another attempt took over' });
  }, 150_000);
});

describe('the commit fence, step by step', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => { await cleanup?.(); cleanup = undefined; });

  async function stores() {
    const r = await connectTestRedis();
    const prefix = uniquePrefix('fence');
    const keys = keysFor(prefix);
    cleanup = async () => { await cleanPrefix(r, prefix); await r.quit(); };
    const ledger = new Ledger(r, keys);
    const subject: AttemptSubject = { publisher: 'pub', network: 'twitter', offerKey: 'o1', accountKey: 'acct', appKey: 'app' };
    await ledger.open('pub', 'twitter', 'o1', 'queued', Date.now());
    return { r, keys, ledger, subject, attempts: new AttemptStore(r, keys, { clock: 'redis' }), gate: new AccountGate(r, keys, { clock: 'redis' }) };
  }

  const commit = (s: Awaited<ReturnType<typeof stores>>, token: string, rev: number) =>
    s.attempts.commitSend(s.subject, { now: Date.now(), token, rev, slot: `s-${token}`, windows: [{ max: 10, per: 60_000 }], text: 'testo', inFlightMs: 0, waiter: token });

  async function admitted(s: Awaited<ReturnType<typeof stores>>, token: string) {
    const adm = await s.attempts.admit(s.subject, { now: Date.now(), token, lockTtlMs: 5000, quiet: false, readOffer: false });
    if (adm.kind !== 'admitted') throw new Error(`not admitted: ${adm.kind}`);
    return adm.ledger!;
  }

  it('commits while the attempt holds the lock and the entry is unchanged', async () => {
    const s = await stores();
    const entry = await admitted(s, 'tok-a');
    expect(await commit(s, 'tok-a', entry.rev ?? 0)).toEqual({ kind: 'ok' });
    expect((await s.ledger.get('pub', 'twitter', 'o1'))?.state).toBe('sending');
  });

  it('refuses when the lock expired and another attempt holds it: nothing written, no slot taken', async () => {
    const s = await stores();
    const entry = await admitted(s, 'tok-a');
    await s.r.set(s.keys.accountLock('acct'), 'tok-b', 'PX', 5000);
    expect(await commit(s, 'tok-a', entry.rev ?? 0)).toEqual({ kind: 'fenced', why: 'lock' });
    expect((await s.ledger.get('pub', 'twitter', 'o1'))?.state).toBe('queued');
    expect(await s.r.zcard(s.keys.limitWindow('acct', { max: 10, per: 60_000 }))).toBe(0);
  });

  it('refuses when the ledger entry changed since admit, even with the lock still held', async () => {
    const s = await stores();
    const entry = await admitted(s, 'tok-a');
    // An operator cancelled it, or the poller closed its offer, meanwhile.
    await s.ledger.update('pub', 'twitter', 'o1', { state: 'cancelled', updatedAt: Date.now() });
    expect(await commit(s, 'tok-a', entry.rev ?? 0)).toEqual({ kind: 'fenced', why: 'ledger' });
    expect((await s.ledger.get('pub', 'twitter', 'o1'))?.state).toBe('cancelled');
  });

  it('keepAlive aborts its signal once a renewal finds the lock lost', async () => {
    const s = await stores();
    await admitted(s, 'tok-a');
    const kept = s.gate.keepAlive('acct', 'tok-a', 600);
    try {
      await s.r.set(s.keys.accountLock('acct'), 'tok-b', 'PX', 5000);
      await waitFor('the signal aborted', () => kept.signal.aborted, 5000, 20);
      // The other holder's lock is left alone.
      expect(await s.r.get(s.keys.accountLock('acct'))).toBe('tok-b');
    } finally {
      kept.stop();
    }
  });
});
