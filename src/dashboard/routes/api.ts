// SPDX-License-Identifier: EUPL-1.2
/** The JSON API, for scripts and the live-update script. Same access rules, and the same scope, as the pages. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf, opOf, type RouteDeps } from './context.ts';
import { offerQuery } from './pages.ts';
import { DOUBT_ACTIONS, type ActionResult, type DoubtAction } from '../actions.ts';
import { OutOfScopeError } from '../../state/scope.ts';
import { auditText } from '../views/audit-text.ts';

function answer(reply: FastifyReply, r: ActionResult) {
  if (!r.ok) return reply.code(r.status).send({ error: r.error });
  const { ok: _ok, ...rest } = r;
  return reply.send({ ok: true, ...rest });
}

const limitOf = (raw: unknown, dflt: number, max: number) => {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : dflt;
};

export function registerApi(app: FastifyInstance, d: RouteDeps): void {
  app.get('/api/status', async (req) => opOf(req).status());
  app.get('/api/recent', async (req) => opOf(req).recentPosts(limitOf((req.query as Record<string, unknown>).limit, 20, 200)));
  app.get('/api/offers', async (req) => opOf(req).listOffers(offerQuery(req.query as Record<string, unknown>)));
  app.get<{ Params: { publisher: string; key: string } }>('/api/offers/:publisher/:key', async (req, reply) => {
    try {
      const offer = await opOf(req).getOffer(req.params.publisher, req.params.key);
      return offer ? offer : reply.code(404).send({ error: d.i18n.t('notFound') });
    } catch (e) {
      if (e instanceof OutOfScopeError) return reply.code(403).send({ error: d.i18n.t('forbiddenOffice') });
      throw e;
    }
  });
  app.get('/api/failures', async (req) => opOf(req).failures());
  // Machine fields as stored, plus the sentence the audit page shows.
  app.get('/api/audit', async (req) => {
    const op = opOf(req);
    const limit = limitOf((req.query as Record<string, unknown>).limit, 200, 1000);
    const entries = (await op.audit(limit)).map((e) => ({ ...e, text: `${e.who} ${auditText(e, d.i18n)}` }));
    const isAdmin = req.caller?.person?.role === 'admin';
    return isAdmin ? { entries, signInFailures: await op.signInFailures(limit) } : { entries };
  });
  app.post<{ Params: { publisher: string; channel: string } }>('/api/channels/:publisher/:channel/pause', async (req, reply) =>
    answer(reply, await d.actions.pause(actorOf(req), req.params.publisher, req.params.channel)));
  app.post<{ Params: { publisher: string; channel: string } }>('/api/channels/:publisher/:channel/resume', async (req, reply) =>
    answer(reply, await d.actions.resume(actorOf(req), req.params.publisher, req.params.channel)));
  app.post<{ Params: { id: string } }>('/api/jobs/:id/retry', async (req, reply) =>
    answer(reply, await d.actions.retryJob(actorOf(req), req.params.id)));
  app.post<{ Params: { publisher: string; offer: string } }>('/api/offers/:publisher/:offer/cancel', async (req, reply) =>
    answer(reply, await d.actions.cancel(actorOf(req), req.params.publisher, req.params.offer)));
  app.get('/api/in-doubt', async (req) => opOf(req).inDoubt({ limit: limitOf((req.query as Record<string, unknown>).limit, 100, 1000) }));
  // The answers to a post in doubt: segna come pubblicato / non pubblicato, invia comunque.
  for (const action of DOUBT_ACTIONS) {
    app.post<{ Params: { publisher: string; network: string; offer: string }; Body: Record<string, unknown> | undefined }>(`/api/posts/:publisher/:network/:offer/${action}`, async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return answer(reply, await d.actions.doubt(actorOf(req), action as DoubtAction, req.params.publisher, req.params.network, req.params.offer,
        { remoteId: text(body.remoteId), permalink: text(body.permalink) }));
    });
  }
  app.post<{ Params: { class: string } }>('/api/failures/:class/retry', async (req, reply) =>
    answer(reply, await d.actions.retryClass(actorOf(req), req.params.class)));
}
