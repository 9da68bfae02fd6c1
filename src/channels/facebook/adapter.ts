// SPDX-License-Identifier: EUPL-1.2
/**
 * The Facebook Page channel: publishes, edits, deletes and reconciles through the real
 * `facebook-nodejs-business-sdk` with the Page access token. It never retries: every failure becomes a
 * classified ChannelError (classify.ts) whose message is scrubbed of the token (the SDK puts it in
 * `error.url`; we never copy that field, and scrub the message anyway).
 */
import { PagePost } from 'facebook-nodejs-business-sdk';
import type { FacebookConfig } from './config.ts';
import { makeScrubber } from '../../log/redact.ts';
import type { AccountIdentity, AccountReport, Channel, PostOutcome, RenderedPost } from '../channel.ts';
import { withDeadline } from '../deadline.ts';
import { sameUrl } from '../url-match.ts';
import { ScopedGraphApi, setSdkRequestTimeout } from './sdk.ts';
import { classifyFbError } from './classify.ts';
import { fbUsageHints } from './usage.ts';
import { fbAccount } from './account.ts';

interface GraphListed { id: string; message?: string; link?: string; created_time?: string }
interface GraphList { data?: GraphListed[]; paging?: { cursors?: { after?: string }; next?: string } }

/** How many pages (100 posts each) reconciliation reads before it calls a post absent. */
const MAX_PAGES = 3;

const urlsIn = (text: string): string[] => text.match(/https?:\/\/[^\s<>"]+/g)?.map((u) => u.replace(/[).,;:!?]+$/, '')) ?? [];

export const fbPermalink = (postId: string) => `https://www.facebook.com/${postId}`;

export class FacebookChannel implements Channel {
  readonly network = 'facebook' as const;
  /** #506 refuses a message only right after itself: a resend after another post would post twice. */
  readonly accountKey: string;
  readonly appKey: string;
  private readonly api: ScopedGraphApi;
  private readonly pageId: string;
  private readonly scrub: (s: string) => string;

  constructor(cfg: FacebookConfig, private readonly opts: { timeoutMs: number }) {
    this.pageId = String(cfg.pageId);
    ({ accountKey: this.accountKey, appKey: this.appKey } = fbAccount(cfg));
    this.api = new ScopedGraphApi(cfg.pageAccessToken, cfg.graphBaseUrl);
    setSdkRequestTimeout(opts.timeoutMs + 1000);
    const scrubber = makeScrubber([cfg.pageAccessToken]);
    this.scrub = (s) => scrubber(s);
  }

  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(work(), this.opts.timeoutMs, `Facebook ${what}`);
    } catch (e) {
      throw classifyFbError(e, this.scrub);
    }
  }

  async verify(): Promise<AccountIdentity> {
    // GET /me with a Page token answers the Page itself.
    const me = await this.call('me', () => this.api.call<{ id: string; name: string }>('GET', ['me'], { fields: 'id,name' }));
    return { id: String(me.id), name: me.name };
  }

  /** GET /me with a Page token answers the Page; anything else (a person, another Page) is a wrong token or pageId. */
  async inspect(): Promise<AccountReport> {
    const identity = await this.verify();
    const report: AccountReport = { identity };
    if (identity.id !== this.pageId) report.mismatch = { key: 'pageId', configured: this.pageId, found: identity.id, foundName: identity.name };
    return report;
  }

  async post(post: RenderedPost): Promise<PostOutcome> {
    // The SDK's API object directly (the same request `new Page(id).createFeed()` makes): that helper
    // builds two Page objects per post, one for the call and one for the answer, each defining every
    // Page field, about a fifth of all the memory a busy worker allocated (`npm run bench -- --only held`).
    const data = await this.call('publish', () =>
      this.api.call<Record<string, unknown>>('POST', [this.pageId, 'feed'], { message: post.text, link: post.link, published: true }));
    // With showHeader the answer carries its `headers` next to the id.
    const id = String(data.id);
    const hints = fbUsageHints(data.headers as Record<string, unknown> | undefined);
    return hints ? { remoteId: id, permalink: fbPermalink(id), hints } : { remoteId: id, permalink: fbPermalink(id) };
  }

  /** Facebook lets a Page edit the message of a post in place (the link preview cannot change). */
  async edit(remoteId: string, post: RenderedPost): Promise<boolean> {
    const res = await this.call('edit', () => new PagePost(remoteId, {}, undefined, this.api).update([], { message: post.text }));
    return Boolean((res as { success?: unknown } | undefined)?.success);
  }

  async delete(remoteId: string): Promise<void> {
    await this.call('delete', () => new PagePost(remoteId, {}, undefined, this.api).delete([], {}));
  }

  async findPostByUrl(url: string, opts: { sinceMs?: number } = {}): Promise<PostOutcome | null> {
    const params: Record<string, unknown> = { fields: 'id,message,link,created_time', limit: 100 };
    if (opts.sinceMs) params.since = Math.floor(opts.sinceMs / 1000);
    for (let pages = 1; ; pages++) {
      const res = await this.call('read posts', () => this.api.call<GraphList>('GET', [this.pageId, 'published_posts'], params));
      // Whole URLs only: ".../offerte/123" must not match a post about ".../offerte/1234".
      const hit = (res.data ?? []).find((p) => (p.link && sameUrl(p.link, url)) || urlsIn(p.message ?? '').some((u) => sameUrl(u, url)));
      if (hit) return { remoteId: hit.id, permalink: fbPermalink(hit.id) };
      // A busy Page may have posted more than one page since: look a few pages back, then call it absent.
      const after = res.paging?.cursors?.after;
      if (!res.paging?.next || !after || pages >= MAX_PAGES) return null;
      params.after = after;
    }
  }
}
