// SPDX-License-Identifier: EUPL-1.2
/**
 * A regional portal in the "Lavoro per Te" / MyPortal template (/work/shared/sources.md §5), for the
 * sandbox and the tests: a listing page (/welcomepage/) with the latest offers among navigation, news
 * and privacy links, one page per offer (/welcomepage/vacancy/view/{n}), news and privacy pages, and a
 * robots.txt. It answers conditional GETs (ETag, 304) and logs every request, so a test can tell which
 * pages were fetched. `offers`, `robots` and `failing` may be changed while it runs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export interface PortalOffer {
  id: number;
  title: string;
  code: string;
  place: string;
  contract: string;
  istat?: string;
  /** Publication, local time without zone ("2026-11-20T09:30:00"), as the template's <time datetime>. */
  published?: string;
  /** Deadline as the template writes it: dd-MM-yyyy. */
  deadline?: string;
  positions?: number;
  text?: string;
}

export interface PortalRequest { path: string; conditional: boolean; status: number; userAgent: string }

export interface PortalServer {
  url: string;
  listingUrl: string;
  offerUrl(id: number): string;
  /** What the listing shows now (change it to add or withdraw offers). */
  offers: PortalOffer[];
  /** robots.txt's body; null answers 404. */
  robots: string | null;
  requests: PortalRequest[];
  /** Offer ids whose page answers 500 (a portal having a bad moment). */
  failing: Set<number>;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="it">
<head><meta charset="utf-8"><title>${esc(title)} – Lavoro per Te (demo)</title></head>
<body>
  <nav class="navbar navbar-default"><ul class="nav navbar-nav">
    <li><a href="/welcomepage/">Home</a></li>
    <li><a href="/welcomepage/cittadini">Cittadini</a></li>
    <li><a href="/welcomepage/aziende">Aziende</a></li>
    <li><a href="/welcomepage/news">Notizie</a></li>
  </ul></nav>
${body}
  <footer>
    <a href="/welcomepage/privacy">Privacy</a>
    <a href="/welcomepage/cookie-policy">Cookie policy</a>
    <a href="https://www.facebook.com/lavoroperte">Facebook</a>
  </footer>
</body>
</html>
`;
}

function listing(offers: PortalOffer[]): string {
  const cards = offers.map((o) => `    <div class="job-card">
      <a href="/welcomepage/vacancy/view/${o.id}"><img src="/img/logo.png" alt=""></a>
      <h4><a href="/welcomepage/vacancy/view/${o.id}">${esc(o.title)}</a></h4>
      <span class="place">${esc(o.place)}</span>
    </div>`).join('\n');
  return layout('Ultime offerte', `  <section class="news-sec">
    <h2>Notizie</h2>
    <a href="/welcomepage/news/view/1">Nuovi orari dei Centri per l'impiego</a>
    <a href="/welcomepage/news/view/2">Garanzia Giovani: le novità</a>
  </section>
  <section class="job-list-sec">
    <h2>Ultime offerte di lavoro</h2>
${cards}
    <a href="/welcomepage/vacancy/search">Cerca tra tutte le offerte</a>
  </section>`);
}

function offerPage(o: PortalOffer): string {
  const row = (label: string, value: string | undefined) => (value === undefined ? '' : `        <div class="row"><div class="col-md-4"><span>${label}</span></div><div class="col-md-8">${esc(value)}</div></div>\n`);
  const li = (label: string, value: string | undefined) => (value === undefined ? '' : `          <li><span>${label}</span><p>${value}</p></li>\n`);
  return layout(o.title, `  <section class="inner-header-title"><div class="container">
    <h3 class="white-heading uppercase">${esc(o.title)}</h3>
    <div class="right-heading pull-right">Rif. offerta ${esc(o.code)}</div>
  </div></section>
  <section class="detail-desc"><div class="container">
      <div class="job-info">
${row('Qualifica ISTAT', o.istat)}${row('Contratto', o.contract)}${row('Luogo di lavoro', o.place)}      </div>
      ${o.text ? `<p class="job-description">${esc(o.text)}</p>` : ''}
      <div class="job-overview-sec"><ul>
${li('Data di pubblicazione', o.published ? `<time datetime="${esc(o.published)}">${esc(o.published.slice(0, 10))}</time>` : undefined)}${li('Scade il', o.deadline ? `( ${esc(o.deadline)} )` : undefined)}${li('Posti disponibili', o.positions === undefined ? undefined : String(o.positions))}      </ul></div>
  </div></section>`);
}

export async function startPortalServer(opts: { port?: number; host?: string; offers?: PortalOffer[]; robots?: string | null } = {}): Promise<PortalServer> {
  const requests: PortalRequest[] = [];
  const failing = new Set<number>();
  const state = { offers: opts.offers ?? [], robots: opts.robots === undefined ? 'User-agent: *\nDisallow: /welcomepage/login\n' : opts.robots };
  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8') => {
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const conditional = req.headers['if-none-match'] !== undefined;
    const notModified = status === 200 && req.headers['if-none-match'] === etag;
    requests.push({ path: req.url ?? '', conditional, status: notModified ? 304 : status, userAgent: String(req.headers['user-agent'] ?? '') });
    if (notModified) { res.writeHead(304, { etag }); res.end(); return; }
    res.writeHead(status, { 'content-type': type, ...(status === 200 ? { etag } : {}) });
    res.end(body);
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/robots.txt') return state.robots === null ? send(req, res, 404, 'not found', 'text/plain') : send(req, res, 200, state.robots, 'text/plain; charset=utf-8');
    if (path === '/welcomepage/' || path === '/welcomepage') return send(req, res, 200, listing(state.offers));
    const m = /^\/welcomepage\/vacancy\/view\/(\d+)$/.exec(path);
    if (m) {
      if (failing.has(Number(m[1]))) return send(req, res, 500, layout('Errore', '<p>Errore interno.</p>'));
      const o = state.offers.find((x) => x.id === Number(m[1]));
      return o ? send(req, res, 200, offerPage(o)) : send(req, res, 404, layout('Offerta non trovata', '<p>Offerta non più disponibile.</p>'));
    }
    if (/^\/welcomepage\/(news|privacy|cittadini|aziende|cookie-policy)/.test(path)) return send(req, res, 200, layout('Pagina', '<p>Contenuto informativo.</p>'));
    send(req, res, 404, layout('Non trovato', '<p>Pagina non trovata.</p>'));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const url = `http://${opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    listingUrl: `${url}/welcomepage/`,
    offerUrl: (id) => `${url}/welcomepage/vacancy/view/${id}`,
    get offers() { return state.offers; },
    set offers(v) { state.offers = v; },
    get robots() { return state.robots; },
    set robots(v) { state.robots = v; },
    requests,
    failing,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The sandbox's portal offers (demo data). */
export const DEMO_PORTAL_OFFERS: PortalOffer[] = [
  { id: 4101, title: 'Cuoco/a (M/F)', code: '4101/2026', place: 'Montesilvano (PE)', contract: 'Lavoro a tempo determinato', istat: '5.2.2.1.0 - Cuochi in alberghi e ristoranti', published: '2026-11-20T09:30:00', deadline: '31-12-2027', positions: 1, text: 'Ristorante sul lungomare cerca cuoco/a con esperienza. Inviare il curriculum a mario.rossi@example.com.' },
  { id: 4102, title: 'Magazziniere con patentino muletto (M/F)', code: '4102/2026', place: 'Pescara (PE)', contract: 'Lavoro a tempo indeterminato', istat: '8.1.3.1.0 - Facchini, addetti allo spostamento merci', published: '2026-11-21T10:00:00', deadline: '15-01-2028', positions: 2, text: 'Azienda di logistica cerca magazziniere con patentino per carrelli elevatori. Contattare il CPI di Pescara.' },
];
