// SPDX-License-Identifier: EUPL-1.2
/**
 * An audit entry in words, after the person's name: "ha messo in pausa teramo/facebook", "ha riprovato
 * 3 post non riusciti (auth)". An action that was refused or failed reads "ha provato a …" (the result
 * column says which). The machine fields stay in the entry (and in /api/audit).
 */
import type { AuditEntry } from '../../state/operator.ts';
import type { CatalogKey, I18n } from '../../i18n/index.ts';
import { parseBullBoardCall } from '../bull-board-audit.ts';

const ACTIONS = new Set(['pause', 'resume', 'retry', 'retry-group', 'cancel', 'bull-board', 'upload']);
/** The answers to a post in doubt, worded by their own keys (doubt_audit_…). */
const DOUBT = new Set(['mark-posted', 'mark-not-posted', 'send-anyway']);

export function auditText(e: AuditEntry, i18n: I18n): string {
  const { t } = i18n;
  const key = (k: string) => k as CatalogKey;
  const plural = (n: number) => (new Intl.PluralRules(i18n.lang).select(n) === 'one' ? 'one' : 'other');
  if (e.action === 'login' || e.action === 'login-basic') return t(e.via === 'oidc' ? 'audit_login_oidc' : 'audit_login');
  if (e.action === 'logout') return t('audit_logout');
  if (DOUBT.has(e.action)) return t(key(`doubt_audit_${e.action}${e.result === 'ok' ? '' : '_tried'}`), { target: e.target });
  if (!ACTIONS.has(e.action)) return t('audit_generic', { action: e.action, target: e.target });
  const done = e.result === 'ok';
  if (e.action === 'retry-group') {
    const cls = e.errorClass ?? e.target;
    if (!done) return t(key('audit_retry-group_tried'), { class: cls });
    const n = e.count ?? 0;
    return t(key(`audit_retry-group_${plural(n)}`), { n, class: cls });
  }
  if (e.action === 'bull-board') {
    const call = parseBullBoardCall(e.target);
    const what = t(key(`bb_${call.op}`), { queue: call.queue ?? '?', job: call.job ?? '?', status: call.status ?? '?', method: e.detail ?? '', path: e.target });
    return t(key(done ? 'audit_bull-board' : 'audit_bull-board_tried'), { what });
  }
  const text = t(key(done ? `audit_${e.action}` : `audit_${e.action}_tried`), { target: e.target });
  if (e.action === 'resume' && done && e.count) return text + t(key(`audit_released_${plural(e.count)}`), { n: e.count });
  return text;
}
