// SPDX-License-Identifier: EUPL-1.2
/** The HTML pages (GET). Each renders one view from what the caller's view of the operator service reports now. */
import type { FastifyInstance } from 'fastify';
import { opOf, pageContext, str, visiblePublishers, type RouteDeps } from './context.ts';
import { overviewPage } from '../views/overview.ts';
import { offersPage, POST_STATES } from '../views/offers.ts';
import { offerPage } from '../views/offer.ts';
import { cancelConfirmPage } from '../views/offer-cancel.ts';
import { safeNext } from '../security/access.ts';
import { feedsPage } from '../views/feeds.ts';
import { failuresPage } from '../views/failures.ts';
import { auditPage } from '../views/audit.ts';
import { messagePage } from '../views/message.ts';
import { html } from '../../web/html.ts';
import { layout } from '../views/layout.ts';
import { isNetwork } from '../../channels/registry.ts';
import type { OfferQuery } from '../../state/operator.ts';
import { OutOfScopeError } from '../../state/scope.ts';

const HTML = 'text/html; charset=utf-8';

export function offerQuery(raw: Record<string, unknown>): OfferQuery {
  const q: OfferQuery = {};
  const search = str(raw.search);
  if (search) q.search = search.slice(0, 200);
  const publisher = str(raw.publisher);
  if (publisher) q.publisher = publisher;
  const network = str(raw.network);
  if (network && isNetwork(network)) q.network = network;
  const state = POST_STATES.find((s) => s === raw.state);
  if (state) q.state = state;
  const limit = Number(raw.limit);
  q.limit = Number.isInteger(limit) && limit > 0 ? Math.min(limit, 500) : 100;
  const offset = Number(raw.offset);
  if (Number.isInteger(offset) && offset > 0) q.offset = offset;
  return q;
}

export function registerPages(app: FastifyInstance, d: RouteDeps): void {
  app.get('/', async (req, reply) => {
    const op = opOf(req);
    const visible = visiblePublishers(req, d);
    const [status, recent, doubt, counts, audiences] = await Promise.all([op.status(), op.recentPosts(20), op.inDoubt({ limit: 50 }), op.inDoubtCounts(), d.audiences?.(visible.list) ?? []]);
    const total = counts.reduce((a, c) => a + c.value, 0);
    return reply.type(HTML).send(overviewPage(pageContext(req, d), status, recent, visible.names, doubt, total, audiences));
  });
  app.get('/offers', async (req, reply) => {
    const q = offerQuery(req.query as Record<string, unknown>);
    return reply.type(HTML).send(offersPage(pageContext(req, d), q, await opOf(req).listOffers(q), visiblePublishers(req, d).list));
  });
  app.get<{ Params: { publisher: string; key: string } }>('/offers/:publisher/:key', async (req, reply) => {
    const ctx = pageContext(req, d);
    const { names } = visiblePublishers(req, d);
    let offer;
    try {
      offer = await opOf(req).getOffer(req.params.publisher, req.params.key);
    } catch (e) {
      if (!(e instanceof OutOfScopeError)) throw e;
      return reply.code(403).type(HTML).send(messagePage(ctx, ctx.i18n.t('forbiddenTitle'), ctx.i18n.t('forbiddenOffice'), '/offers'));
    }
    if (!offer) return reply.code(404).type(HTML).send(layout(ctx, ctx.i18n.t('notFound'), html``));
    return reply.type(HTML).send(offerPage(ctx, offer, names.get(offer.publisher) ?? offer.publisher));
  });
  // The confirmation step of "non pubblicare più": what it will do, and a form that does it.
  app.get<{ Params: { publisher: string; key: string } }>('/offers/:publisher/:key/cancel', async (req, reply) => {
    const ctx = pageContext(req, d);
    const { t } = ctx.i18n;
    if (ctx.canAct === false) return reply.code(403).type(HTML).send(messagePage(ctx, t('forbiddenTitle'), t('forbiddenAction'), '/offers'));
    let offer;
    try {
      offer = await opOf(req).getOffer(req.params.publisher, req.params.key);
    } catch (e) {
      if (!(e instanceof OutOfScopeError)) throw e;
      return reply.code(403).type(HTML).send(messagePage(ctx, t('forbiddenTitle'), t('forbiddenOffice'), '/offers'));
    }
    if (!offer) return reply.code(404).type(HTML).send(messagePage(ctx, t('notFound'), t('notFound'), '/offers'));
    const offerHref = `/offers/${encodeURIComponent(offer.publisher)}/${encodeURIComponent(offer.key)}`;
    const back = safeNext(str((req.query as Record<string, unknown>).back) ?? offerHref).split('?')[0]!;
    const { names } = visiblePublishers(req, d);
    return reply.type(HTML).send(cancelConfirmPage(ctx, offer, names.get(offer.publisher) ?? offer.publisher, back));
  });
  app.get('/feeds', async (req, reply) => {
    const status = await opOf(req).status();
    return reply.type(HTML).send(feedsPage(pageContext(req, d), status.feeds, visiblePublishers(req, d).names));
  });
  app.get('/failures', async (req, reply) => {
    return reply.type(HTML).send(failuresPage(pageContext(req, d), await opOf(req).failures(), visiblePublishers(req, d).names));
  });
  app.get('/audit', async (req, reply) => {
    const op = opOf(req);
    const isAdmin = req.caller?.person?.role === 'admin';
    const [entries, failed] = await Promise.all([op.audit(200), isAdmin ? op.signInFailures(100) : Promise.resolve(undefined)]);
    return reply.type(HTML).send(auditPage(pageContext(req, d), entries, failed, visiblePublishers(req, d).names));
  });
}
