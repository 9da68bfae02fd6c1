// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore check --config FILE`: the config is valid (it loaded), Redis answers, and every account's
 * credentials work (X GET /2/users/me, Facebook GET /me with the Page token). Beyond who the token
 * stands for, it says what the token may do: its access level (X `x-access-level`: a read-only token is
 * an error), whether the account's posts can be read (X's Free tier cannot: reconciliation then resends),
 * and whether the network confirms the configured ids (Facebook: GET /me must answer the Page `pageId`).
 * Each portal page (`publishers[].pages`) must answer, let us in by its robots.txt and yield offer links.
 * Exit 1 on any problem. The lines about what the token may do are in Italian.
 */
import { parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { buildChannelBook } from '../../app/runtime.ts';
import { checkPage } from '../../sources/pages/index.ts';
import { createRedis } from '../../redis/connection.ts';
import { makeScrubber } from '../../log/redact.ts';
import type { AccountReport } from '../../channels/channel.ts';
import type { I18n } from '../../i18n/index.ts';
import { inboxDir, inspectInboxFolder } from '../../sources/inbox-folder.ts';

/** The report's facts in the operator's words: each line, and whether it is a problem. */
function describeReport(r: AccountReport, reconcile: string | undefined, w: I18n): { text: string; problem: boolean }[] {
  const lines: { text: string; problem: boolean }[] = [];
  if (r.access) {
    lines.push(r.access.canPost
      ? { text: w.t('check_accessCanPost', { level: r.access.level }), problem: false }
      : { text: w.t('check_accessReadOnly', { level: r.access.level }), problem: true });
  }
  if (r.readsPosts?.allowed) {
    lines.push({ text: w.t('check_readsAllowed'), problem: false });
  } else if (r.readsPosts) {
    lines.push(reconcile === 'read'
      ? { text: w.t('check_readsRefusedWithRead'), problem: true }
      : { text: w.t('check_readsRefused', { reconcile: reconcile ?? 'auto' }), problem: false });
  }
  if (r.mismatch) {
    const who = r.mismatch.foundName ? w.t('check_foundNamed', { name: r.mismatch.foundName, id: r.mismatch.found }) : w.t('check_foundId', { id: r.mismatch.found });
    lines.push({ text: w.t('check_pageMismatch', { who, key: r.mismatch.key, configured: r.mismatch.configured }), problem: true });
  }
  for (const n of r.notes ?? []) lines.push({ text: w.tOr(n.key, n.key, n.params), problem: n.problem });
  return lines;
}

export async function runCheck(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {}, false, io);
  const loaded = requireConfig(values, io);
  const w = wordsFor(io, loaded);
  const scrub = makeScrubber(loaded.secrets);
  const { config } = loaded;
  let problems = 0;
  io.out(w.t('check_config', { publishers: w.t('count_publishers', { n: config.publishers.length }), feeds: w.t('count_feeds', { n: config.publishers.reduce((a, p) => a + p.feeds.length, 0) }) }));

  const redis = createRedis(config.redis, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
    io.out(w.t('check_redisOk'));
  } catch (e) {
    problems++;
    io.out(scrub(w.t('check_redisFailed', { message: (e as Error).message })));
  } finally {
    redis.disconnect();
  }

  const book = buildChannelBook(config, loaded.baseDir);
  for (const e of book.all()) {
    const label = `${e.publisher.id}/${e.network}`;
    try {
      const report = await e.channel.inspect();
      const me = report.identity;
      const lines = describeReport(report, (e.config as { reconcile?: string }).reconcile, w);
      const bad = lines.filter((l) => l.problem).length;
      problems += bad;
      const account = e.definition.describeAccount(me, (key, params) => w.tOr(key, key, params));
      io.out(w.t(bad ? 'check_accountProblem' : 'check_accountOk', { label, account, id: me.id }));
      for (const l of lines) io.out(scrub(`  ${l.text}`));
    } catch (err) {
      problems++;
      io.out(scrub(w.t('check_accountFailed', { label, message: (err as Error).message })));
    }
  }
  // Each portal page answers, lets us in (robots.txt) and yields offer links.
  for (const pub of config.publishers) {
    for (const page of pub.pages) {
      const label = `${pub.id}/pages`;
      try {
        const r = await checkPage(page, config.fetch);
        if (!r.links.length) { problems++; io.out(scrub(w.t('pages_checkNoLinks', { label, url: page.url }))); continue; }
        io.out(scrub(w.t('pages_checkOk', { label, url: page.url, n: r.links.length })));
        if (r.blocked) io.out(scrub(`  ${w.t('pages_checkRobots', { label, n: r.blocked })}`));
      } catch (err) {
        problems++;
        io.out(scrub(w.t('pages_checkFailed', { label, url: page.url, message: (err as Error).message })));
      }
    }
  }
  // Each inbox folder: it must exist and be writable (its files are moved to done/ and rejected/).
  const INBOX_WORDS = { ok: 'sources_checkInboxOk', missing: 'sources_checkInboxMissing', 'not-dir': 'sources_checkInboxNotDir', 'not-writable': 'sources_checkInboxNotWritable' } as const;
  for (const p of config.publishers.filter((x) => x.inbox)) {
    const dir = inboxDir(loaded.baseDir, p.inbox!.path);
    const state = await inspectInboxFolder(dir);
    if (state !== 'ok') problems++;
    io.out(w.t(INBOX_WORDS[state], { publisher: p.id, path: dir }));
  }
  io.out(w.t('check_problems', { n: problems }));
  return problems ? 1 : 0;
}
