// SPDX-License-Identifier: EUPL-1.2
/**
 * The app's notifications as a channel. `post` puts the offer in the outbox of every subscription whose
 * preferences it matches (and that was not notified of it before); the `push-sender` duty sends them,
 * grouping what arrives together (sender.ts). So `post` calls no push service: a retried post only
 * finds the offer already queued or already notified. Nothing here retries.
 */
import type { AccountIdentity, AccountReport, Channel, PostOutcome, RenderedPost } from '../channel.ts';
import { ChannelError } from '../channel.ts';
import type { ChannelContext } from '../definition.ts';
import { matches } from '../audience/preferences.ts';
import type { PushConfig } from './config.ts';
import { pushAccount } from './account.ts';
import { PushStore } from './store.ts';
import { noticeOf } from './notice.ts';
import { appWords, noticeWords } from './words.ts';
import { appUrlOf } from './urls.ts';

const REMOTE = 'offer:';

export class PushChannel implements Channel {
  readonly network = 'push' as const;
  readonly accountKey: string;
  readonly appKey: string;

  constructor(private readonly cfg: PushConfig, private readonly ctx: ChannelContext) {
    ({ accountKey: this.accountKey, appKey: this.appKey } = pushAccount(cfg));
  }

  private get pub(): string { return this.ctx.publisher.id; }

  private async store<T>(what: string, work: (s: PushStore) => Promise<T>): Promise<T> {
    const svc = this.ctx.services();
    try {
      return await work(new PushStore(svc.redis, svc.keys));
    } catch (e) {
      if (e instanceof ChannelError) throw e;
      // Our own store failed (Redis): writing the outbox again is harmless, so the queue may retry.
      throw new ChannelError('transient', `push ${what}: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  /** There is no account to ask: the VAPID key is ours. The identity is the key's id and its contact. */
  async verify(): Promise<AccountIdentity> {
    return { id: this.accountKey, name: this.cfg.subject };
  }

  async inspect(): Promise<AccountReport> {
    return { identity: await this.verify(), readsPosts: { allowed: false, detail: 'push services keep no history' } };
  }

  async post(post: RenderedPost): Promise<PostOutcome> {
    const offer = post.offer;
    if (!offer) throw new ChannelError('permanent', 'push: a post without its offer cannot be matched to preferences');
    const t = await appWords();
    const svc = this.ctx.services();
    const queued = await this.store('outbox', async (s) => {
      await s.putNotice(this.pub, noticeOf(offer, this.ctx.publisher.timezone ?? 'Europe/Rome', noticeWords(t), svc.now()));
      // Concurrently: the store's connection pipelines the thousands of small commands of a big audience.
      const queued = await Promise.all((await s.all(this.pub)).filter((sub) => matches(offer, sub.prefs)).map(async (sub) => {
        if (await s.wasSent(this.pub, sub.id, offer.key)) return 0;
        await s.enqueue(this.pub, sub.id, offer.key, svc.now());
        return 1;
      }));
      return queued.reduce<number>((a, b) => a + b, 0);
    });
    svc.logger.debug({ publisher: this.pub, offer: offer.key, queued }, 'offer queued for push notifications');
    return { remoteId: `${REMOTE}${offer.key}`, permalink: `${appUrlOf(svc.publicUrl, this.pub)}#o-${offer.key}` };
  }

  /** A sent notification cannot change. */
  async edit(): Promise<boolean> { return false; }

  /** Closing an offer takes it out of every outbox it still waits in (nothing can unsend the rest). */
  async delete(remoteId: string): Promise<void> {
    const key = remoteId.startsWith(REMOTE) ? remoteId.slice(REMOTE.length) : remoteId;
    await this.store('close', async (s) => {
      await s.dropNotice(this.pub, key);
      for (const sub of await s.all(this.pub)) await s.unqueue(this.pub, sub.id, [key]);
    });
  }

  /** The outbox is ours to read: an offer whose notice is stored was posted. */
  async findPostByUrl(url: string): Promise<PostOutcome | null> {
    return this.store('lookup', async (s) => {
      const hit = await s.noticeByUrl(this.pub, url);
      if (!hit) return null;
      return { remoteId: `${REMOTE}${hit.key}`, permalink: `${appUrlOf(this.ctx.services().publicUrl, this.pub)}#o-${hit.key}` };
    });
  }
}
