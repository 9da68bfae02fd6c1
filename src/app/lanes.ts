// SPDX-License-Identifier: EUPL-1.2
/**
 * How many jobs each network's delivery worker runs at once (its lanes).
 *
 * An account has one request in flight at a time (src/limits/account-gate.ts), so a lane beyond the
 * number of accounts on a network can only take a job whose account is busy and bounce it back: one
 * office's worker with twenty lanes took its eight new offers at once and bounced them back as "account
 * busy" twenty-odd times while its one account posted them (test/integration/lanes.test.ts).
 * Unless `worker.concurrency` says otherwise, a network's worker gets one lane per account, at most
 * MAX_DEFAULT_LANES. The ceiling is where a drain of 250 offices' held posts stopped getting faster on two
 * cores with the local emulators (`npm run bench -- --only held --concurrency N`: 20 lanes left the
 * service waiting on Redis round trips a seventh of the time; 40 did not), and real networks answer far
 * slower than those, which only makes more lanes useful, never fewer.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { Runtime } from './runtime.ts';

export const MAX_DEFAULT_LANES = 40;

export function deliveryLanes(configured: number | undefined, accounts: ReadonlyArray<{ network: NetworkName; accountKey: string }>, network: NetworkName): number {
  if (configured !== undefined) return configured;
  const distinct = new Set(accounts.filter((a) => a.network === network).map((a) => a.accountKey)).size;
  return Math.max(1, Math.min(MAX_DEFAULT_LANES, distinct));
}

/** The lanes a worker of this deployment runs on `network` (its configured channels, its config). */
export function lanesOf(rt: Pick<Runtime, 'config' | 'book'>, network: NetworkName): number {
  return deliveryLanes(rt.config.worker.concurrency, rt.book.all().map((e) => ({ network: e.network, accountKey: e.channel.accountKey })), network);
}
