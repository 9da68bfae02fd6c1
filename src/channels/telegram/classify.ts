// SPDX-License-Identifier: EUPL-1.2
/**
 * How a Bot API failure becomes a ChannelError: one table, read top to bottom, first match wins. The Bot
 * API answers `{ok:false, error_code, description, parameters}`; the description is the only thing that
 * tells "bot was kicked" from "chat not found", so rules read it (channels.md 1.5). grammY throws
 * GrammyError for such answers and HttpError when no answer was read (its `error` holds the socket error
 * and, in node-fetch's message, the request URL, which carries the token: it is never copied out).
 */
import { GrammyError, HttpError } from 'grammy';
import { ChannelError, POST_DELETE_EXPIRED, type ErrorClass, type LimitHints, type RefusalPause } from '../channel.ts';
import { DeadlineExceeded } from '../deadline.ts';

/** What the rules look at, extracted once from whatever grammY threw. */
export interface TgFailure {
  kind: 'api' | 'network' | 'not-json' | 'timeout' | 'other';
  /** Whether the call only read (getMe, getChat) or changed the channel (send, edit, delete). */
  op?: 'read' | 'write';
  status?: number;
  description?: string;
  retryAfter?: number;
  /** Socket error code (ECONNREFUSED, ECONNRESET, ...). */
  networkCode?: string;
  message: string;
}

/** When a 429 names no wait (it always should), wait this long. */
const DEFAULT_RETRY_AFTER_S = 60;
// The request never left this machine, so Telegram cannot have committed anything.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function describeTgFailure(e: unknown): TgFailure {
  if (e instanceof DeadlineExceeded) return { kind: 'timeout', message: e.message };
  if (e instanceof GrammyError) {
    const retry = Number(e.parameters?.retry_after);
    return {
      kind: 'api', status: e.error_code, description: e.description,
      ...(Number.isFinite(retry) && retry >= 0 ? { retryAfter: retry } : {}),
      message: `${e.error_code} ${e.description}`,
    };
  }
  if (e instanceof HttpError) {
    const inner = e.error as (Error & { code?: string; type?: string; name?: string }) | undefined;
    if (inner?.name === 'AbortError' || /timed out after/.test(inner?.message ?? '')) return { kind: 'timeout', message: 'Telegram did not answer in time' };
    // node-fetch's res.json() on an HTML page from a gateway (a 502 in front of the Bot API).
    if (inner?.type === 'invalid-json' || inner instanceof SyntaxError) return { kind: 'not-json', message: 'Telegram answered something that is not JSON' };
    const code = inner?.code ?? inner?.type;
    return { kind: 'network', ...(code ? { networkCode: code } : {}), message: `Telegram unreachable${code ? ` (${code})` : ''}` };
  }
  return { kind: 'other', message: (e as Error)?.message ?? String(e) };
}

interface Rule {
  name: string;
  when: (f: TgFailure) => boolean;
  errorClass: ErrorClass;
  unknownOutcome?: (f: TgFailure) => boolean;
  hints?: (f: TgFailure) => LimitHints | undefined;
  /** For `auth`: the kind of pause and the operator's reason (Italian). */
  pause?: { kind: RefusalPause; reason: string };
  /** The message itself is gone from the channel (deleted by a person). */
  gone?: boolean;
  code?: string;
}

const says = (re: RegExp) => (f: TgFailure) => f.kind === 'api' && re.test(f.description ?? '');

export const TG_RULES: readonly Rule[] = [
  { name: 'timeout', when: (f) => f.kind === 'timeout', errorClass: 'transient', unknownOutcome: () => true },
  { name: 'network', when: (f) => f.kind === 'network', errorClass: 'transient', unknownOutcome: (f) => !NOT_SENT.has(f.networkCode ?? '') },
  // A gateway's HTML page may come after the Bot API committed the message.
  { name: 'not JSON', when: (f) => f.kind === 'not-json', errorClass: 'transient', unknownOutcome: () => true },
  {
    name: 'too many requests', when: (f) => f.status === 429, errorClass: 'rate-limited',
    // retry_after can be hours (channels.md 1.3): the queue waits it out on this account, spending no attempt.
    hints: (f) => ({ waitUntil: Date.now() + (f.retryAfter ?? DEFAULT_RETRY_AFTER_S) * 1000, scope: 'account' }),
  },
  {
    name: 'unauthorized', when: (f) => f.status === 401, errorClass: 'auth',
    pause: { kind: 'auth', reason: 'Telegram ha rifiutato il token del bot (revocato o sbagliato): prendi il token attuale da @BotFather, aggiornalo nella configurazione, riavvia i worker e riprendi il canale.' },
  },
  {
    name: 'not in the channel', when: says(/bot was kicked|bot is not a member|bot was blocked/i), errorClass: 'auth',
    pause: { kind: 'permission', reason: 'Il bot non fa più parte del canale Telegram (è stato rimosso): aggiungilo di nuovo come amministratore con il permesso «Pubblica messaggi», poi riprendi il canale.' },
  },
  {
    name: 'not an administrator', when: says(/need administrator rights|not enough rights|have no rights|CHAT_ADMIN_REQUIRED/i), errorClass: 'auth',
    pause: { kind: 'permission', reason: 'Il bot non è amministratore del canale Telegram o non ha il permesso di pubblicare: nelle impostazioni del canale rendilo amministratore con «Pubblica messaggi» (e «Modifica» ed «Elimina messaggi di altri» per chiudere le offerte), poi riprendi il canale.' },
  },
  { name: 'chat not found', when: says(/chat not found/i), errorClass: 'permanent', code: 'chat-not-found' },
  { name: 'message gone', when: says(/message to (edit|delete) not found|MESSAGE_ID_INVALID/i), errorClass: 'permanent', gone: true, code: 'message-gone' },
  // Older than 48 hours (or not ours): closing falls back to an edit (src/delivery/modify.ts).
  { name: 'cannot delete', when: says(/message can't be deleted/i), errorClass: 'permanent', code: POST_DELETE_EXPIRED },
  // The Bot API's own JSON answer says it failed: it did not post. (A gateway's page is "not JSON" above.)
  { name: 'server error', when: (f) => (f.status ?? 0) >= 500, errorClass: 'transient' },
  // Parse errors, too long, message can't be edited: sending the same again cannot help.
  { name: 'bad request', when: (f) => f.kind === 'api' && (f.status ?? 0) >= 400, errorClass: 'permanent' },
  // Anything else (a bug, an unexpected throw) is retried: promise 2, lose nothing.
  { name: 'unknown', when: () => true, errorClass: 'transient', unknownOutcome: () => true },
];

export function classifyTgError(e: unknown, scrub: (s: string) => string = (s) => s, op: 'read' | 'write' = 'write'): ChannelError {
  if (e instanceof ChannelError) return e;
  const f = { ...describeTgFailure(e), op };
  const rule = TG_RULES.find((r) => r.when(f))!;
  return new ChannelError(rule.errorClass, scrub(`Telegram: ${f.message}`), {
    status: f.status,
    code: rule.code ?? f.networkCode,
    hints: rule.hints?.(f),
    // A read changes nothing: its outcome is never in doubt.
    unknownOutcome: op === 'read' ? false : rule.unknownOutcome?.(f) ?? false,
    pause: rule.pause,
    gone: rule.gone ?? false,
  });
}

