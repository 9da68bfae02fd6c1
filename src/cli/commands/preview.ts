// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore preview --config FILE [--publisher ID] [--limit N]`: fetches each feed and portal page once
 * (a page: its listing and its first offer pages) and prints, per channel, the posts that would be sent,
 * with what was shortened; also the files waiting in each inbox folder. Sends, records and moves nothing.
 */
import { parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { readSource, type ParsedFeed } from '../../feeds/pipeline.ts';
import { previewPage } from '../../sources/pages/index.ts';
import { loadTemplates } from '../../format/templates.ts';
import { previewLines } from '../../format/preview.ts';
import { makeScrubber } from '../../log/redact.ts';
import { ConfigError } from '../../config/load.ts';
import { configuredNetworks } from '../../channels/registry.ts';
import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { ignoredInInbox, inboxDir } from '../../sources/inbox-folder.ts';

/** The files an inbox watcher would take (not hidden, not an upload in progress), in name order. */
async function waitingFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && !ignoredInInbox(e.name)).map((e) => e.name).sort();
  } catch { return []; }
}

export async function runPreview(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { publisher: { type: 'string' }, limit: { type: 'string' } }, false, io);
  const loaded = requireConfig(values, io);
  const w = wordsFor(io, loaded);
  const scrub = makeScrubber(loaded.secrets);
  const limit = typeof values.limit === 'string' ? Number(values.limit) : 5;
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(w.t('cli_badLimit'));
  const pubs = loaded.config.publishers.filter((p) => !values.publisher || p.id === values.publisher);
  if (!pubs.length) throw new ConfigError(w.t('cli_unknownPublisher', { publisher: String(values.publisher), known: loaded.config.publishers.map((p) => p.id).join(', ') }));
  const templates = loadTemplates(loaded.config, loaded.baseDir);
  const f = loaded.config.fetch;
  let failed = 0;
  // Each source of a publisher, feeds, portal pages and waiting inbox files alike, shown the same way.
  const readOpts = (pub: typeof pubs[number], linkTemplate?: string) => ({ timeoutMs: f.timeout, connectTimeoutMs: f.connectTimeout, maxBytes: f.maxBytes, maxRedirects: f.maxRedirects, userAgent: f.userAgent, perHost: f.perHost, publisherId: pub.id, timezone: pub.timezone, allowedContacts: pub.allowedContacts, ...(linkTemplate ? { linkTemplate } : {}) });
  const sources: Array<{ pub: typeof pubs[number]; url: string; read: () => Promise<ParsedFeed> }> = [];
  for (const pub of pubs) {
    for (const feed of pub.feeds) sources.push({ pub, url: feed.url, read: () => readSource(feed.url, readOpts(pub)) });
    for (const page of pub.pages) sources.push({ pub, url: page.url, read: () => previewPage(pub, page, f, limit) });
    // The files waiting in the inbox, read as the watcher will read them (nothing is moved).
    if (pub.inbox) {
      const dir = inboxDir(loaded.baseDir, pub.inbox.path);
      for (const name of await waitingFiles(dir)) sources.push({ pub, url: path.join(dir, name), read: () => readSource(path.join(dir, name), readOpts(pub, pub.inbox!.link)) });
    }
  }
  for (const { pub, url, read } of sources) {
    io.out(`== ${pub.id} — ${url}`);
    try {
      const parsed: ParsedFeed = await read();
      const items = parsed.items.filter((i) => i.decision === 'post' && i.offer).slice(0, limit);
      io.out(`   ${w.t('preview_counts', { items: w.t('count_items', { n: parsed.items.length }), postable: parsed.items.filter((i) => i.decision === 'post').length, shown: items.length })}`);
      for (const item of items) {
        io.out('');
        io.out(`# ${item.offer!.title}`);
        for (const net of configuredNetworks(pub)) {
          const tpl = templates.get(pub.id)?.[net];
          if (!tpl) continue;
          for (const line of previewLines(item.offer!, pub, net, tpl, w)) io.out(line);
        }
      }
      // What will not be posted, and why: the question operators ask most.
      const skipped = parsed.items.filter((i) => i.decision !== 'post');
      if (skipped.length) {
        io.out('');
        io.out(`   ${w.t('preview_notPosted', { n: skipped.length })}`);
        for (const i of skipped.slice(0, 50)) io.out(`   #${i.index} ${w.tOr(`decision_${i.decision}`, i.decision)}${i.reason ? ` (${i.reason})` : ''}: ${i.title ?? i.sourceId ?? ''}`);
      }
    } catch (e) {
      failed++;
      io.out(scrub(`   ${w.t('preview_failed', { message: (e as Error).message })}`));
    }
  }
  return failed ? 1 : 0;
}
