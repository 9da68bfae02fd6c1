// SPDX-License-Identifier: EUPL-1.2
/**
 * What a push service's answer means for one notification (RFC 8030 §5, channels.md 3.1), read top to
 * bottom. 201 is "accepted", not "delivered": nobody can know more.
 */

export type SendResult =
  | { kind: 'accepted' }
  /** 404/410: the subscription is dead (Chrome says 404 where it means 410): delete it. */
  | { kind: 'gone'; status: number }
  /** 429: the push service wants us to wait for every subscription it serves. */
  | { kind: 'rate-limited'; retryAtMs: number }
  /** 5xx, or no connection at all: it certainly did not take the message; try again later. */
  | { kind: 'transient'; status?: number; message: string }
  /** The request may have reached the service (a timeout, a reset after sending): never sent again. */
  | { kind: 'unknown'; message: string }
  /** 400/401/403/413: this message will never be taken as it is (a bad key, a VAPID mismatch). */
  | { kind: 'refused'; status: number; message: string };

/** When a push service gives no Retry-After, wait this long. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: unknown, now: number): number {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' && typeof v !== 'number') return DEFAULT_RETRY_AFTER_MS;
  const s = String(v).trim();
  if (/^\d+$/.test(s)) return Math.min(Number(s) * 1000, 24 * 3_600_000);
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, Math.min(at - now, 24 * 3_600_000)) : DEFAULT_RETRY_AFTER_MS;
}

/** Socket errors that happen before a byte of the request left: the message was not taken. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

export function classifyPushAnswer(e: unknown, now: number): SendResult {
  const err = e as { statusCode?: number; headers?: Record<string, unknown>; body?: unknown; code?: string; message?: string };
  const status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
  const words = String(err?.body ?? err?.message ?? e).slice(0, 300);
  if (status === undefined) {
    if (err?.code && NOT_CONNECTED.has(err.code)) return { kind: 'transient', message: `${err.code}: ${words}` };
    return { kind: 'unknown', message: err?.code ? `${err.code}: ${words}` : words };
  }
  if (status >= 200 && status < 300) return { kind: 'accepted' };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 429) return { kind: 'rate-limited', retryAtMs: now + retryAfterMs(err.headers?.['retry-after'], now) };
  if (status >= 500) return { kind: 'transient', status, message: words };
  return { kind: 'refused', status, message: words };
}
