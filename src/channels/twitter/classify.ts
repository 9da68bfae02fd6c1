// SPDX-License-Identifier: EUPL-1.2
/**
 * How an X answer becomes a ChannelError: one table, read top to bottom, first match wins.
 * X's v2 problem bodies carry no error codes (api-contracts.md A2), so rules read `data.type` and
 * `data.detail`; rate-limit times come from headers in Unix seconds (X sends no Retry-After).
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { ChannelError, type ErrorClass, type LimitHints, type RefusalPause } from '../channel.ts';
import { DeadlineExceeded } from '../deadline.ts';

/** What the rules look at, extracted once from whatever the SDK threw. */
export interface XFailure {
  kind: 'response' | 'network' | 'partial' | 'timeout' | 'other';
  /** Whether the call only read (the timeline, users/me) or wrote (a post, a delete). */
  op?: 'read' | 'write';
  status?: number;
  type?: string;
  /** The problem's `reason` (`client-not-enrolled` when the app's access level lacks the endpoint). */
  reason?: string;
  detail?: string;
  /** The SDK's parsed rate limits: x-rate-limit-*, `userDay` x-user-limit-24hour-*, `day` x-app-limit-24hour-*. */
  rateLimit?: { limit: number; remaining: number; reset: number; day?: { limit: number; remaining: number; reset: number }; userDay?: { limit: number; remaining: number; reset: number } };
  /** Network error code (ECONNREFUSED, ECONNRESET, ...) or message. */
  networkCode?: string;
  message: string;
}

const DEFAULT_RATE_WAIT_MS = 15 * 60_000;
// The request never left this machine, so X cannot have committed anything.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_PROTOCOL', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The socket error under an SDK error. twitter-api-v2 1.29.1 declares it as `requestError` but stores it
 * as `_options.error` (non-enumerable, next to the signed request, which must never be copied out).
 */
function innerError(e: ApiRequestError | ApiPartialResponseError): NodeJS.ErrnoException | undefined {
  const opts = (e as unknown as { _options?: { error?: unknown; requestError?: unknown; responseError?: unknown } })._options;
  const inner = opts?.requestError ?? opts?.responseError ?? opts?.error;
  return inner instanceof Error ? (inner as NodeJS.ErrnoException) : undefined;
}

export function describeXFailure(e: unknown): XFailure {
  if (e instanceof DeadlineExceeded) return { kind: 'timeout', message: e.message };
  if (e instanceof ApiResponseError) {
    const data = (e.data ?? {}) as { type?: unknown; detail?: unknown; title?: unknown; reason?: unknown; errors?: { message?: string }[] };
    const detail = [typeof data.detail === 'string' ? data.detail : typeof data.title === 'string' ? data.title : undefined,
      ...(Array.isArray(data.errors) ? data.errors.map((x) => x?.message).filter(Boolean) : [])].filter(Boolean).join(' — ');
    return { kind: 'response', status: e.code, type: typeof data.type === 'string' ? data.type : undefined, reason: typeof data.reason === 'string' ? data.reason : undefined, detail: detail || undefined, rateLimit: e.rateLimit, message: detail || e.message };
  }
  if (e instanceof ApiPartialResponseError) return { kind: 'partial', message: `X answer cut short: ${innerError(e)?.message ?? e.message}` };
  if (e instanceof ApiRequestError) {
    const inner = innerError(e);
    if (inner?.message === 'Request timeout.') return { kind: 'timeout', message: 'X did not answer in time' };
    return { kind: 'network', networkCode: inner?.code ?? inner?.message, message: `X unreachable: ${inner?.message ?? e.message}` };
  }
  return { kind: 'other', message: (e as Error)?.message ?? String(e) };
}

/** Hints from a 429 (or a success whose remaining hit 0): the latest reset that is exhausted wins. */
export function xLimitHints(rl: XFailure['rateLimit']): LimitHints | undefined {
  if (!rl) return undefined;
  const hints: LimitHints = { remaining: rl.remaining, limit: rl.limit, resetAt: rl.reset * 1000 };
  if (rl.day && rl.day.remaining === 0) return { ...hints, waitUntil: rl.day.reset * 1000, scope: 'app', remaining: 0, resetAt: rl.day.reset * 1000 };
  if (rl.userDay && rl.userDay.remaining === 0) return { ...hints, waitUntil: rl.userDay.reset * 1000, scope: 'account', remaining: 0, resetAt: rl.userDay.reset * 1000 };
  if (rl.remaining === 0) return { ...hints, waitUntil: rl.reset * 1000, scope: 'account' };
  return hints;
}

interface Rule {
  name: string;
  when: (f: XFailure) => boolean;
  errorClass: ErrorClass;
  unknownOutcome?: (f: XFailure) => boolean;
  hints?: (f: XFailure) => LimitHints | undefined;
  /** For `auth`: the kind of pause and the operator's reason (Italian). */
  pause?: { kind: RefusalPause; reason: string };
  readRefused?: boolean;
}

