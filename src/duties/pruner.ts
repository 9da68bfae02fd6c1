// SPDX-License-Identifier: EUPL-1.2
/**
 * The pruner: Redis runs with `noeviction`, so what the service stores must end somewhere. An offer
 * ends when it is closed (withdrawn or expired), cancelled by an operator, or, with onRemoval: ignore,
 * when it left its feed (its posts stay up); digests end when they are sent. `retention` (90 days by
 * default) after that, the pruner forgets it: the offer, its ledger entry on every network of the
 * publisher, its index entries and the feeds' presence entries. While a feed still lists the offer's
 * identity (an expired offer many portals keep showing), a small "seen" mark is left instead, so the
 * next poll does not take it for new and post it again; the mark is looked at again every day and
 * goes once no feed lists the offer.
 *
 * An offer forgotten because no feed listed it for `retention` is new if a feed ever lists it again.
 */
import type { Config } from '../config/schema.ts';
import type { RetentionStore } from '../ledger/retention.ts';
import type { Duty, DutyReport } from './duty.ts';
import { configuredNetworks } from '../channels/registry.ts';

export const PRUNER_INTERVAL_MS = 60 * 60_000;
/** A seen mark is looked at again this often: is the offer still listed? */
export const MARK_RECHECK_MS = 24 * 60 * 60_000;
/** Keys looked at per publisher per pass, in batches; the next pass goes on. */
const PER_PASS = 5000;
const BATCH = 200;

export function prunerDuty(d: { config: Config; retention: RetentionStore }, opts: { intervalMs?: number } = {}): Duty {
  return {
    name: 'pruner',
    intervalMs: opts.intervalMs ?? PRUNER_INTERVAL_MS,
    async run({ now, signal }) {
      const report = { forgotten: 0, marked: 0, marksDropped: 0, stillOpen: 0, caughtUp: 0 } satisfies DutyReport;
      const t = now();
      const cutoff = t - d.config.retention;
      for (const pub of d.config.publishers) {
        const networks = configuredNetworks(pub);
        const feedUrls = [...pub.feeds, ...pub.pages].map((f) => f.url);
        // Offers closed before the pruner existed: put on its list now, forgotten `retention` from now.
        report.caughtUp += await d.retention.catchUp(pub.id, cutoff, t, PER_PASS);
        for (let seen = 0; seen < PER_PASS && !signal.aborted;) {
          const keys = await d.retention.endedBefore(pub.id, cutoff, BATCH);
          if (!keys.length) break;
          seen += keys.length;
          for (const o of await d.retention.inspect(pub.id, keys, feedUrls)) {
            if (!o.exists) { await d.retention.forget(pub.id, o.key, networks, feedUrls); report.forgotten++; continue; }
            if (o.state === 'open' || o.state === undefined) {
              // Back in a feed, or still waiting for its deadline: not ended after all.
              if (o.full && (o.listed || o.expiryPending)) { await d.retention.notEnded(pub.id, o.key); report.stillOpen++; continue; }
            }
            if (o.listed) {
              if (o.full) report.marked++;
              await d.retention.leaveMark(pub.id, o.key, networks, cutoff + MARK_RECHECK_MS);
              continue;
            }
            await d.retention.forget(pub.id, o.key, networks, feedUrls);
            if (o.full) report.forgotten++; else report.marksDropped++;
          }
          if (keys.length < BATCH) break;
        }
      }
      return report;
    },
  };
}
