// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 12, the inbox: files the SIL's export or an SFTP upload drops in `publishers[].inbox.path` are
 * read once they have settled, posted once on both networks (the comune's name from its Belfiore code,
 * no personal e-mail or phone), moved to done/ — or to rejected/ with NAME.reason.txt in Italian. A
 * re-issue (codiceoffertaprecedente) is the same offer corrected, motivochiusura closes the posts, two
 * watchers take each file once, and a crash between reading and moving posts nothing twice.
 */
import { describe, it, expect, afterEach, beforeEach } from 'vitest';
import { mkdtemp, writeFile, appendFile, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { InboxWatcher } from '../../src/sources/inbox.ts';
import { createRuntime } from '../../src/app/runtime.ts';
import { clicLavoro, hrOpen, code25 } from './sources-kit.ts';

let stack: Stack | undefined;
let dir = '';
const stops: Array<() => Promise<void>> = [];

beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'banditore-inbox-')); });
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
  await stack?.stop(); stack = undefined;
  await rm(dir, { recursive: true, force: true });
});

const LINK = 'https://lavoro.provincia.pescara.it/offerta/{{code}}';
const linkOf = (code: string) => `https://lavoro.provincia.pescara.it/offerta/${encodeURIComponent(code)}`;

async function start(opts: { inbox?: boolean } = {}): Promise<Stack> {
  stack = await startStack({
    initialOffers: 0,
    publisherExtra: opts.inbox === false ? '' : `    inbox:\n      path: ${dir}\n      link: "${LINK}"\n      settle: 600ms\n      pollInterval: 100ms`,
  });
  await stack.startWorkers();
  return stack;
}

const pub = (s: Stack) => s.rt.config.publishers[0]!;
const watcher = (s: Stack, extra: Partial<ConstructorParameters<typeof InboxWatcher>[2]> = {}) =>
  new InboxWatcher(s.rt.intake, pub(s), { dir, maxBytes: 1_000_000, now: Date.now, ...extra });
const files = async (sub: string) => (existsSync(path.join(dir, sub)) ? (await readdir(path.join(dir, sub))).sort() : []);
const postsFor = (s: Stack, code: string) => ({
  x: s.x.posts().filter((p) => p.text.includes(linkOf(code))),
  fb: s.graph.posts().filter((p) => p.link === linkOf(code)),
});

