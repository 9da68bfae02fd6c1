// SPDX-License-Identifier: EUPL-1.2
/**
 * Ending an offer's life: withdrawn from its feed, expired, or cancelled by an operator. Posts already
 * on a network get a `close` delivery (Facebook: edited to say "Offerta chiusa" or deleted; X: deleted);
 * posts not yet sent are cancelled, so a pending job finds nothing to do. Why it closed is recorded:
 * only a withdrawn offer may be reopened by its feed (src/poller/reopen-offer.ts).
 */
import type { PublisherConfig } from '../config/schema.ts';
import { configuredNetworks } from '../channels/registry.ts';
import type { ClosedBy, OfferStore } from '../ledger/offers.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { DeliveryTask } from '../delivery/task.ts';

const CANCELLABLE = new Set(['queued', 'held', 'failed']);
/** Long enough for a post in flight (and its reconciliation) to reach a known outcome. */
const IN_FLIGHT_SETTLE_MS = 2 * 60_000;

export class OfferCloser {
  constructor(private readonly d: {
    offers: OfferStore;
    ledger: Ledger;
    enqueue: (tasks: Array<{ task: DeliveryTask; attempts: number; variant?: string; delay?: number }>) => Promise<void>;
  }) {}

  /**
   * Returns true when the offer was open and is now closed (or cancelled). `cause` defaults to
   * `operator` for a cancel; a close without a cause is never reopened.
   */
  async close(pub: PublisherConfig, key: string, reason: string, now: number, opts: { cancel?: boolean; cause?: ClosedBy } = {}): Promise<boolean> {
    const stored = await this.d.offers.get(pub.id, key);
    if (!stored || stored.state !== 'open') return false;
    const closedBy = opts.cause ?? (opts.cancel ? 'operator' : undefined);
    await this.d.offers.setState(pub.id, key, opts.cancel ? 'cancelled' : 'closed', { now, ...(closedBy ? { closedBy } : {}) });
    const tasks: Array<{ task: DeliveryTask; attempts: number; variant?: string; delay?: number }> = [];
    // A close after a reopen is another close: its job needs an id of its own (the first one's job may
    // still be kept by the queue, and an id that exists is not added again).
    const round = stored.reopens ? `r${stored.reopens}` : undefined;
    for (const net of configuredNetworks(pub)) {
      const l = await this.d.ledger.get(pub.id, net, key);
      if (!l) continue;
      if (l.state === 'posted' && !opts.cancel) tasks.push({ task: { kind: 'close', publisher: pub.id, network: net, offerKey: key }, attempts: pub.channels[net]?.attempts ?? 8, ...(round ? { variant: round } : {}) });
      else if (CANCELLABLE.has(l.state)) await this.d.ledger.update(pub.id, net, key, { state: 'cancelled', reason, updatedAt: now, cancelledFrom: l.state });
      // A post in flight may land after this: look again once its outcome is settled, and close it then.
      else if ((l.state === 'sending' || l.state === 'unknown') && !opts.cancel) {
        tasks.push({ task: { kind: 'close', publisher: pub.id, network: net, offerKey: key }, attempts: pub.channels[net]?.attempts ?? 8, variant: round ? `late-${round}` : 'late', delay: IN_FLIGHT_SETTLE_MS });
      }
    }
    await this.d.enqueue(tasks);
    return true;
  }
}
