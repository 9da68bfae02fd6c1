// SPDX-License-Identifier: EUPL-1.2
/**
 * RawItem → JobOffer: plain text (entities decoded once, markup stripped, whitespace collapsed, sizes
 * capped), absolute http(s) links only, dates as UTC instants read in the publisher's zone, a stable
 * key from the feed's identity and a content hash of what followers see.
 */
import { createHash } from 'node:crypto';
import type { JobDetails, JobOffer, RemovedContacts } from '../domain/offer.ts';
import type { ItemProblem, RawItem, TextField } from './raw-item.ts';
import { htmlToText, literalText, looksLikeMarkup } from './html-text.ts';
import { capText, collapseWhitespace, MAX_FIELD_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS } from './text-limits.ts';
import { parseFeedDate, toInstant } from './dates.ts';
import { looksLikeContract, contractWord } from './contract.ts';
import { codeInText, deadlineInText } from './prose-fields.ts';
import { addRemoved, allowedContacts, scrubField, scrubProse, type AllowedContacts } from './contacts.ts';
import { linkTemplateProblem, renderLinkTemplate } from './link-template.ts';

export interface NormalizeContext {
  publisherId: string;
  timezone: string;
  feedUrl: string;
  /** Builds the link of an item that has none from its code: "https://…/offerta/{{code}}". */
  linkTemplate?: string;
  /** The publisher's own contact addresses and numbers, kept in the texts (`publishers[].allowedContacts`). */
  allowedContacts?: readonly string[];
}

