// SPDX-License-Identifier: EUPL-1.2
/**
 * What the chaos tests share: a pool of `banditore` processes that can be SIGKILLed at random and
 * restarted, and the final count of what each channel shows for each offer (exactly once, or not).
 */
import { livePosts } from '../../helpers/stack.ts';
import type { Fleet } from './fleet.ts';
import { spawnBanditore, waitForLine, type Proc } from './processes.ts';
import { xUserFor } from '../../../src/channels/twitter/emulator.ts';

export type ChaosRole = 'run' | 'worker';

interface Slot { role: ChaosRole; proc: Proc; restarting?: Promise<void> }

export class ProcessPool {
  private slots: Slot[] = [];
  kills = 0;
  /** Every process ever started, for the final search of their output. */
  readonly all: Proc[] = [];

  /** `random` chooses the victims (a seeded one replays a run's choices). */
  constructor(private readonly fleet: Fleet, private readonly random: () => number = Math.random) {}

  private async spawn(role: ChaosRole): Promise<Proc> {
    const p = spawnBanditore([role, '--config', this.fleet.configPath], this.fleet.env);
    this.all.push(p);
    await waitForLine(p, /delivery workers started/, 60_000);
    return p;
  }

  async start(role: ChaosRole, count = 1): Promise<void> {
    const procs = await Promise.all(Array.from({ length: count }, () => this.spawn(role)));
    for (const proc of procs) this.slots.push({ role, proc });
  }

  /** SIGKILLs one running process chosen at random; returns its role (undefined when none runs). */
  async killRandom(): Promise<ChaosRole | undefined> {
    const live = this.slots.filter((s) => s.proc.alive() && !s.restarting);
    const victim = live[Math.floor(this.random() * live.length)];
    if (!victim) return undefined;
    await victim.proc.kill('SIGKILL');
    this.kills++;
    return victim.role;
  }

  /** Starts a new process in place of every dead one (once per slot, however often it is called). */
  async restartDead(): Promise<void> {
    await Promise.all(this.slots.map((s) => {
      if (s.proc.alive()) return s.restarting;
      s.restarting ??= (async () => {
        for (let tries = 0; ; tries++) {
          try {
            s.proc = await this.spawn(s.role);
            return;
          } catch (e) {
            // A process may fail to start while Redis is down; try again, a few times.
            if (tries >= 3) throw e;
          }
        }
      })().finally(() => { s.restarting = undefined; });
      return s.restarting;
    }));
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((p) => p.kill('SIGKILL')));
  }
}

export interface Tally {
  expected: number;
  /** Offers with no post yet on a channel. */
  missing: string[];
  /** Offers posted more than once on a channel. */
  duplicates: string[];
}

/** For every published offer of every publisher, how many live posts each channel shows. */
export async function tally(f: Fleet): Promise<Tally> {
  const xs = livePosts(await f.xPosts());
  const fbs = livePosts(await f.graphPosts());
  const out: Tally = { expected: 0, missing: [], duplicates: [] };
  for (const p of f.pubs) {
    const user = xUserFor(p.xToken).id;
    for (const o of p.feed.published()) {
      const onX = xs.filter((x) => x.userId === user && x.text.includes(o.url)).length;
      const onFb = fbs.filter((g) => g.pageId === p.pageId && g.link === o.url).length;
      out.expected += 2;
      if (onX === 0) out.missing.push(`${p.id}/twitter/${o.code}`);
      if (onFb === 0) out.missing.push(`${p.id}/facebook/${o.code}`);
      if (onX > 1) out.duplicates.push(`${p.id}/twitter/${o.code}×${onX}`);
      if (onFb > 1) out.duplicates.push(`${p.id}/facebook/${o.code}×${onFb}`);
    }
  }
  return out;
}

/** How many posts each network received in all (deleted ones too): with duplicates accepted, anything above the offers is a double post. */
export async function received(f: Fleet): Promise<{ x: number; facebook: number }> {
  return { x: (await f.xPosts()).length, facebook: (await f.graphPosts()).length };
}

/**
 * The chaos run's seed: `CHAOS_SEED` when given (to replay a run), else a fresh one. Tests may read the
 * environment; the service never does outside src/config.
 */
export function chaosSeed(): number {
  const given = Number(process.env.CHAOS_SEED);
  return Number.isInteger(given) && given >= 0 ? given : Math.floor(Math.random() * 2 ** 31);
}

/** Answers lost after the network committed, as the deployment counted them (found by reconciliation). */
export async function lostAnswers(f: Fleet): Promise<{ reconciled: number; duplicateAnswers: number }> {
  const posts = (await f.rt.counters.read()).posts;
  const sum = (o: string) => posts.filter((p) => p.outcome === o).reduce((a, p) => a + p.value, 0);
  return { reconciled: sum('reconciled'), duplicateAnswers: sum('duplicate') };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));
