// SPDX-License-Identifier: EUPL-1.2
/**
 * The HTML forms' POST targets: act, then redirect (303) back to a page of ours with a fixed flash
 * message. The access rules (origin, session, CSRF) have run before any of these. An action refused by
 * the person's role or offices answers 403 with a page that says so.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, pageContext, str, type RouteDeps } from './context.ts';
import { safeNext } from '../security/access.ts';
import { DOUBT_ACTIONS, type ActionResult } from '../actions.ts';
import { messagePage } from '../views/message.ts';
import { cancelPath } from '../views/offer-cancel.ts';

type Body = Record<string, unknown>;

export function registerForms(app: FastifyInstance, d: RouteDeps): void {
  function back(req: FastifyRequest<{ Body: Body }>, reply: FastifyReply, fallback: string, r: ActionResult, done = 'done') {
    const target = safeNext(str(req.body?.back) ?? fallback).split('?')[0];
    if (!r.ok && r.status === 403) {
      return reply.code(403).type('text/html; charset=utf-8').send(messagePage(pageContext(req, d), d.i18n.t('forbiddenTitle'), d.i18n.t('forbiddenAction'), target ?? '/'));
    }
    const q = r.ok ? (r.retried !== undefined ? `msg=retried&n=${r.retried}` : `msg=${done}`) : `msg=failed&status=${r.status}`;
    return reply.code(303).header('Location', `${target}?${q}`).send();
  }
  const field = (req: FastifyRequest<{ Body: Body }>, name: string) => str(req.body?.[name]) ?? '';

  app.post<{ Body: Body }>('/actions/pause', async (req, reply) =>
    back(req, reply, '/', await d.actions.pause(actorOf(req), field(req, 'publisher'), field(req, 'network'))));
  app.post<{ Body: Body }>('/actions/resume', async (req, reply) =>
    back(req, reply, '/', await d.actions.resume(actorOf(req), field(req, 'publisher'), field(req, 'network'))));
  app.post<{ Body: Body }>('/actions/retry', async (req, reply) =>
    back(req, reply, '/failures', await d.actions.retryJob(actorOf(req), field(req, 'jobId'))));
  app.post<{ Body: Body }>('/actions/retry-class', async (req, reply) =>
    back(req, reply, '/failures', await d.actions.retryClass(actorOf(req), field(req, 'errorClass'))));
  // Nothing is cancelled without the confirmation page's own field: a form without it is sent there.
  app.post<{ Body: Body }>('/actions/cancel', async (req, reply) => {
    const publisher = field(req, 'publisher');
    const key = field(req, 'key');
    if (field(req, 'confirm') !== 'yes') {
      const ret = safeNext(str(req.body?.back) ?? '/').split('?')[0]!;
      return reply.code(303).header('Location', `${cancelPath({ publisher, key })}?back=${encodeURIComponent(ret)}`).send();
    }
    return back(req, reply, '/failures', await d.actions.cancel(actorOf(req), publisher, key), 'cancelled');
  });
  for (const action of DOUBT_ACTIONS) {
    app.post<{ Body: Body }>(`/actions/${action}`, async (req, reply) =>
      back(req, reply, '/', await d.actions.doubt(actorOf(req), action, field(req, 'publisher'), field(req, 'network'), field(req, 'key'),
        { remoteId: field(req, 'remoteId'), permalink: field(req, 'permalink') })));
  }
}
