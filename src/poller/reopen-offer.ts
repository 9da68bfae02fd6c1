// SPDX-License-Identifier: EUPL-1.2
/**
 * An offer closed as withdrawn that its feed lists again is open again, and its posts come back
 * without a follower ever seeing two of them at once:
 *   - a post that stayed up, edited to say "Offerta chiusa" (Facebook with closeAction: edit), is edited
 *     back to the offer's text (an `edit` delivery; the ledger says `posted` again);
 *   - a post that was deleted on close (X always; Facebook with closeAction: delete) is posted again (a
 *     `post` delivery; the ledger counts it in `reposts` and keeps the deleted post's id in `repostOf`);
 *   - a post that never went out because the close cancelled it is queued again (one that had failed
 *     goes back to failed).
 * An offer closed because it expired, or cancelled by an operator, is never reopened (see ClosedBy).
 *
 * Every step can be repeated: the job ids are numbered by the offer's reopen count, so a poll that
 * dies half-way and the look again at recently reopened offers (`recheck`, which also catches a close
 * that was in flight while the offer reopened) queue the same jobs, which the queue adds only once.
 */
import type { PublisherConfig } from '../config/schema.ts';
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import type { OfferStore } from '../ledger/offers.ts';
import type { Ledger, LedgerEntry } from '../ledger/ledger.ts';
import type { DeliveryTask } from '../delivery/task.ts';
import { configuredNetworks } from '../channels/registry.ts';

export interface ReopenTask { task: DeliveryTask; attempts: number; variant?: string; delay?: number }

/** How long after a reopen its posts are looked at again. */
export const RECHECK_MS = 10 * 60_000;

/** The close edited the post in place (src/delivery/modify.ts): it is still on the network. */
function stillUp(l: LedgerEntry): boolean {
  return Boolean(l.remoteId) && /post edited/.test(l.reason ?? '');
}

export class OfferReopener {
  constructor(private readonly d: { offers: OfferStore; ledger: Ledger }) {}

  /** Opens the offer (with the content the feed lists now) and returns the deliveries that bring its posts back. */
  async reopen(pub: PublisherConfig, offer: JobOffer, now: number): Promise<ReopenTask[]> {
    await this.d.offers.setState(pub.id, offer.key, 'open', { now });
    await this.d.offers.save(offer, now);
    return this.restorePosts(pub, offer.key, now);
  }

  /** Looks again at offers reopened within RECHECK_MS: a close that was in flight may have landed after the reopen. */
  async recheck(pub: PublisherConfig, now: number): Promise<ReopenTask[]> {
    const tasks: ReopenTask[] = [];
    for (const key of await this.d.offers.reopenedSince(pub.id, now - RECHECK_MS)) tasks.push(...(await this.restorePosts(pub, key, now)));
    return tasks;
  }

  private async restorePosts(pub: PublisherConfig, key: string, now: number): Promise<ReopenTask[]> {
    const stored = await this.d.offers.get(pub.id, key);
    if (!stored || stored.state !== 'open') return [];
    const round = stored.reopens ?? 1;
    const tasks: ReopenTask[] = [];
    for (const net of configuredNetworks(pub)) {
      const l = await this.d.ledger.get(pub.id, net, key);
      const task = l ? await this.restore(pub, net, key, l, round, now) : null;
      if (task) tasks.push(task);
    }
    return tasks;
  }

  private async restore(pub: PublisherConfig, net: NetworkName, key: string, l: LedgerEntry, round: number, now: number): Promise<ReopenTask | null> {
    const attempts = pub.channels[net]?.attempts ?? 8;
    const edit: ReopenTask = { task: { kind: 'edit', publisher: pub.id, network: net, offerKey: key }, attempts, variant: `reopen${round}` };
    const post: ReopenTask = { task: { kind: 'post', publisher: pub.id, network: net, offerKey: key }, attempts, variant: `reopen${round}` };
    switch (l.state) {
      case 'closed':
        if (stillUp(l)) {
          // An empty content hash makes the edit render the offer again (it skips posts already up to date).
          await this.d.ledger.update(pub.id, net, key, { state: 'posted', contentHash: '', reopenedAt: now, updatedAt: now }, ['closedAt', 'reason']);
          return edit;
        }
        await this.d.ledger.update(pub.id, net, key, {
          state: 'queued', reopenedAt: now, updatedAt: now, reposts: (l.reposts ?? 0) + 1, ...(l.remoteId ? { repostOf: l.remoteId } : {}),
        }, ['remoteId', 'permalink', 'postedAt', 'sendingSince', 'closedAt', 'reason', 'errorClass', 'lastError', 'lastErrorAt']);
        return post;
      case 'cancelled':
        if (l.cancelledFrom === 'failed') {
          await this.d.ledger.update(pub.id, net, key, { state: 'failed', updatedAt: now }, ['cancelledFrom']);
          return null;
        }
        await this.d.ledger.update(pub.id, net, key, { state: 'queued', reopenedAt: now, updatedAt: now }, ['reason', 'cancelledFrom']);
        return post;
      // Written by an earlier pass of this reopen whose jobs may not have been queued: queue them (again).
      case 'queued':
        return l.reopenedAt ? post : null;
      case 'posted':
        return l.reopenedAt && l.contentHash === '' ? edit : null;
      default:
        return null;
    }
  }
}
