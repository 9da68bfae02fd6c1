// SPDX-License-Identifier: EUPL-1.2
/**
 * The public pages, in Italian, under `/iscriviti/` (served by the dashboard process without sign-in):
 * - `GET /iscriviti/{pub}` the form (e-mail, preferences, consent to the privacy notice) with a form
 *   token of its own (single use, 2 hours: the dashboard's CSRF token belongs to its sessions);
 * - `POST /iscriviti/{pub}` sends the confirmation e-mail and always answers the same page, whether
 *   the address was new, pending or already subscribed (it never tells);
 * - `GET /iscriviti/{pub}/conferma?t=` a page with a button; only its `POST` confirms (mail scanners
 *   follow links);
 * - `GET /iscriviti/{pub}/disiscrivi?t=` a page with a button; `POST` (RFC 8058 one-click: body
 *   `List-Unsubscribe=One-Click`, from the mail provider, with no form token) unsubscribes at once and
 *   answers 200, never a redirect.
 * Subscribing is limited per client address and per e-mail address (`rl:` counters in Redis).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelServices } from '../definition.ts';
import type { PublisherConfig } from '../../config/schema.ts';
import { createI18n } from '../../i18n/index.ts';
import { html, type Html } from '../../web/html.ts';
import { CONTRACT_KINDS, CONTRACT_KIND_LABELS, preferencesSchema, type Preferences } from '../audience/preferences.ts';
import type { NewsletterConfig } from './config.ts';
import { Subscribers, isEmail, normalizeEmail } from './subscribers.ts';
import { Outbox } from './outbox.ts';
import { MailSender } from './sender.ts';
import { renderConfirmation } from './render.ts';
import { PREFIX, publicBase, confirmPath, confirmUrl, subscribePath, unsubscribePath } from './links.ts';

const words = createI18n('it');
const t = words.t;

const FORM_TTL_MS = 2 * 3_600_000;
/** Subscriptions per client address per hour, and confirmation mails per e-mail address per day. */
export const SUBSCRIBE_LIMITS = { perClient: { max: 10, perMs: 3_600_000 }, perAddress: { max: 3, perMs: 24 * 3_600_000 } };

type Fields = { email: string; places: string; contracts: string[]; words: string; consent: boolean };
type Errors = Partial<Record<'email' | 'places' | 'words' | 'consent' | 'form', string>>;

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null || v === '' ? [] : [String(v)]);
const splitList = (s: string) => s.split(/[,;\n]/).map((x) => x.trim()).filter(Boolean);

function layout(title: string, body: Html, status = 200): { status: number; page: string } {
  return {
    status,
    page: html`<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<link rel="stylesheet" href="/assets/dashboard.css"></head>
<body><main id="contenuto" class="public">${body}</main></body>
</html>`.value,
  };
}

