// SPDX-License-Identifier: EUPL-1.2
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParse } from '../../../src/cli/commands/parse.ts';
import { startServer, rss, item, type TestServer } from '../../hostile/helpers/server.ts';

let dir: string;
let server: TestServer;
let feedFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'banditore-parse-'));
  feedFile = path.join(dir, 'feed.xml');
  writeFileSync(feedFile, rss(
    item(1, '<pubDate>Mon, 23 Nov 2026 09:15:00</pubDate><description>&lt;p&gt;Cuoco&lt;/p&gt;</description>')
    + '<item><title>Senza link</title><guid isPermaLink="false">X-2</guid></item>'
    + '<item><title>Pericolo</title><link>javascript:alert(1)</link></item>',
  ));
  server = await startServer({
    '/feed.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(item(9))),
    '/page': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>nothing</body></html>'),
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('banditore parse', () => {
  it('prints one JSON object per item with the decision and why', async () => {
    const c = capture();
    expect(await runParse(['--json', feedFile], c.io)).toBe(0);
    const rows = c.out.map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      source: feedFile, index: 0, sourceId: 'PE-1', title: 'Offerta 1', url: 'http://cpi.example/offerte/1', text: 'Cuoco',
      published: '2026-11-23T08:15:00.000Z', validThrough: null, decision: 'post',
    });
    expect(rows[1]).toMatchObject({ index: 1, sourceId: 'X-2', decision: 'no-link' });
    expect(rows[2]).toMatchObject({ index: 2, decision: 'unsafe-link', reason: 'javascript: link refused (only http and https)' });
  });

  it('goes on after a failing source and exits 1', async () => {
    const c = capture();
    const code = await runParse(['--json', server.url('/page'), server.url('/feed.xml'), path.join(dir, 'missing.xml')], c.io);
    expect(code).toBe(1);
    const rows = c.out.map((l) => JSON.parse(l));
    expect(rows[0]).toEqual({ source: server.url('/page'), error: 'HTML page, not a feed' });
    expect(rows[1]).toMatchObject({ source: server.url('/feed.xml'), title: 'Offerta 9', decision: 'post' });
    expect(rows[2]).toEqual({ source: path.join(dir, 'missing.xml'), error: 'cannot read file: ENOENT' });
  });

  it('prints an aligned table for operators, in Italian, with dates in the publisher zone', async () => {
    const c = capture();
    expect(await runParse([feedFile], c.io)).toBe(0);
    expect(c.out[0]).toBe(`${feedFile}  (rss, 3 voci: 1 da pubblicare, 1 senza link, 1 link non sicuro)`);
    expect(c.out[1]).toMatch(/^#\s+DECISIONE\s+PUBBLICATA\s+SCADENZA\s+TITOLO\s+LINK \/ MOTIVO$/);
    const col = c.out[1]!.indexOf('TITOLO');
    // 09:15 with no zone is read in Rome (08:15Z) and shown in Rome again, the Italian way.
    expect(c.out[2]).toContain('23 nov 2026, 09:15');
    expect(c.out[2]!.slice(col)).toMatch(/^Offerta 1\s+http:\/\/cpi\.example\/offerte\/1$/);
    expect(c.out[3]!.slice(col)).toMatch(/^Senza link\s+la voce non ha link$/);
    expect(c.out[4]!.slice(col)).toMatch(/^Pericolo\s+javascript: link refused/);
  });

  it('prints the same table in English with --lang en', async () => {
    const c = capture();
    expect(await runParse([feedFile], { ...c.io, lang: 'en' })).toBe(0);
    expect(c.out[0]).toBe(`${feedFile}  (rss, 3 items: 1 post, 1 no-link, 1 unsafe-link)`);
    expect(c.out[1]).toMatch(/^#\s+DECISION\s+PUBLISHED\s+VALID THROUGH\s+TITLE\s+LINK \/ REASON$/);
    expect(c.out[2]).toContain('23 Nov 2026, 09:15');
  });

  it('says "1 voce" for one item and "nessuna voce" for none', async () => {
    const one = path.join(dir, 'one.xml');
    writeFileSync(one, rss(item(7)));
    const none = path.join(dir, 'none.xml');
    writeFileSync(none, rss(''));
    const c = capture();
    expect(await runParse([one, none], c.io)).toBe(0);
    expect(c.out[0]).toBe(`${one}  (rss, 1 voce: 1 da pubblicare)`);
    expect(c.out.at(-1)).toBe(`${none}  (rss, nessuna voce)`);
  });

  it('reads dates in the publisher zone from --config', async () => {
    const c = capture();
    const io = { ...c.io, loadPublisher: (file: string, id: string) => ({ id, timezone: file === 'cfg.yaml' ? 'America/New_York' : 'UTC' }) };
    expect(await runParse(['--json', '--publisher', 'ny', '--config', 'cfg.yaml', feedFile], io)).toBe(0);
    expect(JSON.parse(c.out[0]!).published).toBe('2026-11-23T14:15:00.000Z');
  });

  it('resolves relative links of a file only with --base', async () => {
    const file = path.join(dir, 'relative.xml');
    writeFileSync(file, rss('<item><title>Rel</title><link>/offerte/5</link></item>'));
    const without = capture();
    await runParse(['--json', file], without.io);
    expect(JSON.parse(without.out[0]!)).toMatchObject({ decision: 'no-link', reason: 'relative link "/offerte/5" needs the feed\'s URL (parse --base URL)' });
    const withBase = capture();
    await runParse(['--json', '--base', 'https://cpi.example/rss', file], withBase.io);
    expect(JSON.parse(withBase.out[0]!)).toMatchObject({ decision: 'post', url: 'https://cpi.example/offerte/5' });
  });

  it('explains bad usage', async () => {
    const c = capture();
    expect(await runParse(['--publisher', 'x', feedFile], c.io)).toBe(2);
    expect(c.err[0]).toBe('banditore parse: --publisher e --config vanno insieme');
    const en = capture();
    expect(await runParse(['--publisher', 'x', feedFile], { ...en.io, lang: 'en' })).toBe(2);
    expect(en.err[0]).toBe('banditore parse: --publisher and --config go together');
    expect(await runParse([], c.io)).toBe(2);
  });
});
