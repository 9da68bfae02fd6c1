// SPDX-License-Identifier: EUPL-1.2
/**
 * Pushed offers (inbox, offers API, upload) expire like a feed's: their posts close when `validThrough`
 * passes. A feed's poll sweeps its publisher's expired offers (src/poller/poll-feed.ts); a publisher with
 * no feeds has no poll, so this duty sweeps for it, about once a minute across the deployment. Closing
 * twice is harmless (the closer does nothing for an offer that is no longer open).
 */
import type { Config } from '../config/schema.ts';
import type { OfferStore } from '../ledger/offers.ts';
import type { OfferCloser } from '../poller/close-offer.ts';
import type { Duty } from '../duties/duty.ts';

export const PUSHED_EXPIRY_INTERVAL_MS = 60_000;

export function pushedExpiryDuty(d: { config: Config; offers: OfferStore; closer: OfferCloser }, opts: { intervalMs?: number } = {}): Duty {
  return {
    name: 'pushed-expiry',
    intervalMs: opts.intervalMs ?? PUSHED_EXPIRY_INTERVAL_MS,
    async run(ctx) {
      let closed = 0;
      for (const pub of d.config.publishers.filter((p) => !p.feeds.length)) {
        if (ctx.signal.aborted) break;
        const now = ctx.now();
        for (const key of await d.offers.due(pub.id, now)) {
          if (await d.closer.close(pub, key, 'expired', now, { cause: 'expired' })) closed++;
          else await d.offers.forgetExpiry(pub.id, key); // no longer open: nothing to close, ever
        }
      }
      return { closed };
    },
  };
}
