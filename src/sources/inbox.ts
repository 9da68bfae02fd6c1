// SPDX-License-Identifier: EUPL-1.2
/**
 * An inbox folder (`publishers[].inbox`): where the SIL's export or an SFTP upload drops offer files.
 * Watched by polling (readdir + stat, every `pollInterval`: no file-system events, which network shares
 * and containers do not always deliver). A file is read once its size and time have stayed the same for
 * `settle`, so an upload in progress is never read half-written; names starting with `.` or ending in
 * `.part`/`.tmp` (uploads in progress by convention) are ignored.
 *
 * Several processes may watch one folder: each file is claimed in Redis (SET NX with a TTL, keyed by
 * its name, size and time) and taken by one of them. Before a file moves, what its content became is
 * recorded under its content hash: a crash between reading and moving makes the next watcher read it
 * again, find the record and only move it (and intake is idempotent by the offers' identity anyway).
 * Nothing is deleted: a used file goes to `done/`, an unusable one to `rejected/` with `NAME.reason.txt`.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublisherConfig } from '../config/schema.ts';
import type { Logger } from '../log/logger.ts';
import { shortHash } from '../redis/keys.ts';
import type { IntakeDeps } from './intake.ts';
import { contentHash, takeDocument, type DocumentResult } from './document.ts';
import { ignoredInInbox } from './inbox-folder.ts';
import { createI18n } from '../i18n/index.ts';

const t = createI18n('it').t;

export interface InboxOptions {
  dir: string;
  maxBytes: number;
  now: () => number;
  /** How long a claim holds a file for one process (a crashed process's claim runs out). */
  claimTtlMs?: number;
  /** How long the record of what a content became is kept (a crash's re-read finds it). */
  resultTtlMs?: number;
  /** Tests: stop after recording the result, before moving the file (a crash at the worst moment). */
  skipMove?: boolean;
}

export interface InboxFileReport { name: string; movedTo?: string; result: DocumentResult; fromRecord: boolean }


export class InboxWatcher {
  private readonly seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;
  private readonly id = `${process.pid}.${Math.random().toString(36).slice(2, 10)}`;

  constructor(private readonly d: IntakeDeps, private readonly pub: PublisherConfig, private readonly o: InboxOptions) {
    this.log = d.logger.child({ publisher: pub.id, inbox: o.dir });
  }

  start(): () => Promise<void> {
    const every = this.pub.inbox?.pollInterval ?? 2000;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.scan().catch((e) => this.log.error({ err: e }, `inbox scan failed: ${(e as Error).message}`))
        .finally(() => { if (!this.stopped) this.timer = setTimeout(tick, every); });
    };
    tick();
    return async () => { this.stopped = true; clearTimeout(this.timer); await this.running; };
  }

  /** One look at the folder: takes every file that has settled. Returns what it took. */
  async scan(): Promise<InboxFileReport[]> {
    const settle = this.pub.inbox?.settle ?? 5000;
    let entries;
    try { entries = await readdir(this.o.dir, { withFileTypes: true }); } catch (e) {
      this.log.warn({ code: (e as NodeJS.ErrnoException).code }, 'inbox folder cannot be read');
      return [];
    }
    const now = this.o.now();
    const names = new Set<string>();
    const ready: Array<{ name: string; size: number; mtimeMs: number }> = [];
    for (const e of entries) {
      if (!e.isFile() || ignoredInInbox(e.name)) continue;
      names.add(e.name);
      let s;
      try { s = await stat(path.join(this.o.dir, e.name)); } catch { continue; }
      const prev = this.seen.get(e.name);
      if (!prev || prev.size !== s.size || prev.mtimeMs !== s.mtimeMs) { this.seen.set(e.name, { size: s.size, mtimeMs: s.mtimeMs, since: now }); continue; }
      if (now - prev.since >= settle) ready.push({ name: e.name, size: s.size, mtimeMs: s.mtimeMs });
    }
    for (const n of this.seen.keys()) if (!names.has(n)) this.seen.delete(n);
    const out: InboxFileReport[] = [];
    for (const f of ready) {
      if (this.stopped) break;
      const r = await this.takeFile(f.name, f.size, f.mtimeMs);
      if (r) out.push(r);
    }
    return out;
  }

  private async takeFile(name: string, size: number, mtimeMs: number): Promise<InboxFileReport | null> {
    const claim = this.d.keys.sourcesClaim(this.pub.id, shortHash(`${name}\n${size}\n${mtimeMs}`, 24));
    const got = await this.d.redis.set(claim, this.id, 'PX', this.o.claimTtlMs ?? 10 * 60_000, 'NX');
    if (got !== 'OK') return null; // another watcher has it
    const file = path.join(this.o.dir, name);
    let result: DocumentResult;
    let recorded: string | null = null;
    try {
      if (size > this.o.maxBytes) {
        // Refused unread: nothing of it was posted, so there is nothing to record.
        result = { verdict: 'rejected', offers: [], reason: t('sources_tooLarge', { max: this.o.maxBytes }) };
      } else {
        let body: Buffer;
        try { body = await readFile(file); } catch { return null; } // moved by its taker meanwhile
        // Changed since it settled (a writer came back): look again next time.
        if (body.length !== size) { this.seen.delete(name); await this.d.redis.del(claim); return null; }
        const recordKey = this.d.keys.sourcesResult(this.pub.id, contentHash(body));
        recorded = await this.d.redis.get(recordKey);
        if (recorded) result = JSON.parse(recorded) as DocumentResult;
        else {
          result = await takeDocument(this.d, this.pub, body, { docUrl: pathToFileURL(file).href, linkTemplate: this.pub.inbox?.link, now: this.o.now(), maxBytes: this.o.maxBytes });
          await this.d.redis.set(recordKey, JSON.stringify(result), 'PX', this.o.resultTtlMs ?? 30 * 86_400_000);
        }
      }
    } catch (e) {
      // Redis went away mid-file: let the next look (here or in another process) take it again at once.
      await this.d.redis.del(claim).catch(() => undefined);
      throw e;
    }
    const report: InboxFileReport = { name, result, fromRecord: Boolean(recorded) };
    if (this.o.skipMove) return report;
    report.movedTo = await this.moveOut(name, result);
    this.seen.delete(name);
    const counts = result.offers.reduce<Record<string, number>>((a, x) => { a[x.became] = (a[x.became] ?? 0) + 1; return a; }, {});
    if (result.verdict === 'rejected') this.log.warn({ file: name, movedTo: report.movedTo }, `inbox file rejected: ${name}`);
    else this.log.info({ file: name, format: result.format, ...counts, again: report.fromRecord || undefined }, 'inbox file taken');
    return report;
  }

  /** Moves the file to done/ or rejected/ (never over another file: a clash gets a suffix) and writes its reason beside it. */
  private async moveOut(name: string, result: DocumentResult): Promise<string> {
    const dest = path.join(this.o.dir, result.verdict === 'done' ? 'done' : 'rejected');
    await mkdir(dest, { recursive: true });
    const target = await freeName(dest, name);
    if (result.reason) await writeFile(`${target}.reason.txt`, `${result.reason}\n`, 'utf8');
    await rename(path.join(this.o.dir, name), target);
    return target;
  }
}

async function exists(p: string): Promise<boolean> {
  try { await stat(p); return true; } catch { return false; }
}

/** NAME, or NAME with "-2", "-3"… before its extension when one with that name is there already. */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = path.join(dir, i === 1 ? name : `${stem}-${i}${ext}`);
    if (!(await exists(candidate)) && !(await exists(`${candidate}.reason.txt`))) return candidate;
  }
}
