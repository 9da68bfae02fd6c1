/** The JSON API, for scripts and the live-update script. Same access rules as the pages. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RouteDeps } from './context.ts';
import { offerQuery } from './pages.ts';
import type { ActionResult } from '../actions.ts';

function answer(reply: FastifyReply, r: ActionResult) {
  if (!r.ok) return reply.code(r.status).send({ error: r.error });
  const { ok: _ok, ...rest } = r;
  return reply.send({ ok: true, ...rest });
}

export function registerApi(app: FastifyInstance, d: RouteDeps): void {
  const who = (req: { caller?: { user: string } }) => req.caller!.user;
  app.get('/api/status', async () => d.operator.status());
  app.get('/api/recent', async (req) => {
    const n = Number((req.query as Record<string, unknown>).limit);
    return d.operator.recentPosts(Number.isInteger(n) && n > 0 ? Math.min(n, 200) : 20);
  });
  app.get('/api/offers', async (req) => d.operator.listOffers(offerQuery(req.query as Record<string, unknown>)));
  app.post<{ Params: { publisher: string; channel: string } }>('/api/channels/:publisher/:channel/pause', async (req, reply) =>
    answer(reply, await d.actions.pause(who(req), req.params.publisher, req.params.channel)));
  app.post<{ Params: { publisher: string; channel: string } }>('/api/channels/:publisher/:channel/resume', async (req, reply) =>
    answer(reply, await d.actions.resume(who(req), req.params.publisher, req.params.channel)));
  app.post<{ Params: { id: string } }>('/api/jobs/:id/retry', async (req, reply) =>
    answer(reply, await d.actions.retryJob(who(req), req.params.id)));
  app.post<{ Params: { publisher: string; offer: string } }>('/api/offers/:publisher/:offer/cancel', async (req, reply) =>
    answer(reply, await d.actions.cancel(who(req), req.params.publisher, req.params.offer)));
  app.post<{ Params: { class: string } }>('/api/failures/:class/retry', async (req, reply) =>
    answer(reply, await d.actions.retryClass(who(req), req.params.class)));
}
