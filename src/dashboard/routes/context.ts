// SPDX-License-Identifier: EUPL-1.2
/** What every route handler gets: actions, words, the publishers' names, and the caller's own view of the service. */
import type { FastifyRequest } from 'fastify';
import type { OperatorService } from '../../state/operator.ts';
import type { Actions, Actor, PublisherInfo } from '../actions.ts';
import type { I18n } from '../../i18n/index.ts';
import type { FooterLinks, PageContext } from '../views/layout.ts';
import { sees } from '../../state/scope.ts';
import type { AudienceSummary } from '../../channels/definition.ts';

export interface RouteDeps {
  actions: Actions;
  i18n: I18n;
  publishers: PublisherInfo[];
  names: Map<string, string>;
  /** The footer's links, from the config. */
  links?: FooterLinks;
  /** The audiences of the channels that keep their followers (subscribers), for the overview. */
  audiences?: (publishers: readonly PublisherInfo[]) => Promise<PublisherAudience[]>;
}

export interface PublisherAudience { publisher: string; network: string; summary: AudienceSummary }

/** The operator service as the caller may see and use it (set by the access rules on every guarded route). */
export function opOf(req: FastifyRequest): OperatorService {
  if (!req.operator) throw new Error('no operator view on this request: is the route guarded?');
  return req.operator;
}

export function actorOf(req: FastifyRequest): Actor {
  const c = req.caller!;
  const via = c.via !== 'session' ? c.via : c.person?.source === 'oidc' ? 'oidc' : 'password';
  return { name: c.name, via, operator: opOf(req) };
}

/** The publishers the caller sees (filters and names never mention another office). */
export function visiblePublishers(req: FastifyRequest, d: RouteDeps): { list: PublisherInfo[]; names: Map<string, string> } {
  const scope = opOf(req).scope;
  const list = d.publishers.filter((p) => sees(scope, p.id));
  return { list, names: new Map(list.map((p) => [p.id, p.name])) };
}

/** Flash messages come from a fixed list, so the query string can never put words on the page. */
export function pageContext(req: FastifyRequest, d: RouteDeps): PageContext {
  const q = req.query as Record<string, string | undefined>;
  const { t } = d.i18n;
  const n = Number(q.n);
  const flash = q.msg === 'done' ? t('done')
    : q.msg === 'cancelled' ? t('a11y_cancelled')
    : q.msg === 'retried' && Number.isInteger(n) ? t('doneRetried', { n })
      : q.msg === 'failed' ? t('actionFailed', { message: q.status === '404' ? t('notFound') : q.status === '403' ? t('forbiddenAction') : t('serverError') })
        : undefined;
  const path = req.url.split('?')[0]!;
  const person = req.caller?.person;
  return {
    i18n: d.i18n, path, ...(d.links ? { links: d.links } : {}),
    ...(person ? { user: person.name, role: person.role, canAct: person.role !== 'viewer', isAdmin: person.role === 'admin' } : {}),
    ...(req.caller?.csrf ? { csrf: req.caller.csrf } : {}), ...(flash ? { flash } : {}),
  };
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
