// SPDX-License-Identifier: EUPL-1.2
/**
 * The messages a subscriber receives, as HTML and plain text: the confirmation request and the digest.
 * A digest lists only the fields an offer's item keeps (title, place, contract, deadline, link; see
 * outbox.ts): never an offer's description, where personal contacts could have been.
 */
import { createI18n } from '../../i18n/index.ts';
import { html, safeHref, type Html } from '../../web/html.ts';
import { formatDeadline } from '../../format/dates.ts';
import type { DigestItem } from './outbox.ts';

const words = createI18n('it');

export interface Mail { subject: string; text: string; html: string }

export interface DigestInput {
  publisherName: string;
  timezone: string;
  items: DigestItem[];
  unsubscribeUrl: string;
  subscribeUrl: string;
}

const place = (i: DigestItem) => i.location ? (i.province && !i.location.includes(`(${i.province})`) ? `${i.location} (${i.province})` : i.location) : i.province;

function lines(i: DigestItem, tz: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const where = place(i);
  if (i.employer) out.push([words.t('newsletter_mail_employer'), i.employer]);
  if (where) out.push([words.t('newsletter_mail_place'), where]);
  if (i.contract || i.hours) out.push([words.t('newsletter_mail_contract'), [i.contract, i.hours].filter(Boolean).join(', ')]);
  if (i.validThrough) out.push([words.t('newsletter_mail_deadline'), formatDeadline(i.validThrough, tz)]);
  return out;
}

const page = (title: string, body: Html) => html`<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40em; margin: 0 auto; padding: 1em">${body}</body></html>`.value;

export function renderDigest(d: DigestInput): Mail {
  const n = d.items.length;
  const subject = words.t('newsletter_mail_digestSubject', { n, publisher: d.publisherName });
  const intro = words.t('newsletter_mail_digestIntro', { n, publisher: d.publisherName });
  const text = [
    intro, '',
    ...d.items.flatMap((i) => [i.title, ...lines(i, d.timezone).map(([k, v]) => `${k}: ${v}`), `${words.t('newsletter_mail_link')}: ${i.url}`, '']),
    '--',
    words.t('newsletter_mail_why', { publisher: d.publisherName }),
    `${words.t('newsletter_mail_unsubscribe')}: ${d.unsubscribeUrl}`,
    `${words.t('newsletter_mail_change')}: ${d.subscribeUrl}`,
  ].join('\n');
  const body = html`<h1 style="font-size: 1.3em">${intro}</h1>
${d.items.map((i) => html`<div style="margin: 1.2em 0; padding-bottom: .8em; border-bottom: 1px solid #ccc">
<h2 style="font-size: 1.1em; margin: 0 0 .3em">${safeHref(i.url) ? html`<a href="${safeHref(i.url)}">${i.title}</a>` : i.title}</h2>
<ul style="margin: 0; padding-left: 1.2em">${lines(i, d.timezone).map(([k, v]) => html`<li>${k}: ${v}</li>`)}</ul>
${safeHref(i.url) ? html`<p style="margin: .3em 0"><a href="${safeHref(i.url)}">${words.t('newsletter_mail_read')}</a></p>` : ''}
</div>`)}
<p style="font-size: .9em">${words.t('newsletter_mail_why', { publisher: d.publisherName })}<br>
<a href="${d.unsubscribeUrl}">${words.t('newsletter_mail_unsubscribe')}</a> · <a href="${d.subscribeUrl}">${words.t('newsletter_mail_change')}</a></p>`;
  return { subject, text, html: page(subject, body) };
}

export function renderConfirmation(d: { publisherName: string; confirmUrl: string }): Mail {
  const subject = words.t('newsletter_mail_confirmSubject', { publisher: d.publisherName });
  const text = [
    words.t('newsletter_mail_confirmIntro', { publisher: d.publisherName }), '',
    d.confirmUrl, '',
    words.t('newsletter_mail_confirmIgnore'),
  ].join('\n');
  const body = html`<h1 style="font-size: 1.3em">${subject}</h1>
<p>${words.t('newsletter_mail_confirmIntro', { publisher: d.publisherName })}</p>
<p><a href="${d.confirmUrl}">${words.t('newsletter_mail_confirmButton')}</a></p>
<p style="font-size: .9em">${words.t('newsletter_mail_confirmIgnore')}</p>`;
  return { subject, text, html: page(subject, body) };
}
