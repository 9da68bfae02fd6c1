/** What every route handler gets: the operator service, actions, words, and the publishers' names. */
import type { FastifyRequest } from 'fastify';
import type { OperatorService } from '../../state/operator.ts';
import type { Actions, PublisherInfo } from '../actions.ts';
import type { I18n } from '../../i18n/index.ts';
import type { PageContext } from '../views/layout.ts';

export interface RouteDeps {
  operator: OperatorService;
  actions: Actions;
  i18n: I18n;
  publishers: PublisherInfo[];
  names: Map<string, string>;
}

/** Flash messages come from a fixed list, so the query string can never put words on the page. */
export function pageContext(req: FastifyRequest, d: RouteDeps): PageContext {
  const q = req.query as Record<string, string | undefined>;
  const { t } = d.i18n;
  const n = Number(q.n);
  const flash = q.msg === 'done' ? t('done')
    : q.msg === 'retried' && Number.isInteger(n) ? t('doneRetried', { n })
      : q.msg === 'failed' ? t('actionFailed', { message: q.status === '404' ? t('notFound') : t('serverError') })
        : undefined;
  const path = req.url.split('?')[0]!;
  return { i18n: d.i18n, path, ...(req.caller ? { user: req.caller.user } : {}), ...(req.caller?.csrf ? { csrf: req.caller.csrf } : {}), ...(flash ? { flash } : {}) };
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
