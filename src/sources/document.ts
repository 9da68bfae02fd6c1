// SPDX-License-Identifier: EUPL-1.2
/**
 * One pushed document, whole: parse it (the poller's pipeline: the format is judged by its content) and
 * take its offers in (intake.ts), with the verdict an operator reads: `done` when some offer could be
 * used, `rejected` with the reason in Italian, naming the element at fault, when none could. The inbox
 * and the dashboard's upload share it, so a file says the same whichever way it came.
 */
import { createHash } from 'node:crypto';
import type { PublisherConfig } from '../config/schema.ts';
import { FeedError } from '../feeds/errors.ts';
import { parseFeedBytes, type ParsedFeed } from '../feeds/pipeline.ts';
import type { FeedFormat } from '../feeds/raw-item.ts';
import { createI18n } from '../i18n/index.ts';
import { intakeDocument, type IntakeDeps, type OfferOutcome } from './intake.ts';

export interface DocumentResult {
  verdict: 'done' | 'rejected';
  format?: FeedFormat;
  offers: OfferOutcome[];
  /** Italian, for NAME.reason.txt and the upload page: why the document (or some of its offers) could not be used. */
  reason?: string;
}

const t = createI18n('it').t;

export const contentHash = (body: Buffer) => createHash('sha256').update(body).digest('hex');

/** Reads the document; a FeedError (not a document of offers, broken XML with its line) is returned as text. */
export function parseDocument(body: Buffer, contentType: string | undefined, pub: PublisherConfig, opts: { docUrl: string; linkTemplate?: string | undefined; now: number }): ParsedFeed | string {
  try {
    return parseFeedBytes(body, contentType, {
      publisherId: pub.id, timezone: pub.timezone, feedUrl: opts.docUrl, now: new Date(opts.now), allowedContacts: pub.allowedContacts,
      ...(opts.linkTemplate ? { linkTemplate: opts.linkTemplate } : {}),
    });
  } catch (err) {
    return err instanceof FeedError ? err.message : String((err as Error)?.message ?? err).slice(0, 200);
  }
}

/** The lines of a report about the offers that could not be used (and why). */
export function rejectedLines(offers: OfferOutcome[]): string[] {
  return offers.filter((o) => o.became === 'rejected').map((o) => t('sources_offerLine', { n: o.index + 1, code: o.code ?? '—', reason: o.reason ?? '' }));
}

export async function takeDocument(d: IntakeDeps, pub: PublisherConfig, body: Buffer, opts: { docUrl: string; contentType?: string; linkTemplate?: string | undefined; now: number; maxBytes: number }): Promise<DocumentResult> {
  if (body.length > opts.maxBytes) return { verdict: 'rejected', offers: [], reason: t('sources_tooLarge', { max: opts.maxBytes }) };
  const parsed = parseDocument(body, opts.contentType, pub, opts);
  if (typeof parsed === 'string') return { verdict: 'rejected', offers: [], reason: t('sources_unreadable', { message: parsed }) };
  if (!parsed.items.length) return { verdict: 'rejected', format: parsed.format, offers: [], reason: t('sources_noOffers') };
  const offers = await intakeDocument(d, pub, parsed, opts.now);
  const lines = rejectedLines(offers);
  if (lines.length === offers.length) return { verdict: 'rejected', format: parsed.format, offers, reason: [t('sources_allRejected'), ...lines].join('\n') };
  return { verdict: 'done', format: parsed.format, offers, ...(lines.length ? { reason: [t('sources_someRejected'), ...lines].join('\n') } : {}) };
}
