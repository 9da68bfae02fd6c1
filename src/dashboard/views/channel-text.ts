// SPDX-License-Identifier: EUPL-1.2
/**
 * How a channel's state and limits read in words. The same rules run in assets/dashboard.js for live
 * updates; keep the two in step.
 */
import type { ChannelStatus, LimitWindowStatus } from '../../state/operator.ts';
import type { I18n } from '../../i18n/index.ts';

export function windowText(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000 === 1 ? 24 : ms / 3_600_000} h`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** Pauses that need the operator to act on the account (not just wait): shown as a fault. */
const ACCOUNT_PAUSES = new Set(['auth', 'blocked', 'suspended', 'permission']);

export function stateText(ch: ChannelStatus, i18n: I18n): string {
  const { t } = i18n;
  if (ch.state === 'active' || !ch.paused) return t('stateActive');
  const p = ch.paused;
  if (p.kind === 'auth') return `${t('stateAuth')}${p.reason ? `: ${p.reason}` : ''}`;
  const why = p.kind === 'operator' ? t('pauseKindOperator', { who: p.by ?? '?' })
    : p.kind === 'blocked' ? t('pauseKindBlocked') : p.kind === 'suspended' ? t('pauseKindSuspended')
      : p.kind === 'permission' ? t('pauseKindPermission') : t('pauseKindUsageCap');
  return t('pausedBy', { reason: p.reason && p.kind !== 'operator' ? `${why} (${p.reason})` : why });
}

export function stateClass(ch: ChannelStatus): string {
  if (ch.state === 'active') return 'ok';
  return ch.paused && ACCOUNT_PAUSES.has(ch.paused.kind) ? 'bad' : 'warn';
}

export function limitText(l: LimitWindowStatus, i18n: I18n, now: number): string {
  const { t } = i18n;
  const used = t('limitWindow', { used: l.used, max: l.max, per: windowText(l.perMs) });
  const next = l.nextFreeAt <= now ? t('limitFreeNow') : t('limitNextFree', { at: i18n.time(l.nextFreeAt) });
  return `${used} · ${next}`;
}

export function countsText(ch: ChannelStatus, i18n: I18n): string {
  return i18n.t('counts', { waiting: ch.counts.waiting, delayed: ch.counts.delayed, failed: ch.counts.failed });
}

/** The channel's last error from the network, with its class in words and when it happened. */
export function lastErrorText(ch: ChannelStatus, i18n: I18n): string {
  const e = ch.lastError;
  if (!e) return i18n.t('a11y_noError');
  return i18n.t('a11y_lastError', { class: i18n.t(`class_${e.errorClass}`), message: e.message, at: i18n.time(e.at) });
}
