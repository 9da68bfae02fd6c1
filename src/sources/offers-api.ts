// SPDX-License-Identifier: EUPL-1.2
/**
 * The offers API's decisions, apart from HTTP (src/dashboard/routes/offers-api.ts serves them): who may
 * push for a publisher (its own tokens only, compared in constant time), and what a pushed document's
 * answer is — 201 when some offer is new, 200 when every offer was known (unchanged, corrected or
 * closed), 400 when the body is no document of offers, 422 when it is one but no offer can be used;
 * the problems are listed in Italian, each naming the element at fault.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PublisherConfig } from '../config/schema.ts';
import { createI18n } from '../i18n/index.ts';
import { intakeDocument, withdrawOffer, type IntakeDeps, type OfferOutcome } from './intake.ts';
import { parseDocument } from './document.ts';
import { collectJobPostings } from '../feeds/jsonld.ts';
import { parseJsonSafely } from '../feeds/json-safe.ts';
import { parseFeedDate } from '../feeds/dates.ts';

const t = createI18n('it').t;
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether `sent` is one of the publisher's API tokens. Every token is compared, whichever matches. */
export function tokenAllowed(pub: PublisherConfig, sent: string | undefined): boolean {
  if (!pub.api || sent === undefined) return false;
  const s = digest(sent);
  let ok = false;
  for (const token of pub.api.tokens) ok = timingSafeEqual(s, digest(token)) || ok;
  return ok;
}

export interface ApiProblem { path: string; message: string; offer?: number }
export interface ApiAnswer { status: number; body: { offers?: Array<Omit<OfferOutcome, 'index' | 'problems'> & { offer: number; problems?: ApiProblem[] }>; problems?: ApiProblem[] } }

function shown(o: OfferOutcome) {
  const { index, problems, ...rest } = o;
  return { offer: index + 1, ...rest, ...(problems?.length ? { problems: problems.map((p) => ({ path: p.path, message: `${p.level === 'warning' ? `${t('sources_apiWarning')}: ` : ''}${p.message}`, offer: index + 1 })) } : {}) };
}

/**
 * What a feed forgives and the API does not: a JobPosting pushed here must carry its `identifier` (the
 * code a DELETE names; a feed falls back to the link) and dates that read as dates (a feed drops them).
 */
function jobPostingProblems(body: Buffer, tz: string): ApiProblem[] {
  const text = body.toString('utf8').trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return [];
  let json: unknown;
  try { json = parseJsonSafely(text); } catch { return []; } // the parser says what is wrong with it
  const out: ApiProblem[] = [];
  collectJobPostings(json).forEach((p, i) => {
    const offer = i + 1;
    const id = p['identifier'];
    if (id === undefined || id === null || id === '') out.push({ path: 'identifier', message: t('sources_apiNoIdentifier'), offer });
    for (const field of ['datePosted', 'validThrough']) {
      const v = p[field];
      if (v !== undefined && (typeof v !== 'string' || !parseFeedDate(v, tz))) out.push({ path: field, message: t('sources_apiBadDate', { field, value: String(v).slice(0, 40) }), offer });
    }
  });
  return out;
}

export async function pushDocument(d: IntakeDeps, pub: PublisherConfig, body: Buffer, contentType: string | undefined, now: number): Promise<ApiAnswer> {
  if (!body.length) return { status: 400, body: { problems: [{ path: '', message: t('sources_apiEmptyBody') }] } };
  const strict = jobPostingProblems(body, pub.timezone);
  if (strict.length) return { status: 422, body: { problems: strict } };
  const parsed = parseDocument(body, contentType, pub, { docUrl: 'file:///api/', linkTemplate: pub.api?.link ?? pub.inbox?.link, now });
  if (typeof parsed === 'string') return { status: 400, body: { problems: [{ path: '', message: t('sources_unreadable', { message: parsed }) }] } };
  if (!parsed.items.length) return { status: 422, body: { problems: [{ path: '', message: t('sources_noOffers') }] } };
  const offers = await intakeDocument(d, pub, parsed, now);
  const shownOffers = offers.map(shown);
  if (offers.every((o) => o.became === 'rejected')) {
    const problems = offers.flatMap((o) => {
      const errors = (o.problems ?? []).filter((p) => p.level === 'error');
      return errors.length ? errors.map((p) => ({ path: p.path, message: p.message, offer: o.index + 1 })) : [{ path: '', message: o.reason ?? t('sources_invalid'), offer: o.index + 1 }];
    });
    return { status: 422, body: { offers: shownOffers, problems } };
  }
  return { status: offers.some((o) => o.became === 'new') ? 201 : 200, body: { offers: shownOffers } };
}

export async function withdrawByApi(d: IntakeDeps, pub: PublisherConfig, code: string, now: number): Promise<ApiAnswer> {
  const r = await withdrawOffer(d, pub, code, now);
  if (r === 'unknown') return { status: 404, body: { problems: [{ path: 'code', message: t('sources_apiUnknownOffer', { code }) }] } };
  return { status: 200, body: { offers: [{ offer: 1, code, became: r === 'closed' ? 'closed' : 'known', ...(r === 'already' ? { reason: t('sources_alreadyClosed') } : {}) }] } };
}
