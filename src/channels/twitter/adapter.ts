// SPDX-License-Identifier: EUPL-1.2
/**
 * The X channel: posts, deletes and reconciles through the real `twitter-api-v2` SDK (OAuth 1.0a user
 * context). It never retries: every failure becomes a classified ChannelError (classify.ts).
 */
import type { TwitterApi, TweetV2PostTweetResult, UserV2Result } from 'twitter-api-v2';
import type { TwitterConfig } from './config.ts';
import { makeScrubber } from '../../log/redact.ts';
import { ChannelError, type AccountIdentity, type AccountReport, type Channel, type PostOutcome, type RenderedPost } from '../channel.ts';
import { createXClient } from './sdk.ts';
import { xAccount } from './account.ts';
import { classifyXError, xLimitHints } from './classify.ts';
import { withDeadline } from '../deadline.ts';
import { sameUrl } from '../url-match.ts';

/** How many pages (100 posts each) reconciliation reads before it calls a post absent. */
const MAX_PAGES = 3;

export class TwitterChannel implements Channel {
  readonly network = 'twitter' as const;
  /** X refuses the same text from the same user (403 "duplicate content"): a resend cannot post twice. */
  readonly accountKey: string;
  readonly appKey: string;
  private readonly client: TwitterApi;
  private readonly scrub: (s: string) => string;
  private me?: AccountIdentity;

  constructor(cfg: TwitterConfig, private readonly opts: { timeoutMs: number }) {
    ({ accountKey: this.accountKey, appKey: this.appKey } = xAccount(cfg));
    this.client = createXClient(cfg, { timeoutMs: opts.timeoutMs });
    const scrubber = makeScrubber([cfg.appKey, cfg.appSecret, cfg.accessToken, cfg.accessSecret]);
    this.scrub = (s) => scrubber(s);
  }

  /** Runs one SDK call under the deadline and turns any failure into a ChannelError. */
  private async call<T>(what: string, work: () => Promise<T>, op: 'read' | 'write' = 'write'): Promise<T> {
    try {
      return await withDeadline(work(), this.opts.timeoutMs, `X ${what}`);
    } catch (e) {
      throw classifyXError(e, this.scrub, op);
    }
  }

  /** GET /2/users/me with its headers: X states the token's permission in `x-access-level`. */
  private async whoAmI(): Promise<{ me: AccountIdentity; accessLevel?: string }> {
    const res = await this.call('users/me', () => this.client.v2.get<UserV2Result>('users/me', undefined, { fullResponse: true }), 'read');
    const data = res.data.data;
    this.me = { id: data.id, name: data.name, username: data.username };
    const level = res.headers['x-access-level'];
    return { me: this.me, accessLevel: typeof level === 'string' ? level : undefined };
  }

  async verify(): Promise<AccountIdentity> {
    return (await this.whoAmI()).me;
  }

  async inspect(): Promise<AccountReport> {
    const { me, accessLevel } = await this.whoAmI();
    const report: AccountReport = { identity: me };
    // read, read-write or read-write-directmessages (OAuth 1.0a); only the last two may post.
    if (accessLevel) report.access = { level: accessLevel, canPost: accessLevel.startsWith('read-write') };
    try {
      await this.call('timeline', () => this.client.v2.userTimeline(me.id, { max_results: 5 }), 'read');
      report.readsPosts = { allowed: true };
    } catch (e) {
      if (!(e instanceof ChannelError) || !e.readRefused) throw e;
      report.readsPosts = { allowed: false, detail: e.message };
    }
    return report;
  }

  private async identity(): Promise<AccountIdentity> {
    return this.me ?? this.verify();
  }

  async post(post: RenderedPost): Promise<PostOutcome> {
    // Same request as client.v2.tweet(text) (POST /2/tweets), asked for the full response so the
    // rate-limit headers of a success can tell the limiter to stop before X answers 429.
    const res = await this.call('post', () =>
      this.client.v2.post<TweetV2PostTweetResult>('tweets', { text: post.text }, { fullResponse: true }));
    const id = res.data.data.id;
    // The post exists now: a failing /users/me must not turn it into an error, so fall back to the
    // username-free permalink that X also serves.
    const username = await this.identity().then((m) => m.username, () => undefined);
    const permalink = username ? `https://x.com/${username}/status/${id}` : `https://x.com/i/web/status/${id}`;
    const hints = xLimitHints(res.rateLimit);
    return hints ? { remoteId: id, permalink, hints } : { remoteId: id, permalink };
  }

  /** X offers no edit through the API: the caller keeps the post as it is. */
  async edit(_remoteId: string, _post: RenderedPost): Promise<boolean> {
    return false;
  }

  async delete(remoteId: string): Promise<void> {
    await this.call('delete', () => this.client.v2.deleteTweet(remoteId));
  }

  async findPostByUrl(url: string, opts: { sinceMs?: number } = {}): Promise<PostOutcome | null> {
    const me = this.me ?? (await this.whoAmI()).me;
    // X's Free tier answers this read 403 client-not-enrolled: a ChannelError with readRefused.
    const page = await this.call('timeline', () => this.client.v2.userTimeline(me.id, {
      max_results: 100,
      'tweet.fields': ['entities', 'created_at'],
      ...(opts.sinceMs ? { start_time: new Date(opts.sinceMs).toISOString() } : {}),
    }), 'read');
    // X shows links in `text` as t.co; only entities keep the URL we posted. A busy account may have
    // posted more than one page since: look a few pages back, then give up (null means "not seen").
    let scanned = 0;
    for (let pages = 1; ; pages++) {
      const hit = page.tweets.slice(scanned).find((t) => t.entities?.urls?.some((u) => sameUrl(u.expanded_url, url)));
      scanned = page.tweets.length;
      if (hit) return { remoteId: hit.id, permalink: `https://x.com/${me.username ?? 'i/web'}/status/${hit.id}` };
      if (page.done || pages >= MAX_PAGES) return null;
      await this.call('timeline', () => page.fetchNext(), 'read');
    }
  }
}