function send(reply: FastifyReply, p: { status: number; page: string }) {
  return reply.code(p.status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(p.page);
}

export function registerNewsletterPages(app: FastifyInstance, s: ChannelServices): void {
  const subs = new Subscribers(s);
  const outbox = new Outbox(s);
  const key = (...parts: string[]) => s.keys.channelData('newsletter', ...parts);
  const base = publicBase(s);

  // RFC 8058 allows the one-click POST as multipart/form-data; its body says nothing we need.
  app.addContentTypeParser('multipart/form-data', (_req, payload, done) => {
    payload.on('data', () => undefined);
    payload.on('end', () => done(null, {}));
    payload.on('error', (e) => done(e));
  });

  const publisherOf = (id: string): { pub: PublisherConfig; cfg: NewsletterConfig } | undefined => {
    const pub = s.config.publishers.find((p) => p.id === id);
    const cfg = pub?.channels.newsletter as NewsletterConfig | undefined;
    return pub && cfg ? { pub, cfg } : undefined;
  };
  const notFound = (reply: FastifyReply) => send(reply, layout(t('newsletter_page_notFoundTitle'), html`<h1>${t('newsletter_page_notFoundTitle')}</h1><p>${t('newsletter_page_notFound')}</p>`, 404));
  const badLink = (reply: FastifyReply) => send(reply, layout(t('newsletter_page_badLinkTitle'), html`<h1>${t('newsletter_page_badLinkTitle')}</h1><p>${t('newsletter_page_badLink')}</p>`, 404));

  const consentText = (pub: PublisherConfig, cfg: NewsletterConfig) => t('newsletter_form_consent', { publisher: pub.name, privacyUrl: cfg.privacyUrl });

  async function newFormToken(): Promise<string> {
    const token = randomBytes(18).toString('base64url');
    await s.redis.set(key('form', hash(token)), '1', 'PX', FORM_TTL_MS);
    return token;
  }

  /** Counts one more use in a fixed window; false once over `max`. */
  async function within(k: string, limit: { max: number; perMs: number }): Promise<boolean> {
    const n = await s.redis.incr(k);
    if (n === 1) await s.redis.pexpire(k, limit.perMs);
    return n <= limit.max;
  }

  async function form(pub: PublisherConfig, cfg: NewsletterConfig, fields: Fields, errors: Errors, status: number) {
    const token = await newFormToken();
    const title = t('newsletter_form_title', { publisher: pub.name });
    const err = (name: keyof Errors) => errors[name] ? html`<p class="error" id="${name}-error">${errors[name]}</p>` : '';
    const aria = (name: keyof Errors, hint?: string) => {
      const ids = [hint, errors[name] ? `${name}-error` : undefined].filter(Boolean).join(' ');
      return html`${ids ? html` aria-describedby="${ids}"` : ''}${errors[name] ? html` aria-invalid="true"` : ''}`;
    };
    const shown = (Object.keys(errors) as Array<keyof Errors>).filter((k) => errors[k]);
    const summary = shown.length ? html`<div class="error-summary" role="alert"><h2>${t('newsletter_form_errorsTitle')}</h2><ul>${shown.map((k) => html`<li>${k === 'form' ? errors[k] : html`<a href="#${k === 'consent' ? 'consent' : k}">${errors[k]}</a>`}</li>`)}</ul></div>` : '';
    return layout((shown.length ? t('newsletter_form_errorPrefix') + ' ' : '') + title, html`<h1>${title}</h1>
<p>${t('newsletter_form_intro', { publisher: pub.name })}</p>
${summary}
<form method="post" action="${subscribePath(pub.id)}" novalidate>
<input type="hidden" name="formToken" value="${token}">
<p><label for="email">${t('newsletter_form_email')}</label><br>
<input type="email" id="email" name="email" autocomplete="email" required value="${fields.email}"${aria('email')}>${err('email')}</p>
<fieldset><legend>${t('newsletter_form_prefsLegend')}</legend>
<p id="prefs-hint">${t('newsletter_form_prefsHint')}</p>
<p><label for="places">${t('newsletter_form_places')}</label><br>
<span id="places-hint">${t('newsletter_form_placesHint')}</span><br>
<input type="text" id="places" name="places" value="${fields.places}"${aria('places', 'places-hint')}>${err('places')}</p>
<fieldset><legend>${t('newsletter_form_contracts')}</legend>
${CONTRACT_KINDS.map((k) => html`<p><input type="checkbox" id="contract-${k}" name="contracts" value="${k}"${fields.contracts.includes(k) ? html` checked` : ''}> <label for="contract-${k}">${CONTRACT_KIND_LABELS[k]}</label></p>`)}
</fieldset>
<p><label for="words">${t('newsletter_form_words')}</label><br>
<span id="words-hint">${t('newsletter_form_wordsHint')}</span><br>
<input type="text" id="words" name="words" value="${fields.words}"${aria('words', 'words-hint')}>${err('words')}</p>
</fieldset>
<p><input type="checkbox" id="consent" name="consent" value="yes" required${fields.consent ? html` checked` : ''}${aria('consent')}>
<label for="consent">${consentText(pub, cfg)}</label> <a href="${cfg.privacyUrl}">${t('newsletter_form_privacyLink')}</a>${err('consent')}</p>
<p><button type="submit">${t('newsletter_form_submit')}</button></p>
</form>`, status);
  }

  app.get<{ Params: { pub: string } }>(`${PREFIX}:pub`, async (req, reply) => {
    const found = publisherOf(req.params.pub);
    if (!found) return notFound(reply);
    return send(reply, await form(found.pub, found.cfg, { email: '', places: '', contracts: [], words: '', consent: false }, {}, 200));
  });

  app.post<{ Params: { pub: string }; Body: Record<string, unknown> }>(`${PREFIX}:pub`, async (req, reply) => {
    const found = publisherOf(req.params.pub);
    if (!found) return notFound(reply);
    const { pub, cfg } = found;
    const b = (req.body ?? {}) as Record<string, unknown>;
    const fields: Fields = {
      email: String(b.email ?? '').trim().slice(0, 300), places: String(b.places ?? '').slice(0, 2000),
      contracts: list(b.contracts).filter((c) => (CONTRACT_KINDS as readonly string[]).includes(c)), words: String(b.words ?? '').slice(0, 1000),
      consent: b.consent === 'yes',
    };
    const errors: Errors = {};
    const formToken = String(b.formToken ?? '');
    if (!formToken || (await s.redis.del(key('form', hash(formToken)))) !== 1) errors.form = t('newsletter_form_expired');
    if (!isEmail(normalizeEmail(fields.email))) errors.email = t('newsletter_form_emailInvalid');
    const parsed = preferencesSchema.safeParse({ places: splitList(fields.places), contracts: fields.contracts, words: splitList(fields.words) });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        if (i.path[0] === 'places') errors.places = t('newsletter_form_placesInvalid');
        if (i.path[0] === 'words') errors.words = t('newsletter_form_wordsInvalid');
      }
    }
    if (!fields.consent) errors.consent = t('newsletter_form_consentMissing');
    if (Object.keys(errors).length) return send(reply, await form(pub, cfg, fields, errors, 400));

    if (!(await within(key('rl', 'client', pub.id, hash(req.ip)), SUBSCRIBE_LIMITS.perClient))) {
      return send(reply, layout(t('newsletter_page_tooManyTitle'), html`<h1>${t('newsletter_page_tooManyTitle')}</h1><p>${t('newsletter_page_tooMany')}</p>`, 429));
    }
    const email = normalizeEmail(fields.email);
    // The answer is the same page whatever happens below: it never tells whether the address was known.
    if (await within(key('rl', 'address', pub.id, hash(email)), SUBSCRIBE_LIMITS.perAddress)) {
      const prefs: Preferences = parsed.data!;
      const pending = await subs.request(pub.id, email, prefs, consentText(pub, cfg), cfg.privacyVersion);
      if (pending) {
        const mail = renderConfirmation({ publisherName: pub.name, confirmUrl: confirmUrl(base, pub.id, pending.token) });
        // Not awaited: how long the answer takes must not tell either.
        void new MailSender(cfg.smtp.url, cfg.from, s.config.worker.postTimeout)
          .send({ ...mail, to: email, messageId: `<confirm-${pub.id}-${pending.id}-${s.now()}@${cfg.from.split('@').pop()!.replace(/[>\s]/g, '')}>`, headers: {} })
          .then((r) => { if (r.kind !== 'sent') s.logger.warn({ publisher: pub.id, subscriber: pending.id, result: r.kind, reason: r.reason }, 'newsletter confirmation e-mail not sent'); })
          .catch((e: unknown) => s.logger.error({ err: e }, 'newsletter confirmation e-mail failed'));
      }
    }
    return send(reply, layout(t('newsletter_page_checkMailTitle'), html`<h1>${t('newsletter_page_checkMailTitle')}</h1><p>${t('newsletter_page_checkMail')}</p>`));
  });

  app.get<{ Params: { pub: string }; Querystring: { t?: string } }>(`${PREFIX}:pub/conferma`, async (req, reply) => {
    const found = publisherOf(req.params.pub);
    if (!found) return notFound(reply);
    const token = String(req.query.t ?? '');
    const sub = token ? await subs.pendingByToken(found.pub.id, token) : null;
    if (!sub) return badLink(reply);
    return send(reply, layout(t('newsletter_page_confirmTitle'), html`<h1>${t('newsletter_page_confirmTitle')}</h1>
<p>${t('newsletter_page_confirm', { email: sub.email, publisher: found.pub.name })}</p>
<form method="post" action="${confirmPath(found.pub.id)}"><input type="hidden" name="t" value="${token}"><p><button type="submit">${t('newsletter_page_confirmButton')}</button></p></form>`));
  });

  app.post<{ Params: { pub: string }; Body: Record<string, unknown> }>(`${PREFIX}:pub/conferma`, async (req, reply) => {
    const found = publisherOf(req.params.pub);
    if (!found) return notFound(reply);
    const token = String(((req.body ?? {}) as Record<string, unknown>).t ?? '');
    const done = token ? await subs.confirm(found.pub.id, token, await outbox.seq(found.pub.id)) : null;
    if (!done) return badLink(reply);
    s.logger.info({ publisher: found.pub.id, subscriber: done.id }, 'newsletter subscription confirmed');
    return send(reply, layout(t('newsletter_page_confirmedTitle'), html`<h1>${t('newsletter_page_confirmedTitle')}</h1><p>${t('newsletter_page_confirmed', { publisher: found.pub.name })}</p>`));
  });

  const unsubToken = (req: FastifyRequest<{ Querystring: { t?: string } }>) =>
    String(req.query.t ?? ((req.body ?? {}) as Record<string, unknown>).t ?? '');

  app.get<{ Params: { pub: string }; Querystring: { t?: string } }>(`${PREFIX}:pub/disiscrivi`, async (req, reply) => {
    const found = publisherOf(req.params.pub);
    if (!found) return notFound(reply);
    const token = unsubToken(req);
    const sub = token ? await subs.byUnsubscribeToken(found.pub.id, token) : null;
    if (!sub) return badLink(reply);
    return send(reply, layout(t('newsletter_page_unsubscribeTitle'), html`<h1>${t('newsletter_page_unsubscribeTitle')}</h1>
<p>${t('newsletter_page_unsubscribe', { email: sub.email, publisher: found.pub.name })}</p>
<form method="post" action="${unsubscribePath(found.pub.id)}?t=${encodeURIComponent(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><p><button type="submit">${t('newsletter_page_unsubscribeButton')}</button></p></form>`));
  });

  // RFC 8058: the mail provider POSTs here with no form token; it must unsubscribe at once and answer
  // without a redirect.
  app.post<{ Params: { pub: string }; Querystring: { t?: string } }>(`${PREFIX}:pub/disiscrivi`, async (req, reply) => {
    const found = publisherOf(req.params.pub);
    if (!found) return notFound(reply);
    const token = unsubToken(req);
    const sub = token ? await subs.byUnsubscribeToken(found.pub.id, token) : null;
    if (!sub) return badLink(reply);
    await subs.unsubscribe(found.pub.id, sub.id);
    s.logger.info({ publisher: found.pub.id, subscriber: sub.id }, 'newsletter unsubscribed');
    return send(reply, layout(t('newsletter_page_unsubscribedTitle'), html`<h1>${t('newsletter_page_unsubscribedTitle')}</h1><p>${t('newsletter_page_unsubscribed', { publisher: found.pub.name })}</p>`));
  });
}
