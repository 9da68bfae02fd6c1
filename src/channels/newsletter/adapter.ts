// SPDX-License-Identifier: EUPL-1.2
/**
 * The newsletter as a channel: "posting" an offer records it in the publisher's outbox (outbox.ts), and
 * the digest duty (digest.ts) mails it to the subscribers it matches. Closing an offer takes it out of
 * the outbox, so digests from then on do not list it; a message already sent cannot be recalled.
 */
import type { ChannelContext } from '../definition.ts';
import { ChannelError, type AccountIdentity, type AccountReport, type Channel, type PostOutcome, type RenderedPost } from '../channel.ts';
import type { NewsletterConfig } from './config.ts';
import { fromAddress } from './config.ts';
import { newsletterAccount } from './account.ts';
import { Outbox } from './outbox.ts';
import { MailSender } from './sender.ts';
import { publicBase, subscribeUrl } from './links.ts';

export class NewsletterChannel implements Channel {
  readonly network = 'newsletter' as const;
  readonly accountKey: string;
  readonly appKey: string;

  constructor(private readonly cfg: NewsletterConfig, private readonly ctx: ChannelContext) {
    ({ accountKey: this.accountKey, appKey: this.appKey } = newsletterAccount(cfg));
  }

  private get pub(): string { return this.ctx.publisher.id; }
  private outbox(): Outbox { return new Outbox(this.ctx.services()); }

  /** Signs in to the SMTP server without sending anything (`banditore check`). */
  async verify(): Promise<AccountIdentity> {
    const res = await new MailSender(this.cfg.smtp.url, this.cfg.from, this.ctx.timeoutMs).probe();
    if (res.kind === 'auth') throw new ChannelError('auth', res.reason, { pause: { kind: 'auth', reason: res.reason } });
    if (res.kind !== 'sent') throw new ChannelError('transient', res.reason);
    const address = fromAddress(this.cfg.from);
    return { id: address, name: address };
  }

  async inspect(): Promise<AccountReport> { return { identity: await this.verify() }; }

  async post(post: RenderedPost): Promise<PostOutcome> {
    // Only single offers reach the newsletter (digestPosts is false): it groups them itself.
    if (!post.offer) throw new ChannelError('permanent', 'the newsletter lists offers one by one: a post without its offer cannot be recorded');
    await this.outbox().record(post.offer);
    return { remoteId: post.offer.key, permalink: this.permalink() };
  }

  private permalink(): string {
    return subscribeUrl(publicBase(this.ctx.services()), this.pub);
  }

  /** A digest, once sent, cannot change; the outbox keeps the fields a later digest would show. */
  async edit(): Promise<boolean> { return false; }

  async delete(remoteId: string): Promise<void> { await this.outbox().remove(this.pub, remoteId); }

  /** The outbox is ours to read: an offer recorded before a lost answer is found there, never recorded twice. */
  async findPostByUrl(url: string): Promise<PostOutcome | null> {
    const key = await this.outbox().keyOfUrl(this.pub, url);
    return key ? { remoteId: key, permalink: this.permalink() } : null;
  }
}