/** The app's access level (X's tier) does not include the endpoint: X's Free tier reads only users/me. */
const notEnrolled = (f: XFailure) => f.status === 403 && (f.reason === 'client-not-enrolled' || /\/client-forbidden$/.test(f.type ?? ''));
const problemType = (name: string) => (f: XFailure) => f.status === 403 && (f.type ?? '').endsWith(`/problems/${name}`);

export const X_RULES: readonly Rule[] = [
  { name: 'timeout', when: (f) => f.kind === 'timeout', errorClass: 'transient', unknownOutcome: () => true },
  // The answer started, so X processed the request: it may have posted.
  { name: 'cut short', when: (f) => f.kind === 'partial', errorClass: 'transient', unknownOutcome: () => true },
  { name: 'network', when: (f) => f.kind === 'network', errorClass: 'transient', unknownOutcome: (f) => !NOT_SENT.has(f.networkCode ?? '') },
  {
    name: 'unauthorized', when: (f) => f.status === 401, errorClass: 'auth',
    pause: { kind: 'auth', reason: 'X ha rifiutato il token (scaduto, revocato o rigenerato): aggiorna le credenziali nella configurazione, riavvia i worker e riprendi il canale.' },
  },
  { name: 'duplicate', when: (f) => f.status === 403 && /duplicate/i.test(f.detail ?? ''), errorClass: 'duplicate' },
  // A read that the tier does not include is no fault of the account: reconciliation falls back to a resend.
  { name: 'read not in the access level', when: (f) => f.op === 'read' && notEnrolled(f), errorClass: 'permanent', readRefused: true },
  {
    name: 'endpoint not in the access level', when: notEnrolled, errorClass: 'auth',
    pause: { kind: 'permission', reason: "Il livello di accesso dell'app X non comprende la pubblicazione (client-not-enrolled): nel portale per sviluppatori collega l'app a un Project, poi riprendi il canale." },
  },
  {
    name: 'read-only token', when: problemType('oauth1-permissions'), errorClass: 'auth',
    pause: { kind: 'permission', reason: "Il token di X ha solo il permesso di lettura: nel portale per sviluppatori imposta «Read and write», rigenera l'access token, aggiornalo nella configurazione e riprendi il canale." },
  },
  {
    name: 'suspended account', when: problemType('user-suspended'), errorClass: 'auth',
    pause: { kind: 'suspended', reason: "L'account X è sospeso: X rifiuta ogni pubblicazione finché la sospensione non viene revocata. Risolvi con X, poi riprendi il canale." },
  },
  { name: 'usage cap', when: (f) => f.status === 429 && /usage-capped$/.test(f.type ?? ''), errorClass: 'usage-capped' },
  {
    name: 'rate limited', when: (f) => f.status === 429, errorClass: 'rate-limited',
    hints: (f) => {
      const h = xLimitHints(f.rateLimit);
      // A 429 always means wait: if no exhausted window was reported, wait for the 15-minute reset.
      if (h?.waitUntil) return h;
      const reset = f.rateLimit?.reset ? f.rateLimit.reset * 1000 : Date.now() + DEFAULT_RATE_WAIT_MS;
      return { ...h, waitUntil: reset, scope: 'account' };
    },
  },
  // A 5xx may come from a gateway after X committed the post: reconcile before sending again.
  { name: 'server error', when: (f) => (f.status ?? 0) >= 500, errorClass: 'transient', unknownOutcome: () => true },
  { name: 'bad request', when: (f) => (f.status ?? 0) >= 400, errorClass: 'permanent' },
  // Anything else (a bug, an unexpected throw) is retried: promise 2, lose nothing.
  { name: 'unknown', when: () => true, errorClass: 'transient', unknownOutcome: () => true },
];

export function classifyXError(e: unknown, scrub: (s: string) => string = (s) => s, op: 'read' | 'write' = 'write'): ChannelError {
  if (e instanceof ChannelError) return e;
  const f = { ...describeXFailure(e), op };
  const rule = X_RULES.find((r) => r.when(f))!;
  const status = f.status ? ` ${f.status}` : '';
  return new ChannelError(rule.errorClass, scrub(`X${status}: ${f.message}`), {
    status: f.status,
    // The problem's reason ("client-not-enrolled"), else its type's last segment ("usage-capped",
    // "invalid-request"), or the socket error code.
    code: f.reason ?? (f.type && f.type !== 'about:blank' ? f.type.split('/').pop() : undefined) ?? f.networkCode,
    hints: rule.hints?.(f),
    // A read changes nothing on the network: its outcome is never in doubt.
    unknownOutcome: op === 'read' ? false : rule.unknownOutcome?.(f) ?? false,
    pause: rule.pause,
    readRefused: rule.readRefused,
  });
}
