// SPDX-License-Identifier: EUPL-1.2
/**
 * How a Graph API failure becomes a ChannelError: one table keyed on `error.code` (never the HTTP
 * status, which varies: api-contracts.md C), read top to bottom, first match wins.
 */
import { ChannelError, type ErrorClass, type LimitHints, type RefusalPause } from '../channel.ts';
import { DeadlineExceeded } from '../deadline.ts';
import { DEFAULT_FB_BACKOFF_MS, fbUsageHints } from './usage.ts';

/** What the rules look at, extracted once from whatever the SDK threw. */
export interface FbFailure {
  kind: 'graph' | 'no-response' | 'unparseable' | 'timeout' | 'other';
  status?: number;
  code?: number;
  subcode?: number;
  isTransient?: boolean;
  method?: string;
  headers?: Record<string, unknown>;
  message: string;
}

export function describeFbFailure(e: unknown): FbFailure {
  if (e instanceof DeadlineExceeded) return { kind: 'timeout', message: e.message };
  // FacebookRequestError is not exported by the SDK's entry point: detect it by name.
  if (e instanceof Error && e.name === 'FacebookRequestError') {
    const fe = e as Error & { status?: number | null; response?: Record<string, unknown> | null; headers?: Record<string, unknown> | null; method?: string };
    if (!fe.response) return { kind: 'no-response', method: fe.method, message: fe.message };
    const r = fe.response;
    const code = Number(r.code);
    return {
      kind: 'graph',
      status: fe.status ?? undefined,
      code: Number.isFinite(code) ? code : undefined,
      subcode: r.error_subcode !== undefined ? Number(r.error_subcode) : undefined,
      isTransient: r.is_transient === true,
      method: fe.method,
      headers: fe.headers ?? undefined,
      message: typeof r.message === 'string' ? r.message : fe.message,
    };
  }
  // The SDK JSON.parses error bodies: an HTML page (a 502 from a proxy) throws SyntaxError instead.
  if (e instanceof SyntaxError) return { kind: 'unparseable', message: `Facebook answered something that is not JSON (${e.message})` };
  return { kind: 'other', message: (e as Error)?.message ?? String(e) };
}

const throttleHints = (scope: 'account' | 'app') => (f: FbFailure): LimitHints => {
  const h = fbUsageHints(f.headers);
  if (h?.waitUntil) return { ...h, scope };
  return { ...h, waitUntil: Date.now() + DEFAULT_FB_BACKOFF_MS, scope };
};

interface Rule {
  name: string;
  when: (f: FbFailure) => boolean;
  errorClass: ErrorClass;
  unknownOutcome?: (f: FbFailure) => boolean;
  hints?: (f: FbFailure) => LimitHints | undefined;
  /** For `auth`: the kind of pause and the operator's reason (Italian). */
  pause?: { kind: RefusalPause; reason: string };
}

const isWrite = (f: FbFailure) => (f.method ?? 'POST').toUpperCase() !== 'GET';
const codeIn = (...codes: number[]) => (f: FbFailure) => f.code !== undefined && codes.includes(f.code);

export const FB_RULES: readonly Rule[] = [
  { name: 'timeout', when: (f) => f.kind === 'timeout', errorClass: 'transient', unknownOutcome: () => true },
  // The SDK drops the socket error, so a refused connection and a reset after sending look alike:
  // for a write, assume it may have landed (reconciling costs one read; a double post costs trust).
  { name: 'no response', when: (f) => f.kind === 'no-response', errorClass: 'transient', unknownOutcome: (f) => (f.method ?? 'POST').toUpperCase() !== 'GET' },
  // An HTML 502/504 from a gateway, or Graph's own "temporary" codes, may come after the post was
  // committed: for a write, reconcile before sending again.
  { name: 'not JSON', when: (f) => f.kind === 'unparseable', errorClass: 'transient', unknownOutcome: isWrite },
  { name: 'temporary', when: codeIn(1, 2), errorClass: 'transient', unknownOutcome: isWrite },
  { name: 'app throttled', when: codeIn(4), errorClass: 'rate-limited', hints: throttleHints('app') },
  { name: 'page throttled', when: codeIn(17, 32, 613, 80001), errorClass: 'rate-limited', hints: throttleHints('account') },
  {
    name: 'token or permission', when: (f) => f.code === 190 || f.code === 10 || (f.code !== undefined && f.code >= 200 && f.code <= 299), errorClass: 'auth',
    pause: { kind: 'auth', reason: 'Facebook ha rifiutato il token della Pagina o i suoi permessi (scaduto, revocato, o senza pages_manage_posts): rinnova il token, riavvia i worker e riprendi il canale.' },
  },
  // Temporarily blocked for policy: every further attempt may extend the block, so stop and tell, like a
  // refused token (Graph flags it is_transient, which must not make it a retry).
  {
    name: 'temporarily blocked', when: codeIn(368), errorClass: 'auth',
    pause: { kind: 'blocked', reason: 'Facebook ha bloccato temporaneamente le pubblicazioni della Pagina (#368: attività ritenuta abusiva o troppo rapida). Ogni nuovo tentativo può prolungare il blocco: attendi che finisca (di solito da alcune ore a qualche giorno), controlla gli avvisi della Pagina, poi riprendi il canale.' },
  },
  { name: 'duplicate', when: codeIn(506), errorClass: 'duplicate' },
  { name: 'flagged transient', when: (f) => f.kind === 'graph' && f.isTransient === true && f.code !== 368, errorClass: 'transient', unknownOutcome: isWrite },
  { name: 'server error without code', when: (f) => f.kind === 'graph' && f.code === undefined && (f.status ?? 0) >= 500, errorClass: 'transient', unknownOutcome: isWrite },
  { name: 'policy, bad request and the rest', when: (f) => f.kind === 'graph', errorClass: 'permanent' },
  // Anything else (a bug, an unexpected throw) is retried: promise 2, lose nothing.
  { name: 'unknown', when: () => true, errorClass: 'transient', unknownOutcome: isWrite },
];

export function classifyFbError(e: unknown, scrub: (s: string) => string = (s) => s): ChannelError {
  if (e instanceof ChannelError) return e;
  const f = describeFbFailure(e);
  const rule = FB_RULES.find((r) => r.when(f))!;
  const code = f.code !== undefined ? `#${f.code}${f.subcode !== undefined ? `/${f.subcode}` : ''}` : undefined;
  return new ChannelError(rule.errorClass, scrub(`Facebook${code ? ` ${code}` : ''}: ${f.message}`), {
    status: f.status,
    code,
    hints: rule.hints?.(f),
    unknownOutcome: rule.unknownOutcome?.(f) ?? false,
    pause: rule.pause,
  });
}
