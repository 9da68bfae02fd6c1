// SPDX-License-Identifier: EUPL-1.2
/**
 * Acceptance of issue 12 ("Every office can feed it"), clause by clause of its "Done when", against the
 * X and Graph emulators, real Redis, real HTTP and the real `banditore` binary.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { startDashboard } from '../../src/app/roles.ts';
import { drained } from '../helpers/evidence.ts';
import { cli } from '../helpers/cli.ts';
import { clicLavoro, hrOpen, clCode, CONTACT_PATTERNS } from './docs.ts';

let stack: Stack | undefined;
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  await stack?.stop();
  stack = undefined;
});

const noContacts = (texts: string[]) => {
  for (const t of texts) for (const re of CONTACT_PATTERNS) expect(t, `a post repeats ${re}`).not.toMatch(re);
};
const fbMessages = (s: Stack) => livePosts(s.graph.posts()).map((p) => p.message);
const xTexts = (s: Stack) => s.x.posts().map((p) => p.text);

describe('issue 12: inbox folder', () => {
  it('ClicLavoro and HR-Open files (one written in two parts, one broken) are posted once on both networks, with the comune resolved and no contacts; done/ and rejected/ hold the files; a re-issue posts nothing new and a closed offer closes its posts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accept-inbox-'));
    stack = await startStack({
      initialOffers: 0,
      publisherExtra: `    inbox: { path: ${dir}, link: "https://www.example.it/offerta/{{code}}", settle: 800ms, pollInterval: 100ms }`,
    });
    await stack.startWorkers();
    await stack.startPoller();

    const a = clCode(1);
    const cl = clicLavoro({ code: a, title: 'Cuoco capo partita', comune: 'F646' });
    // An upload in progress: the first half now, the rest a moment later (well within `settle`).
    const half = Math.floor(cl.length / 2);
    writeFileSync(join(dir, 'sil-export.xml'), cl.slice(0, half));
    await new Promise((r) => setTimeout(r, 300));
    appendFileSync(join(dir, 'sil-export.xml'), cl.slice(half));
    writeFileSync(join(dir, 'eures.xml'), hrOpen({ id: 'EURES-IT-778899', title: 'Saldatore a filo', city: 'Spoltore' }));
    writeFileSync(join(dir, 'rotto.xml'), '<?xml version="1.0"?><cliclavoro:Vacancy xmlns:cliclavoro="http://servizi.lavoro.gov.it/vacancy"><cliclavoro:DatiSistema>');

    await waitFor('both documents in done/', () => existsSync(join(dir, 'done', 'sil-export.xml')) && existsSync(join(dir, 'done', 'eures.xml')));
    await waitFor('the broken one in rejected/ with its reason', () => existsSync(join(dir, 'rejected', 'rotto.xml')) && existsSync(join(dir, 'rejected', 'rotto.xml.reason.txt')));
    const reason = readFileSync(join(dir, 'rejected', 'rotto.xml.reason.txt'), 'utf8');
    // In Italian, saying what is wrong with the document.
    expect(reason).toMatch(/XML|document|riga|chiuso|troncato/i);
    expect(readdirSync(dir).filter((n) => n.endsWith('.xml'))).toEqual([]);
    // The half-written file was never rejected as broken.
    expect(existsSync(join(dir, 'rejected', 'sil-export.xml'))).toBe(false);

    await waitFor('two posts on X', () => stack!.x.posts().length >= 2);
    await waitFor('two posts on Facebook', () => stack!.graph.posts().length >= 2);
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(2);
    expect(stack.graph.posts()).toHaveLength(2);

    const fbCook = fbMessages(stack).find((m) => m.includes('Cuoco capo partita'));
    const fbWelder = fbMessages(stack).find((m) => m.includes('Saldatore a filo'));
    expect(fbCook).toBeDefined();
    expect(fbWelder).toBeDefined();
    // F646 is Montesilvano, in the province of Pescara.
    expect(fbCook).toContain('Montesilvano');
    expect(fbCook).toContain('(PE)');
    expect(fbCook).toContain(`https://www.example.it/offerta/${a}`);
    expect(fbWelder).toContain('Spoltore');
    expect(xTexts(stack).find((t) => t.includes('Cuoco capo partita'))).toContain('Montesilvano');
    noContacts([...fbMessages(stack), ...xTexts(stack)]);

    // A re-issue of the ClicLavoro offer under a new code: the same offer, no second post.
    const b = clCode(2);
    writeFileSync(join(dir, 'riemissione.xml'), clicLavoro({ code: b, previous: a, title: 'Cuoco capo partita', comune: 'F646', text: 'Cerchiamo personale con esperienza nella ristorazione, anche su turni serali.' }));
    await waitFor('the re-issue in done/', () => existsSync(join(dir, 'done', 'riemissione.xml')));
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(2);
    expect(stack.graph.posts()).toHaveLength(2);

    // An offer that arrives already closed is never posted.
    writeFileSync(join(dir, 'gia-chiusa.xml'), clicLavoro({ code: clCode(3), title: 'Giardiniere', comune: 'F646', closed: '01' }));
    await waitFor('the closed-on-arrival document taken', () => existsSync(join(dir, 'done', 'gia-chiusa.xml')) || existsSync(join(dir, 'rejected', 'gia-chiusa.xml')));
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(2);
    expect(stack.graph.posts()).toHaveLength(2);

    // The EURES offer closes: its X post is deleted and its Facebook post says so.
    writeFileSync(join(dir, 'eures-chiusa.xml'), hrOpen({ id: 'EURES-IT-778899', title: 'Saldatore a filo', city: 'Spoltore', status: 'Closed' }));
    await waitFor('the X post of the closed offer deleted', () => stack!.x.posts().find((p) => p.text.includes('Saldatore'))?.deleted);
    await waitFor('the Facebook post of the closed offer closed', () => {
      const p = stack!.graph.posts().find((q) => q.message.includes('Saldatore') || q.history.some((h) => h.message.includes('Saldatore')));
      return p && (p.deleted || /chius/i.test(p.message));
    });
    // The re-issued offer closes by its new code.
    writeFileSync(join(dir, 'cuoco-chiusa.xml'), clicLavoro({ code: b, previous: a, title: 'Cuoco capo partita', comune: 'F646', closed: '01' }));
    await waitFor('the X post of the closed ClicLavoro offer deleted', () => stack!.x.posts().find((p) => p.text.includes('Cuoco'))?.deleted);
    await waitFor('the Facebook post of the closed ClicLavoro offer closed', () => {
      const p = stack!.graph.posts().find((q) => q.message.includes('Cuoco') || q.history.some((h) => h.message.includes('Cuoco')));
      return p && (p.deleted || /chius/i.test(p.message));
    });
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(2);
    expect(stack.graph.posts()).toHaveLength(2);
    noContacts([...stack.graph.posts().flatMap((p) => [p.message, ...p.history.map((h) => h.message)]), ...xTexts(stack)]);
  }, 60_000);
});

const TOKEN = 'pescara-api-token-0123456789abcdef';
const OTHER = 'chieti-api-token-0123456789abcdefgh';

function jobPosting(id: string, title: string) {
  return {
    '@context': 'https://schema.org', '@type': 'JobPosting', identifier: id, title,
    description: `Azienda di Pescara cerca ${title}. Per candidarsi scrivere a mario.rossi72@gmail.com o chiamare il 333 1234567.`,
    url: `https://www.provincia.pescara.it/offerte/${id}`,
    datePosted: '2026-11-30', validThrough: '2026-12-31',
    jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: 'Penne', addressRegion: 'PE' } },
  };
}

describe('issue 12: offers API', () => {
  it('pushed offers are posted once, refused without the token or with another publisher\'s, not re-posted when pushed again, closed by DELETE', async () => {
    stack = await startStack({
      initialOffers: 0,
      publisherExtra: `    api: { tokens: ["\${PESCARA_API_TOKEN}"], link: "https://www.provincia.pescara.it/offerte/sil/{{code}}" }`,
      // A second office with its own token.
      channelsExtra: `  - id: chieti
    name: Provincia di Chieti
    api: { tokens: ["\${CHIETI_API_TOKEN}"] }
    channels:
      facebook:
        graphBaseUrl: http://127.0.0.1:9
        pageId: "999"
        pageAccessToken: \${FB_PAGE_TOKEN}`,
      extraEnv: { PESCARA_API_TOKEN: TOKEN, CHIETI_API_TOKEN: OTHER },
    });
    const hasChieti = stack.loaded.config.publishers.some((p) => p.id === 'chieti');
    await stack.startWorkers();
    const dash = await startDashboard(stack.rt);
    closers.push(dash.stop);
    const url = `${dash.url}/api/v1/publishers/pescara/offers`;
    const push = (body: unknown, token?: string) => fetch(url, {
      method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': typeof body === 'string' ? 'application/xml' : 'application/ld+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

    const offer = jobPosting('PE-2026-0101', 'Magazziniere');
    // Refused: no token, a wrong one, another publisher's.
    expect((await push(offer)).status).toBe(401);
    expect((await push(offer, 'not-the-token-0123456789abcdef')).status).toBe(401);
    expect((await push(offer, OTHER)).status).toBe(401);
    expect(hasChieti, 'the second publisher with its own token was configured').toBe(true);

    const first = await push(offer, TOKEN);
    expect(first.status).toBe(201);
    const xml = clicLavoro({ code: clCode(7), title: 'Operaio edile', comune: 'G438' });
    const firstXml = await fetch(url, { method: 'POST', body: xml, headers: { 'content-type': 'application/xml', authorization: `Bearer ${TOKEN}` } });
    expect(firstXml.status).toBe(201);
    // A document with no identity is refused with a list of problems.
    const bad = await fetch(url, { method: 'POST', body: clicLavoro({ code: '', title: 'Senza codice', comune: 'G438' }), headers: { 'content-type': 'application/xml', authorization: `Bearer ${TOKEN}` } });
    expect([400, 422]).toContain(bad.status);
    expect(JSON.stringify(await bad.json())).toMatch(/codiceofferta/);

    await waitFor('the pushed offer on X', () => stack!.x.posts().some((p) => p.text.includes('Magazziniere')));
    await waitFor('the pushed ClicLavoro offer on Facebook, in Penne (G438)', () => stack!.graph.posts().find((p) => p.message.includes('Operaio edile'))?.message.includes('Penne'));
    // Pushed again, identical: harmless.
    expect((await fetch(url, { method: 'POST', body: xml, headers: { 'content-type': 'application/xml', authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    await waitFor('the pushed offer on Facebook', () => stack!.graph.posts().some((p) => p.message.includes('Magazziniere')));
    // Pushed again, identical: harmless.
    const again = await push(offer, TOKEN);
    expect(again.status).toBe(200);
    await drained(stack.rt);
    expect(stack.x.posts().filter((p) => p.text.includes('Magazziniere'))).toHaveLength(1);
    expect(stack.graph.posts().filter((p) => p.message.includes('Magazziniere'))).toHaveLength(1);
    expect(stack.x.posts()).toHaveLength(2);
    expect(stack.graph.posts()).toHaveLength(2);
    noContacts([...fbMessages(stack), ...xTexts(stack)]);

    // DELETE without the token is refused and closes nothing.
    const del = (token?: string) => fetch(`${url}/PE-2026-0101`, { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await del()).status).toBe(401);
    expect((await del(OTHER)).status).toBe(401);
    await drained(stack.rt);
    expect(stack.x.posts().find((p) => p.text.includes('Magazziniere'))?.deleted).toBe(false);
    expect((await del(TOKEN)).status).toBe(200);
    await waitFor('the X post deleted', () => stack!.x.posts().find((p) => p.text.includes('Magazziniere'))?.deleted);
    await waitFor('the Facebook post closed', () => {
      const p = stack!.graph.posts().find((q) => q.message.includes('Magazziniere') || q.history.some((h) => h.message.includes('Magazziniere')));
      return p && (p.deleted || /chius/i.test(p.message));
    });
    await drained(stack.rt);
    expect(stack.x.posts().filter((p) => p.text.includes('Magazziniere'))).toHaveLength(1);
  }, 60_000);
});

/** A portal on the regional template: a listing with offer links among navigation, news and privacy links. */
async function startPortal(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const offer = (n: number, title: string, place: string) => `<!doctype html><html lang="it"><head><title>${title} - Lavoro per Te</title></head><body>
<nav><a href="/welcomepage/">Home</a> <a href="/privacy">Privacy</a> <a href="/news/42">Notizie</a></nav>
<div class="container"><div class="row">
<h3 class="white-heading uppercase">${title}</h3>
<div class="right-heading pull-right">Rif. offerta ${n}/2026</div>
</div>
<div class="job-info"><div class="row"><div class="col-md-4"><span>Luogo di lavoro</span></div><div class="col-md-8">${place}</div></div>
<div class="row"><div class="col-md-4"><span>Contratto</span></div><div class="col-md-8">Lavoro a tempo determinato</div></div>
<div class="row"><div class="col-md-4"><span>Qualifica ISTAT</span></div><div class="col-md-8">5.1.2.2.0 - Commessi delle vendite al minuto</div></div></div>
<div class="job-overview-sec"><ul>
<li><span>Data di pubblicazione</span><p><time datetime="2026-11-30">30/11/2026</time></p></li>
<li><span>Scade il</span><p>( 31-12-2026 )</p></li>
<li><span>Posti disponibili</span><p>1</p></li></ul></div>
<p class="job-description">Si cerca personale per il punto vendita. Curriculum a mario.rossi72@gmail.com, tel. 333 1234567.</p>
<footer><a href="/privacy">Informativa privacy</a></footer>
</div></body></html>`;
  const pages: Record<string, string> = {
    '/welcomepage/': `<!doctype html><html lang="it"><body>
<nav><a href="/welcomepage/">Home</a> <a href="/privacy">Privacy</a> <a href="/news/42">Notizie: nuovo bando regionale</a> <a href="https://www.facebook.com/lavoroperte">Facebook</a></nav>
<h1>Ultime offerte</h1>
<ul><li><a href="/welcomepage/vacancy/view/501">Commesso di negozio</a></li>
<li><a href="/welcomepage/vacancy/view/502">Addetto alle pulizie</a></li></ul>
<aside><a href="/welcomepage/cerca">Cerca offerte</a> <a href="/news/43">Corso di formazione gratuito per saldatori</a></aside>
</body></html>`,
    '/welcomepage/vacancy/view/501': offer(501, 'Commesso di negozio', 'Cesena (FC)'),
    '/welcomepage/vacancy/view/502': offer(502, 'Addetto alle pulizie', 'Forlì (FC)'),
    '/news/42': '<html><body><h3 class="white-heading">Nuovo bando regionale</h3></body></html>',
    '/news/43': '<html><body><h3 class="white-heading">Corso di formazione gratuito per saldatori</h3></body></html>',
    '/privacy': '<html><body><h3 class="white-heading">Informativa privacy</h3></body></html>',
    '/welcomepage/cerca': '<html><body><h3 class="white-heading">Cerca</h3></body></html>',
  };
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = pages[req.url ?? ''];
    if (!body) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/welcomepage/`, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('issue 12: portal pages', () => {
  it('offers on pages of the regional template are posted with their title and place, and nothing else on the page is', async () => {
    const portal = await startPortal();
    closers.push(portal.close);
    stack = await startStack({
      initialOffers: 0,
      publisherExtra: `    pages:
      - url: ${portal.url}
        preset: myportal
        pollInterval: 1s
        onFirstPoll: post`,
    });
    await stack.startWorkers();
    await stack.startPoller();
    await waitFor('two posts on X', () => stack!.x.posts().length >= 2);
    await waitFor('two posts on Facebook', () => stack!.graph.posts().length >= 2);
    // Let a few more polls of the listing run: still nothing else is posted.
    const listed = portal.hits.filter((h) => h === '/welcomepage/').length;
    await waitFor('two more polls of the listing', () => portal.hits.filter((h) => h === '/welcomepage/').length >= listed + 2, 20_000);
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(2);
    expect(stack.graph.posts()).toHaveLength(2);
    const fb = fbMessages(stack);
    const shop = fb.find((m) => m.includes('Commesso di negozio'));
    const clean = fb.find((m) => m.includes('Addetto alle pulizie'));
    expect(shop).toContain('Cesena');
    expect(clean).toContain('Forlì');
    expect(xTexts(stack).find((t) => t.includes('Commesso di negozio'))).toContain('Cesena');
    for (const t of [...fb, ...xTexts(stack)]) expect(t).not.toMatch(/bando regionale|formazione gratuito|Informativa privacy|Cerca/);
    noContacts([...fb, ...xTexts(stack)]);
    // Navigation, news, search and privacy links were never followed.
    expect(portal.hits.filter((h) => /^\/(news|privacy|welcomepage\/cerca)/.test(h))).toEqual([]);
  }, 60_000);
});

describe('issue 12: banditore parse --json', () => {
  it('reads a ClicLavoro file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accept-parse-'));
    const file = join(dir, 'vacancy.xml');
    // The text gives a landline the usual way, with its area code in brackets.
    writeFileSync(file, clicLavoro({ code: clCode(9), title: 'Cameriere di sala', comune: 'L103', text: 'Cerchiamo cameriere di sala. Per informazioni telefonare al (0861) 245566 in orario di ufficio. Si richiede esperienza.' }));
    const r = await cli(['parse', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as unknown;
    const text = JSON.stringify(out);
    expect(text).toContain(clCode(9));
    expect(text).toContain('Cameriere di sala');
    // L103 is Teramo.
    expect(text).toContain('Teramo');
    expect(text).toMatch(/cliclavoro/i);
    expect(text).toContain('Si richiede esperienza');
    expect(text).not.toMatch(/245566/);
  }, 60_000);
});
