// SPDX-License-Identifier: EUPL-1.2
/** Fetch + parse exactly as the poller does, for hostile-feed tests. */
import { fetchFeed, type FetchOptions } from '../../../src/feeds/fetch.ts';
import { parseFeedBytes, type ParsedFeed } from '../../../src/feeds/pipeline.ts';
import { FeedError } from '../../../src/feeds/errors.ts';
import { FAST } from './server.ts';

export async function poll(url: string, opts: Partial<FetchOptions> = {}): Promise<ParsedFeed> {
  const res = await fetchFeed(url, { ...FAST, ...opts });
  if (res.kind !== 'ok') throw new Error('unexpected 304');
  return parseFeedBytes(res.body, res.contentType, { publisherId: 'hostile', timezone: 'Europe/Rome', feedUrl: res.finalUrl, now: new Date('2026-11-26T09:00:00Z') });
}

/** The FeedError a poll fails with (fails the test if it succeeds or throws anything else). */
export async function pollError(url: string, opts: Partial<FetchOptions> = {}): Promise<FeedError> {
  try {
    await poll(url, opts);
  } catch (err) {
    if (!(err instanceof FeedError)) throw new Error(`expected a FeedError, got ${String(err)}`);
    return err;
  }
  throw new Error('expected the poll to fail');
}

/** Nothing a follower could be harmed by: no markup, no script, no non-http link. */
export function assertHarmless(feed: ParsedFeed): void {
  for (const it of feed.items) {
    for (const s of [it.title, it.text, it.offer?.title, it.offer?.text]) {
      if (s === undefined) continue;
      if (/<\s*\/?\s*(script|iframe|img|a|svg|style|object|embed)\b/i.test(s)) throw new Error(`markup survived: ${s.slice(0, 200)}`);
      if (/javascript:|alert\(/i.test(s)) throw new Error(`script survived: ${s.slice(0, 200)}`);
    }
    for (const u of [it.url, it.offer?.url]) {
      if (u !== undefined && !/^https?:\/\//.test(u)) throw new Error(`unsafe url survived: ${u}`);
    }
  }
}
