// SPDX-License-Identifier: EUPL-1.2
/**
 * The presets: portals built on a shared template, read without the office writing any selector.
 * `myportal` is the regional template "Lavoro per Te" / MyPortal (Emilia-Romagna, Trentino; see
 * /work/shared/sources.md §5): offer pages at `/welcomepage/vacancy/view/{n}` or
 * `/offerte-lavoro/{province}/{slug}/{n}`, title `h3.white-heading`, "Rif. offerta 12345/2026" in
 * `div.right-heading`, `div.job-info` rows (a `div.col-md-4 > span` label, a `div.col-md-8` value),
 * `div.job-overview-sec li` (a `span` label, a `p` value: "Data di pubblicazione" with
 * `<time datetime>`, "Scade il ( dd-MM-yyyy )", "Posti disponibili") and `p.job-description`.
 */
import type { Element, HtmlPage } from '../../feeds/html/index.ts';
import { dateOf, lines, nonEmpty, type OfferFields, type PageSpec } from './offer-page.ts';

const OFFER_PATH = /\/welcomepage\/vacancy\/view\/\d+\/?$|\/offerte-lavoro\/[^/]+\/[^/]+\/\d+\/?$/;

/** The next element after `el` among its siblings. */
function nextElement(el: Element): Element | undefined {
  for (let n = el.next; n; n = n.next) if (n.type === 'tag') return n as Element;
  return undefined;
}

const label = (s: string) => s.toLowerCase().replace(/[:\s]+/g, ' ').trim();

/** The `div.job-info` rows as label → value element. */
function jobInfo(page: HtmlPage): Map<string, Element> {
  const rows = new Map<string, Element>();
  for (const l of page.select('div.job-info div.col-md-4')) {
    const value = nextElement(l);
    const name = label(page.text(l));
    if (value && name && !rows.has(name)) rows.set(name, value);
  }
  // The overview list: each li holds its label in a span and its value in a p.
  for (const li of page.select('div.job-overview-sec li')) {
    const name = label(page.text(page.selectOne('span', li)));
    const value = page.selectOne('p', li) ?? page.selectOne('time', li);
    if (value && name && !rows.has(name)) rows.set(name, value);
  }
  return rows;
}

function readMyPortal(page: HtmlPage): OfferFields {
  const rows = jobInfo(page);
  const row = (name: string) => { const el = rows.get(name); return el ? nonEmpty(page.text(el)) : undefined; };
  const ref = nonEmpty(page.text(page.selectOne('div.right-heading')));
  const out: OfferFields = {
    title: nonEmpty(page.text(page.selectOne('h3.white-heading'))),
    code: ref ? nonEmpty(ref.replace(/^.*?rif\.?\s*offerta\s*[:.]?\s*/i, '')) : undefined,
    place: row('luogo di lavoro'),
    contract: row('contratto'),
    hours: row('orario'),
    positions: row('posti disponibili'),
    text: lines(page.select('p.job-description').map((p) => page.text(p)).join('\n')),
    published: dateOf(page, rows.get('data di pubblicazione')),
    deadline: row('scade il'),
  };
  const istat = row('qualifica istat');
  if (istat) out.extra = { qualificaIstat: istat };
  return out;
}

export const myportal: PageSpec = {
  links: 'a[href]',
  isOffer: (url) => OFFER_PATH.test(url.pathname),
  // Both URL forms end in the offer's number: one offer, one identity, whichever link the listing uses.
  identity: (url) => `${url.origin}/welcomepage/vacancy/view/${/(\d+)\/?$/.exec(url.pathname)![1]}`,
  read: readMyPortal,
};

/** Every preset by its name in `publishers[].pages[].preset`. */
export const PRESETS = { myportal } as const satisfies Record<string, PageSpec>;
export type PresetName = keyof typeof PRESETS;