describe('an inbox folder', () => {
  it('posts ClicLavoro and HR-Open files once on both networks, waits for a file written in two parts, and rejects a broken one with its reason', async () => {
    const s = await start();
    const named = code25(20);
    const slow = code25(21);
    await writeFile(path.join(dir, 'vacancy-20.xml'), clicLavoro({
      code: named, title: 'Aiuto cuoco',
      text: 'Ristorante in centro cerca aiuto cuoco.\nInviare il curriculum a mario.rossi75@gmail.com oppure chiamare il 333 1234567.',
    }));
    await writeFile(path.join(dir, 'eures.xml'), hrOpen({ id: 'EURES-IT-PE-2026-0043', title: 'Addetto alle pulizie', city: 'Montesilvano' }));
    // Ignored by name: uploads in progress by convention.
    await writeFile(path.join(dir, 'upload.xml.part'), 'not yet');
    await writeFile(path.join(dir, '.hidden.xml'), 'not yet');
    // Broken: no codiceofferta, the identity of a ClicLavoro offer.
    await writeFile(path.join(dir, 'rotto.xml'), clicLavoro({ code: '', title: 'Senza codice' }).replace('<codiceofferta></codiceofferta>', ''));
    const stop = await s.startPoller();
    stops.push(stop);

    // Written in two parts, with a pause longer than half of `settle`: it must not be read half-written.
    const doc = clicLavoro({ code: slow, title: 'Magazziniere', comune: 'F646' });
    await writeFile(path.join(dir, 'vacancy-21.xml'), doc.slice(0, 200));
    await new Promise((r) => setTimeout(r, 400));
    await appendFile(path.join(dir, 'vacancy-21.xml'), doc.slice(200));

    await waitFor('three offers on both networks', () => s.x.posts().length === 3 && s.graph.posts().length === 3);
    await waitFor('files moved', async () => (await files('done')).length === 3 && (await files('rejected')).length === 2);
    await drained(s.rt);

    expect(await files('done')).toEqual(['eures.xml', 'vacancy-20.xml', 'vacancy-21.xml']);
    expect(await files('rejected')).toEqual(['rotto.xml', 'rotto.xml.reason.txt']);
    const reason = await readFile(path.join(dir, 'rejected', 'rotto.xml.reason.txt'), 'utf8');
    expect(reason).toContain('codiceofferta');
    expect(reason).toMatch(/nessuna offerta del documento è utilizzabile/);
    // Still there, untouched: ignored names.
    expect((await readdir(dir)).sort()).toEqual(['.hidden.xml', 'done', 'rejected', 'upload.xml.part']);

    const a = postsFor(s, named);
    expect(a.x).toHaveLength(1);
    expect(a.fb).toHaveLength(1);
    expect(a.x[0]!.text).toContain('Pescara');
    for (const text of [a.x[0]!.text, a.fb[0]!.message]) {
      expect(text).not.toContain('mario.rossi75');
      expect(text).not.toMatch(/333\s?1234567/);
    }
    // F646 is Montesilvano: the name comes from the ANPR list, never the code.
    expect(postsFor(s, slow).x[0]!.text).toContain('Montesilvano');
    expect(postsFor(s, slow).x[0]!.text).not.toContain('F646');
    const eures = postsFor(s, 'EURES-IT-PE-2026-0043');
    expect(eures.x).toHaveLength(1);
    expect(eures.fb).toHaveLength(1);
    expect(eures.x[0]!.text).toContain('Addetto alle pulizie');
  });

  it('takes a re-issued offer (codiceoffertaprecedente) as a correction, never a second post, and closes the posts on motivochiusura', async () => {
    const s = await start();
    stops.push(await s.startPoller());
    const first = code25(30);
    const second = code25(31);
    await writeFile(path.join(dir, 'a.xml'), clicLavoro({ code: first, title: 'Cameriere di sala' }));
    await waitFor('posted on both networks', () => postsFor(s, first).x.length === 1 && postsFor(s, first).fb.length === 1);
    await waitFor('a.xml in done/', async () => (await files('done')).includes('a.xml'));

    // Re-issued under a new code, with a corrected title: the Facebook post is edited, X gets nothing new.
    await writeFile(path.join(dir, 'b.xml'), clicLavoro({ code: second, previous: first, title: 'Cameriere di sala e bar' }));
    await waitFor('the Facebook post edited', () => s.graph.posts()[0]?.history.length === 1);
    await waitFor('b.xml in done/', async () => (await files('done')).includes('b.xml'));
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
    expect(s.graph.posts()).toHaveLength(1);
    expect(s.graph.posts()[0]!.message).toContain('Cameriere di sala e bar');

    // Closed under the re-issue's code: the posts of the one offer close (X deleted, Facebook edited "chiusa").
    await writeFile(path.join(dir, 'c.xml'), clicLavoro({ code: second, previous: first, title: 'Cameriere di sala e bar', closed: '03' }));
    await waitFor('the X post deleted', () => s.x.posts()[0]?.deleted === true);
    await waitFor('the Facebook post says it is closed', () => /chiusa/i.test(s.graph.posts()[0]?.message ?? ''));
    await drained(s.rt);
    expect(livePosts(s.x.posts())).toHaveLength(0);
    expect(s.x.posts()).toHaveLength(1);
    expect(s.graph.posts()).toHaveLength(1);
    expect(await files('done')).toEqual(['a.xml', 'b.xml', 'c.xml']);
  });

  it('two watchers on one folder, each with its own runtime and Redis connections as two processes have, take each file once', async () => {
    const s = await start({ inbox: false });
    const other = createRuntime(s.loaded, { logger: s.rt.logger });
    stops.push(() => other.close());
    const p = { ...pub(s), inbox: { path: dir, link: LINK, settle: 300, pollInterval: 50 } };
    const reports: string[] = [];
    const w = (rt: typeof other) => {
      const x = new InboxWatcher(rt.intake, p, { dir, maxBytes: 1_000_000, now: Date.now });
      const orig = x.scan.bind(x);
      x.scan = async () => { const r = await orig(); reports.push(...r.map((f) => f.name)); return r; };
      return x.start();
    };
    stops.push(w(s.rt), w(other));
    for (let i = 0; i < 6; i++) await writeFile(path.join(dir, `v${i}.xml`), clicLavoro({ code: code25(40 + i), title: `Operaio ${i}` }));
    await waitFor('six files in done/', async () => (await files('done')).length === 6);
    await waitFor('six offers on both networks', () => s.x.posts().length === 6 && s.graph.posts().length === 6);
    await drained(s.rt);
    expect(reports.sort()).toEqual(['v0.xml', 'v1.xml', 'v2.xml', 'v3.xml', 'v4.xml', 'v5.xml']);
    expect(s.x.posts()).toHaveLength(6);
    expect(s.graph.posts()).toHaveLength(6);
  });

  it('a crash between reading and moving: the restarted watcher moves the file and posts nothing twice', async () => {
    const s = await start({ inbox: false });
    const p = { ...pub(s), inbox: { path: dir, link: LINK, settle: 200, pollInterval: 50 } };
    const code = code25(50);
    await writeFile(path.join(dir, 'v.xml'), clicLavoro({ code, title: 'Saldatore' }));
    // The first process reads and takes the offers in, records the result, then dies before moving.
    const crashed = new InboxWatcher(s.rt.intake, p, { dir, maxBytes: 1_000_000, now: Date.now, skipMove: true, claimTtlMs: 300 });
    const taken = await waitFor('the file read', async () => (await crashed.scan()).find((r) => r.name === 'v.xml'));
    expect(taken!.result.offers.map((o) => o.became)).toEqual(['new']);
    await waitFor('posted on both networks', () => postsFor(s, code).x.length === 1 && postsFor(s, code).fb.length === 1);
    expect(await readdir(dir)).toEqual(['v.xml']);

    // Restarted: once the dead process's claim ran out, the file is taken again, from the record.
    const restarted = new InboxWatcher(s.rt.intake, p, { dir, maxBytes: 1_000_000, now: Date.now });
    const again = await waitFor('the file taken again', async () => (await restarted.scan()).find((r) => r.name === 'v.xml'), 10_000, 100);
    expect(again!.fromRecord).toBe(true);
    expect(again!.movedTo).toBe(path.join(dir, 'done', 'v.xml'));
    await drained(s.rt);
    expect(postsFor(s, code).x).toHaveLength(1);
    expect(postsFor(s, code).fb).toHaveLength(1);
    expect(await files('done')).toEqual(['v.xml']);
  });

  it('a file whose offers carry no link and no link template is rejected with that reason; a name clash in done/ gets a suffix', async () => {
    const s = await start({ inbox: false });
    const p = { ...pub(s), inbox: { path: dir, settle: 100, pollInterval: 50 } };
    await writeFile(path.join(dir, 'v.xml'), clicLavoro({ code: code25(60), title: 'Elettricista' }));
    const w = watcher(s, {});
    (w as unknown as { pub: typeof p }).pub = p;
    await waitFor('rejected', async () => (await w.scan()).length === 1);
    const reason = await readFile(path.join(dir, 'rejected', 'v.xml.reason.txt'), 'utf8');
    expect(reason).toMatch(/manca il link/);
    expect(reason).toMatch(/link/);
    expect(s.x.posts()).toHaveLength(0);

    // The same name again, now with a template: done/; then once more: done/v-2.xml, the first kept.
    const withLink = { ...p, inbox: { ...p.inbox, link: LINK } };
    (w as unknown as { pub: typeof p }).pub = withLink;
    await writeFile(path.join(dir, 'v.xml'), clicLavoro({ code: code25(61), title: 'Idraulico' }));
    await waitFor('taken', async () => (await w.scan()).length === 1);
    await writeFile(path.join(dir, 'v.xml'), clicLavoro({ code: code25(62), title: 'Muratore' }));
    await waitFor('taken again', async () => (await w.scan()).length === 1);
    expect(await files('done')).toEqual(['v-2.xml', 'v.xml']);
    expect(await readFile(path.join(dir, 'done', 'v.xml'), 'utf8')).toContain('Idraulico');
    await waitFor('two offers on X', () => s.x.posts().length === 2);
  });

  it('a document with some unusable offers goes to done/ with a reason listing them; its good offers are posted', async () => {
    const s = await start({ inbox: false });
    const p = { ...pub(s), inbox: { path: dir, link: LINK, settle: 100, pollInterval: 50 } };
    const one = (xml: string) => xml.replace(/^<\?xml[^>]*>\n/, '').replace(' xmlns="http://servizi.lavoro.gov.it/vacancy"', '');
    const good = one(clicLavoro({ code: code25(64), title: 'Gommista' }));
    const bad = one(clicLavoro({ code: code25(65), title: 'Senza codice' })).replace(/<codiceofferta>.*<\/codiceofferta>/, '');
    await writeFile(path.join(dir, 'due.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<Vacancies xmlns="http://servizi.lavoro.gov.it/vacancy">\n${good}${bad}</Vacancies>\n`);
    const w = new InboxWatcher(s.rt.intake, p, { dir, maxBytes: 1_000_000, now: Date.now });
    const r = await waitFor('taken', async () => (await w.scan())[0]);
    expect(r!.result.offers.map((o) => o.became)).toEqual(['new', 'rejected']);
    expect(await files('done')).toEqual(['due.xml', 'due.xml.reason.txt']);
    const reason = await readFile(path.join(dir, 'done', 'due.xml.reason.txt'), 'utf8');
    expect(reason).toMatch(/alcune offerte del documento non sono utilizzabili/);
    expect(reason).toMatch(/offerta n\. 2 .*codiceofferta/);
    await waitFor('the good offer on X', () => postsFor(s, code25(64)).x.length === 1);
  });

  it('a file larger than the limit is refused unread, with the reason', async () => {
    const s = await start({ inbox: false });
    const p = { ...pub(s), inbox: { path: dir, link: LINK, settle: 100, pollInterval: 50 } };
    await writeFile(path.join(dir, 'grande.xml'), clicLavoro({ code: code25(63), title: 'Fabbro', text: 'x'.repeat(5000) }));
    const w = new InboxWatcher(s.rt.intake, p, { dir, maxBytes: 2000, now: Date.now });
    await waitFor('rejected', async () => (await w.scan()).length === 1);
    expect(await readFile(path.join(dir, 'rejected', 'grande.xml.reason.txt'), 'utf8')).toContain('il file supera il limite di 2000 byte');
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(0);
  });
});
