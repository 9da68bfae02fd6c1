// SPDX-License-Identifier: EUPL-1.2
/**
 * Changing a post that exists: an edit after a correction (Facebook edits in place; X cannot and is
 * left alone), or a close when the offer is withdrawn or expires (Facebook: edited to say "Offerta
 * chiusa" or deleted, per closeAction; X: deleted). Runs under the account lock, like a post.
 */
import type { Logger } from '../log/logger.ts';
import type { LedgerEntry } from '../ledger/ledger.ts';
import type { DeliveryResult, DeliveryTask } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';
import { handleChannelError, toChannelError } from './on-error.ts';
import { takeSlot, settleSlot, budgetOf } from './slots.ts';
import { ChannelError, POST_DELETE_EXPIRED } from '../channels/channel.ts';

export async function modifyPost(d: DeliveryDeps, task: DeliveryTask, entry: ChannelEntry, ctx: { jobId: string; attempt: number; maxAttempts: number }, ledger: LedgerEntry | null, log: Logger): Promise<DeliveryResult> {
  const { publisher: pub, network: net, offerKey: key } = task;
  const now = d.now();
  if (!ledger || ledger.state !== 'posted' || !ledger.remoteId) return { kind: 'done', note: 'nothing posted to change' };
  const stored = await d.offers.get(pub, key);
  if (!stored) return { kind: 'done', note: 'offer gone' };
  // The feed listed the offer again before this close ran (src/poller/reopen-offer.ts): nothing to close.
  if (task.kind === 'close' && stored.state === 'open') return { kind: 'done', note: 'offer open again' };
  if (task.kind === 'edit' && ledger.contentHash === stored.offer.contentHash) return { kind: 'done', note: 'already up to date' };
  const slot = await takeSlot(d, entry, ctx.jobId, now);
  if (typeof slot !== 'string') return slot;
  try {
    if (task.kind === 'edit') {
      const rendered = { ...d.format.renderPost(stored.offer, entry.publisher, net, entry.template).post, offer: stored.offer };
      const edited = await entry.channel.edit(ledger.remoteId, rendered);
      // X cannot edit through the API and made no call: the slot goes back.
      if (!edited) { const b = budgetOf(entry, 'modify'); await d.limiter.giveBack(entry.channel.accountKey, b.windows, slot, b.budget); }
      else await settleSlot(d, entry, slot, { kind: 'modify' });
      if (edited) {
        await d.ledger.update(pub, net, key, { contentHash: stored.offer.contentHash, text: rendered.text, updatedAt: now });
        await d.counters.post(pub, net, 'edited');
        log.info({ remoteId: ledger.remoteId }, 'post edited to match the corrected offer');
      }
      return { kind: 'done' };
    }
    // close
    let action = entry.definition.closeAction(entry.config, { postedAt: ledger.postedAt, now });
    let closedText: string | undefined;
    const editClosed = async () => {
      const rendered = d.format.renderPost(stored.offer, entry.publisher, net, entry.template).post;
      closedText = d.format.closedText(ledger.text ?? rendered.text, net);
      await entry.channel.edit(ledger.remoteId!, { text: closedText, link: rendered.link });
    };
    if (action === 'edit') {
      await editClosed();
    } else {
      try {
        await entry.channel.delete(ledger.remoteId);
      } catch (e) {
        // The network deletes only recent posts (clocks differ, or the post is older than the ledger
        // knows): mark it closed by an edit instead, so followers still see it is over.
        if (!(e instanceof ChannelError) || e.code !== POST_DELETE_EXPIRED) throw e;
        log.info({ remoteId: ledger.remoteId }, 'the network no longer deletes this post; editing it to say closed');
        action = 'edit';
        await editClosed();
      }
    }
    await settleSlot(d, entry, slot, { kind: 'modify' });
    await d.ledger.update(pub, net, key, { state: 'closed', closedAt: now, updatedAt: now, reason: action === 'edit' ? 'closed: post edited' : 'closed: post deleted', ...(closedText ? { text: closedText } : {}) });
    await d.counters.post(pub, net, 'closed');
    log.info({ remoteId: ledger.remoteId, action }, 'offer closed on the network');
    return { kind: 'done' };
  } catch (e) {
    const err = toChannelError(e);
    await settleSlot(d, entry, slot, { kind: 'modify', unknownOutcome: err.unknownOutcome });
    // A post that is already gone is as closed as it gets.
    if (task.kind === 'close' && err.errorClass === 'permanent' && (err.gone ?? /not found|does not exist|code 100/i.test(err.message))) {
      await d.ledger.update(pub, net, key, { state: 'closed', closedAt: now, updatedAt: now, reason: 'closed: post already gone' });
      return { kind: 'done' };
    }
    return handleChannelError(d, task, entry, ctx, err, log, { sentBefore: false, link: stored.offer.url, lookup: async () => ({ kind: 'absent' }), onPosted: async () => {} });
  }
}
