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
    const action = entry.definition.closeAction(entry.config);
    let closedText: string | undefined;
    if (action === 'edit') {
      const rendered = d.format.renderPost(stored.offer, entry.publisher, net, entry.template).post;
      closedText = d.format.closedText(ledger.text ?? rendered.text, net);
      await entry.channel.edit(ledger.remoteId, { text: closedText, link: rendered.link });
    } else {
      await entry.channel.delete(ledger.remoteId);
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
    if (task.kind === 'close' && err.errorClass === 'permanent' && /not found|does not exist|code 100/i.test(err.message)) {
      await d.ledger.update(pub, net, key, { state: 'closed', closedAt: now, updatedAt: now, reason: 'closed: post already gone' });
      return { kind: 'done' };
    }
    return handleChannelError(d, task, entry, ctx, err, log, { sentBefore: false, link: stored.offer.url, lookup: async () => ({ kind: 'absent' }), onPosted: async () => {} });
  }
}
