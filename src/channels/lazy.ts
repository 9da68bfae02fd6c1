// SPDX-License-Identifier: EUPL-1.2
/**
 * A channel whose adapter module (and its SDK) is loaded on the first call to the network, not at start:
 * the Facebook SDK alone costs about a second of CPU to import, and most processes (the dashboard, status,
 * pause, a config error) never call a network. The account's ids come from the definition, so limits,
 * locks and status work without loading anything.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { AccountIdentity, AccountReport, Channel, PostOutcome, RenderedPost } from './channel.ts';

export class LazyChannel implements Channel {
  private adapter?: Promise<Channel>;

  constructor(
    readonly network: NetworkName,
    readonly accountKey: string,
    readonly appKey: string,
    private readonly load: () => Promise<Channel>,
  ) {}

  private get(): Promise<Channel> {
    // A failed import is not cached: the next call tries again.
    this.adapter ??= this.load().catch((e: unknown) => { this.adapter = undefined; throw e; });
    return this.adapter;
  }

  async verify(): Promise<AccountIdentity> { return (await this.get()).verify(); }
  async inspect(): Promise<AccountReport> { return (await this.get()).inspect(); }
  async post(post: RenderedPost): Promise<PostOutcome> { return (await this.get()).post(post); }
  async edit(remoteId: string, post: RenderedPost): Promise<boolean> { return (await this.get()).edit(remoteId, post); }
  async delete(remoteId: string): Promise<void> { return (await this.get()).delete(remoteId); }
  async findPostByUrl(url: string, opts?: { sinceMs?: number }): Promise<PostOutcome | null> { return (await this.get()).findPostByUrl(url, opts); }
}
