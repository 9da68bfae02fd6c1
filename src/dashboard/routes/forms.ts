/**
 * The HTML forms' POST targets: act, then redirect (303) back to a page of ours with a fixed flash
 * message. The access rules (origin, session, CSRF) have run before any of these.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { str, type RouteDeps } from './context.ts';
import { safeNext } from '../security/access.ts';
import type { ActionResult } from '../actions.ts';

type Body = Record<string, unknown>;

function back(reply: FastifyReply, to: unknown, fallback: string, r: ActionResult) {
  const target = safeNext(str(to) ?? fallback).split('?')[0];
  const q = r.ok ? (r.retried !== undefined ? `msg=retried&n=${r.retried}` : 'msg=done') : `msg=failed&status=${r.status}`;
  return reply.code(303).header('Location', `${target}?${q}`).send();
}

export function registerForms(app: FastifyInstance, d: RouteDeps): void {
  const who = (req: { caller?: { user: string } }) => req.caller!.user;
  app.post<{ Body: Body }>('/actions/pause', async (req, reply) =>
    back(reply, req.body?.back, '/', await d.actions.pause(who(req), str(req.body?.publisher) ?? '', str(req.body?.network) ?? '')));
  app.post<{ Body: Body }>('/actions/resume', async (req, reply) =>
    back(reply, req.body?.back, '/', await d.actions.resume(who(req), str(req.body?.publisher) ?? '', str(req.body?.network) ?? '')));
  app.post<{ Body: Body }>('/actions/retry', async (req, reply) =>
    back(reply, req.body?.back, '/failures', await d.actions.retryJob(who(req), str(req.body?.jobId) ?? '')));
  app.post<{ Body: Body }>('/actions/retry-class', async (req, reply) =>
    back(reply, req.body?.back, '/failures', await d.actions.retryClass(who(req), str(req.body?.errorClass) ?? '')));
  app.post<{ Body: Body }>('/actions/cancel', async (req, reply) =>
    back(reply, req.body?.back, '/failures', await d.actions.cancel(who(req), str(req.body?.publisher) ?? '', str(req.body?.key) ?? '')));
}
