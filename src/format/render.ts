// SPDX-License-Identifier: EUPL-1.2
/**
 * From a JobOffer to the exact post followers will see, within the network's length rules.
 * When a post is too long for X: shorten the longest free field first (description, then title,
 * employer, place, contract, hours) by whole words with "…", then drop hashtags from the end, and only
 * then cut titles and places further. Never the link, never the publisher's required text.
 */
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import type { PublisherConfig } from '../config/schema.ts';
import type { RenderedPost } from '../channels/channel.ts';
import type { CompiledTemplate, TemplateField, TemplateView } from './templates.ts';
import { formatDeadline } from './dates.ts';
import { formatSalary } from './salary.ts';
import { buildHashtags } from './hashtags.ts';
import { limitOf, previewLength } from './length.ts';
import { charLength, shortenWords } from './shorten.ts';
import { definitionOf } from '../channels/registry.ts';

export interface RenderResult {
  post: RenderedPost;
  /** Names of the fields that were shortened (and 'hashtags' when some were dropped). */
  shortened: string[];
  /** X: weighted length; Facebook: characters. */
  length: number;
  limit?: number;
  /** False only when even the shortest form does not fit (e.g. a required text longer than the limit). */
  valid: boolean;
  /** For each shortened field, its length in characters before and after; for operators (preview, dashboard). */
  cuts: Array<{ field: TemplateField; from: number; to: number }>;
  /** Hashtags left out so the post fits. */
  droppedTags: string[];
}

/** Fields that may be shortened, in the order ties are broken. */
const FREE_FIELDS: readonly TemplateField[] = ['text', 'title', 'employer', 'location', 'contract', 'hours'];
/** How far the first pass may cut a field: a title cut below this stops saying what the job is. */
const FIRST_PASS_FLOOR: Partial<Record<TemplateField, number>> = { text: 0, title: 40, employer: 25, location: 25, contract: 25, hours: 20 };

/**
 * Characters X rejects outright (BOM, non-characters), control characters and lone surrogates: a feed
 * that carries them must not make a post invalid for a reason no shortening can fix.
 */
const UNPOSTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const clean = (s: string | undefined): string => (typeof s === 'string' ? s : '').replace(UNPOSTABLE, '');
const oneLine = (s: string | undefined): string => clean(s).replace(/\s+/g, ' ').trim();
/** Description: keep paragraphs, collapse the rest. */
const paragraphs = (s: string | undefined): string =>
  clean(s).replace(/\r\n?/g, '\n').replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();

/** Empty sections leave blank lines and trailing spaces behind; plain text should not show them. */
function tidy(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/u, '')).join('\n')
    .replace(/\n{3,}/g, '\n\n').trim().normalize('NFC');
}

export function offerView(offer: JobOffer, publisher: PublisherConfig, hashtags: string[]): TemplateView {
  return {
    title: oneLine(offer.title),
    url: offer.url,
    location: oneLine(offer.location),
    province: oneLine(offer.province),
    employer: oneLine(offer.employer),
    contract: oneLine(offer.contract),
    hours: oneLine(offer.hours),
    positions: typeof offer.positions === 'number' && offer.positions > 0 ? String(offer.positions) : '',
    deadline: offer.validThrough ? formatDeadline(offer.validThrough, publisher.timezone) : '',
    code: oneLine(offer.code),
    publisher: oneLine(publisher.name),
    hashtags: hashtags.join(' '),
    text: paragraphs(offer.text),
    salary: formatSalary(offer.salary),
  };
}

function compose(template: CompiledTemplate, view: TemplateView, network: NetworkName, publisher: PublisherConfig): string {
  let body = tidy(template.render(view));
  // Where the link travels in the text (X), a custom template that forgot {{url}} still gets it.
  if (definitionOf(network).text.linkInText && view.url && !body.includes(view.url)) body = `${body}\n${view.url}`;
  const required = clean(publisher.requiredText).trim();
  if (required) body = `${body}\n${required.normalize('NFC')}`;
  return body;
}

export function renderPost(offer: JobOffer, publisher: PublisherConfig, network: NetworkName, template: CompiledTemplate): RenderResult {
  const tags = buildHashtags(offer, publisher, network);
  const original = offerView(offer, publisher, tags);
  const view: TemplateView = { ...original };
  const caps = new Map<TemplateField, number>();
  const shortened = new Set<string>();
  const used = (f: TemplateField) => template.fields.has(f);

  const measure = () => {
    const text = compose(template, view, network, publisher);
    return { text, ...previewLength(text, network) };
  };
  let current = measure();

  // Shorten the longest field that is still above `floorOf(field)`; false when none is.
  const shortenOnce = (floorOf: (f: TemplateField) => number): boolean => {
    let pick: TemplateField | undefined;
    let pickLen = -1;
    for (const f of FREE_FIELDS) {
      if (!used(f)) continue;
      const len = charLength(view[f] ?? '');
      if (len > floorOf(f) && len > pickLen) { pick = f; pickLen = len; }
    }
    if (!pick) return false;
    const excess = Math.max(1, current.length - current.limit);
    const target = Math.max(floorOf(pick), Math.min(pickLen - excess, caps.get(pick) ?? Infinity));
    let next = shortenWords(original[pick] ?? '', target);
    // A cut that did not make the field shorter (one long word) removes it, so the loop always moves on.
    if (charLength(next) >= pickLen) next = '';
    caps.set(pick, charLength(next));
    view[pick] = next;
    shortened.add(pick);
    return true;
  };

  const firstFloor = (f: TemplateField) => FIRST_PASS_FLOOR[f] ?? 0;
  while (!current.valid && current.length > current.limit && shortenOnce(firstFloor)) current = measure();

  // Hashtags go last-first, only once the free text has given all it can.
  const kept = [...tags];
  while (!current.valid && current.length > current.limit && kept.length > 0 && used('hashtags')) {
    kept.pop();
    view.hashtags = kept.join(' ');
    shortened.add('hashtags');
    current = measure();
  }

  while (!current.valid && current.length > current.limit && shortenOnce(() => 0)) current = measure();

  const cuts = FREE_FIELDS.filter((f) => shortened.has(f)).map((f) => ({ field: f, from: charLength(original[f] ?? ''), to: charLength(view[f] ?? '') }));
  return {
    post: { text: current.text, link: offer.url },
    shortened: [...shortened],
    length: current.length,
    limit: limitOf(network),
    valid: current.valid,
    cuts,
    droppedTags: tags.slice(kept.length),
  };
}

export { previewLength } from './length.ts';
