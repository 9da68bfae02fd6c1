// SPDX-License-Identifier: EUPL-1.2
/**
 * The app's public routes, served by the dashboard process without sign-in:
 *   GET  /app/{publisher}                    → 301 to /app/{publisher}/ (the service worker's scope)
 *   GET  /app/{publisher}/?luogo=&contratto=  the page (the server filters: works without script)
 *   GET  /app/{publisher}/offerte.json        the same offers as data (same query parameters)
 *   GET  /app/{publisher}/manifest.webmanifest, sw.js, app.js, app.css, icon.svg
 *   POST /app/{publisher}/iscrizioni          {subscription: PushSubscription JSON, preferences} → 201
 *   DELETE /app/{publisher}/iscrizioni        {endpoint} → 200 (also POST /app/{publisher}/iscrizioni/cancella)
 * Subscribing takes JSON only (a cross-site page cannot send JSON without a CORS preflight, which
 * nothing here grants) and is rate-limited per client address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelServices } from '../definition.ts';
import type { PublisherConfig } from '../../config/schema.ts';
import type { JobOffer } from '../../domain/offer.ts';
import { CONTRACT_KINDS, matches, type ContractKind } from '../audience/preferences.ts';
import type { PushConfig } from './config.ts';
import { PushStore, subscriptionId } from './store.ts';
import { appWords } from './words.ts';
import { renderPage, type Search } from './page.ts';
import { APP_CSS, APP_JS, ICON_SVG, manifest, serviceWorker } from './assets.ts';
import { deadlineOf, placeOf, topicFor } from './notice.ts';
import { appPath } from './urls.ts';
import { firstProblem, subscribeSchema, unsubscribeSchema } from './validate.ts';

const BODY_LIMIT = 8 * 1024;

function searchOf(q: unknown): Search {
  const o = (q && typeof q === 'object' ? q : {}) as Record<string, unknown>;
  const place = typeof o.luogo === 'string' ? o.luogo.trim().slice(0, 80) : '';
  const c = typeof o.contratto === 'string' ? o.contratto : '';
  return { place, contract: (CONTRACT_KINDS as readonly string[]).includes(c) ? (c as ContractKind) : '' };
}

const found = (offers: readonly JobOffer[], s: Search) =>
  offers.filter((o) => matches(o, { places: s.place ? [s.place] : [], contracts: s.contract ? [s.contract] : [], words: [] }));

export async function registerAppRoutes(app: FastifyInstance, services: ChannelServices): Promise<void> {
  const t = await appWords();
  const store = new PushStore(services.redis, services.keys);
  const publisherOf = (req: FastifyRequest): { pub: PublisherConfig; cfg: PushConfig } | undefined => {
    const id = (req.params as { pub?: string }).pub;
    const pub = services.config.publishers.find((p) => p.id === id);
    const cfg = pub?.channels.push as PushConfig | undefined;
    return pub && cfg ? { pub, cfg } : undefined;
  };
  const notFound = (reply: FastifyReply) => reply.code(404).type('application/json; charset=utf-8').send({ error: t.t('push_api_notFound') });
  const asset = (reply: FastifyReply, type: string, body: string, cache = 'no-cache') => reply.type(type).header('Cache-Control', cache).send(body);

  app.get('/app/:pub', async (req, reply) => {
    if (!publisherOf(req)) return notFound(reply);
    const q = req.url.indexOf('?');
    return reply.code(301).header('Location', appPath((req.params as { pub: string }).pub) + (q >= 0 ? req.url.slice(q) : '')).send();
  });

  app.get('/app/:pub/', async (req, reply) => {
    const p = publisherOf(req);
    if (!p) return notFound(reply);
    const search = searchOf(req.query);
    const offers = found(await services.offers.latestOpen(p.pub.id, p.cfg.listSize), search);
    const page = renderPage({ t, publisherName: p.pub.name, base: appPath(p.pub.id), vapidPublicKey: p.cfg.vapidPublicKey, timeZone: p.pub.timezone ?? 'Europe/Rome', search, offers });
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(page);
  });

  app.get('/app/:pub/offerte.json', async (req, reply) => {
    const p = publisherOf(req);
    if (!p) return notFound(reply);
    const offers = found(await services.offers.latestOpen(p.pub.id, p.cfg.listSize), searchOf(req.query));
    const tz = p.pub.timezone ?? 'Europe/Rome';
    // Public fields only: never the description, where a feed might have hidden a personal contact.
    return reply.header('Cache-Control', 'no-cache').send({
      publisher: { id: p.pub.id, name: p.pub.name },
      offers: offers.map((o) => ({ key: o.key, title: o.title, place: placeOf(o) ?? null, contract: o.contract ?? null, deadline: deadlineOf(o, tz) ?? null, validThrough: o.validThrough ?? null, url: o.url })),
    });
  });

  app.get('/app/:pub/manifest.webmanifest', async (req, reply) => {
    const p = publisherOf(req);
    if (!p) return notFound(reply);
    return asset(reply, 'application/manifest+json; charset=utf-8', manifest({ name: t.t('push_app_name', { name: p.pub.name }), shortName: t.t('push_app_short'), description: t.t('push_app_description', { name: p.pub.name }), base: appPath(p.pub.id) }));
  });
  app.get('/app/:pub/sw.js', async (req, reply) => {
    const p = publisherOf(req);
    if (!p) return notFound(reply);
    return asset(reply, 'text/javascript; charset=utf-8', serviceWorker({ tag: topicFor(p.pub.id), fallbackTitle: t.t('push_notice_default') }));
  });
  app.get('/app/:pub/app.js', async (req, reply) => (publisherOf(req) ? asset(reply, 'text/javascript; charset=utf-8', APP_JS) : notFound(reply)));
  app.get('/app/:pub/app.css', async (req, reply) => (publisherOf(req) ? asset(reply, 'text/css; charset=utf-8', APP_CSS) : notFound(reply)));
  app.get('/app/:pub/icon.svg', async (req, reply) => (publisherOf(req) ? asset(reply, 'image/svg+xml', ICON_SVG, 'public, max-age=86400') : notFound(reply)));

  /** JSON from this site only; the first problem, if any, as an answer. */
  const refuseBadRequest = (req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    if (String(req.headers['sec-fetch-site'] ?? 'same-origin') === 'cross-site') return reply.code(403).send({ error: t.t('push_api_crossSite') });
    if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return reply.code(415).send({ error: t.t('push_api_json') });
    return undefined;
  };

  app.post('/app/:pub/iscrizioni', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
    const p = publisherOf(req);
    if (!p) return notFound(reply);
    const bad = refuseBadRequest(req, reply);
    if (bad) return bad;
    if (!(await store.admit(p.pub.id, req.ip, p.cfg.subscribeLimit, services.now()))) {
      return reply.code(429).header('Retry-After', '3600').send({ error: t.t('push_api_tooMany') });
    }
    const parsed = subscribeSchema(p.cfg.endpointHosts).safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: t.t('push_api_invalid', { why: firstProblem(parsed.error) }) });
    const { subscription, preferences } = parsed.data;
    await store.save(p.pub.id, { endpoint: subscription.endpoint, keys: subscription.keys, prefs: preferences, createdAt: services.now() });
    return reply.code(201).send({ ok: true, message: t.t('push_api_saved') });
  });

  const unsubscribe = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = publisherOf(req);
    if (!p) return notFound(reply);
    const bad = refuseBadRequest(req, reply);
    if (bad) return bad;
    const parsed = unsubscribeSchema(p.cfg.endpointHosts).safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: t.t('push_api_invalid', { why: firstProblem(parsed.error) }) });
    // The same answer whether or not it was subscribed: the answer tells nothing about others' endpoints.
    await store.remove(p.pub.id, subscriptionId(parsed.data.endpoint));
    return reply.code(200).send({ ok: true, message: t.t('push_api_removed') });
  };
  app.delete('/app/:pub/iscrizioni', { bodyLimit: BODY_LIMIT }, unsubscribe);
  app.post('/app/:pub/iscrizioni/cancella', { bodyLimit: BODY_LIMIT }, unsubscribe);
}