export interface NormalizedItem {
  sourceId?: string;
  title?: string;
  text?: string;
  url?: string;
  published?: string;
  validThrough?: string;
  /** Set when the item had a link that may not reach a follower (javascript:, data:, unparsable). */
  linkProblem?: string;
  /** The link is fine but relative to an unknown base (a local file parsed without --base). */
  linkUnresolved?: boolean;
  /** The item had no link of its own and no link template could give it one. */
  linkMissing?: boolean;
  offer?: JobOffer;
  /** What the offer says beyond title and text, also when it cannot be posted (for `banditore parse`). */
  details: JobDetails;
  removedContacts?: RemovedContacts;
  problems: ItemProblem[];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const offerKey = (sourceId: string) => sha256(sourceId).slice(0, 24);

/** Plain text of a field according to its kind; undefined when nothing readable is left. */
export function plainText(field: TextField | undefined, max: number, oneLine: boolean): string | undefined {
  if (!field) return undefined;
  let s: string;
  if (field.kind === 'html') s = htmlToText(field.value);
  else if (field.kind === 'mixed' && looksLikeMarkup(field.value)) {
    // Remove tags, but do not decode entities a second time: `&egrave;` written as `&amp;egrave;` stays.
    s = htmlToText(field.value.replace(/&/g, '&amp;'));
  } else s = literalText(field.value);
  s = oneLine ? collapseWhitespace(s) : s;
  return s === '' ? undefined : capText(s, max);
}

function short(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = collapseWhitespace(htmlToText(v));
  return s === '' ? undefined : capText(s, MAX_FIELD_CHARS);
}

/** Takes contacts out of one-line fields and counts them; an emptied field becomes undefined. */
class ContactFilter {
  removed: RemovedContacts = { emails: 0, phones: 0, names: 0 };
  constructor(private readonly allowed: AllowedContacts) {}
  field(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    const r = scrubField(v, this.allowed);
    this.removed = addRemoved(this.removed, r.removed);
    return r.text === '' ? undefined : r.text;
  }
  prose(v: string): string {
    const r = scrubProse(v, this.allowed);
    this.removed = addRemoved(this.removed, r.removed);
    return r.text;
  }
  get any(): boolean { return this.removed.emails + this.removed.phones + this.removed.names > 0; }
}

/** Absolute http(s) URL, or the reason there is none. */
export function resolveLink(link: string | undefined, base: string): { url?: string; problem?: string; unresolved?: boolean } {
  if (link === undefined) return {};
  const trimmed = link.trim().replace(/[\u0000-\u001f\u007f]/g, '');
  if (trimmed === '') return {};
  let u: URL;
  try { u = new URL(trimmed, base); } catch { return { problem: 'link is not a valid URL' }; }
  if (u.protocol === 'file:' && !/^file:/i.test(trimmed)) {
    // Only when a local file is parsed (banditore parse FILE): the poller always has an http(s) base.
    return { problem: `relative link "${capText(trimmed, 80)}" needs the feed's URL (parse --base URL)`, unresolved: true };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { problem: `${u.protocol} link refused (only http and https)` };
  const hadCredentials = u.username !== '' || u.password !== '';
  if (hadCredentials) { u.username = ''; u.password = ''; }
  // An absolute, plain-ASCII link is kept as the office wrote it (host case included); anything else
  // (relative, spaces, non-ASCII) takes the resolved, percent-encoded form.
  if (!hadCredentials && /^https?:\/\/[\x21-\x7e]+$/i.test(trimmed) && !/[\\]/.test(trimmed) && trimmed === link.trim()) {
    return { url: trimmed };
  }
  return { url: u.href };
}

export function normalizeItem(raw: RawItem, ctx: NormalizeContext): NormalizedItem {
  const problems: ItemProblem[] = [...(raw.problems ?? [])];
  const contacts = new ContactFilter(allowedContacts(ctx.allowedContacts));
  const title = contacts.field(plainText(raw.title, MAX_TITLE_CHARS, true));
  const text = contacts.prose(plainText(raw.body, MAX_TEXT_CHARS, false) ?? '');
  const code = short(raw.code) ?? (title ? codeInText(title) : undefined) ?? codeInText(text.slice(0, 1000));
  let link = raw.link;
  let linkMissing = false;
  if (link === undefined || link.trim() === '') {
    const templateProblem = ctx.linkTemplate === undefined ? undefined : linkTemplateProblem(ctx.linkTemplate);
    if (ctx.linkTemplate !== undefined && templateProblem) problems.push({ path: '', message: templateProblem, level: 'error' });
    else if (ctx.linkTemplate !== undefined && code) link = renderLinkTemplate(ctx.linkTemplate, code);
    linkMissing = link === undefined;
  }
  const { url, problem, unresolved } = resolveLink(link, raw.base);
  const id = raw.id === undefined ? undefined : capText(raw.id.trim(), 2000);
  const sourceId = id || url;
  const published = toInstant(parseFeedDate(raw.published, ctx.timezone), ctx.timezone, 'start');
  const deadline = raw.validThrough ?? deadlineInText(text);
  const validThrough = toInstant(parseFeedDate(deadline, ctx.timezone), ctx.timezone, 'end');
  const categories = raw.categories.map((c) => collapseWhitespace(c)).filter(Boolean);
  const contractCategory = categories.find(looksLikeContract);
  const contract = contacts.field(short(raw.contract) ?? (contractCategory ? contractWord(contractCategory) : undefined));
  const location = contacts.field(short(raw.location));
  const employer = contacts.field(short(raw.employer));
  const province = short(raw.province);
  const hours = contacts.field(short(raw.hours));

  const details: JobDetails = {};
  if (location) details.location = location;
  if (province) details.province = province;
  if (employer) details.employer = employer;
  if (contract) details.contract = contract;
  if (hours) details.hours = hours;
  if (raw.positions !== undefined) details.positions = raw.positions;
  if (code) details.code = code;
  if (raw.salary) details.salary = { ...raw.salary };
  if (raw.closed) details.closed = true;
  const closedReason = short(raw.closedReason);
  if (raw.closed && closedReason) details.closedReason = closedReason;
  const replaces = short(raw.replaces);
  if (replaces) details.replaces = replaces;

  const result: NormalizedItem = {
    sourceId, title, text, url, published, validThrough, linkProblem: problem, linkUnresolved: unresolved, details, problems,
  };
  if (linkMissing) result.linkMissing = true;
  if (contacts.any) result.removedContacts = contacts.removed;
  if (!url || !sourceId || !title) return result;

  const contentHash = sha256(
    [title, location, contract, validThrough, employer, text].map((v) => (v ?? '').toLowerCase()).join('|'),
  );
  const rawFields: Record<string, unknown> = { ...raw.raw };
  const otherCategories = categories.filter((c) => c !== contractCategory);
  if (otherCategories.length) rawFields['categories'] = otherCategories.slice(0, 20).map((c) => capText(c, 100));
  if (raw.published !== undefined) rawFields['published'] = capText(raw.published, 100);
  if (raw.validThrough !== undefined) rawFields['validThrough'] = capText(raw.validThrough, 100);
  for (const k of Object.keys(rawFields)) if (rawFields[k] === undefined) delete rawFields[k];

  const offer: JobOffer = {
    publisherId: ctx.publisherId,
    sourceId,
    key: offerKey(sourceId),
    url,
    title,
    text,
    contentHash,
    feedUrl: ctx.feedUrl,
    raw: rawFields,
    ...details,
  };
  if (published) offer.published = published;
  if (validThrough) offer.validThrough = validThrough;
  if (contacts.any) offer.removedContacts = contacts.removed;
  result.offer = offer;
  return result;
}
