// SPDX-License-Identifier: EUPL-1.2
/**
 * What the app's subscribe and unsubscribe requests must look like. Strict: unknown keys are refused;
 * the endpoint is an https URL on a known push service (we POST to it: no other address may get in),
 * p256dh a 65-byte uncompressed P-256 point and auth a 16-byte secret, both base64url (RFC 8291 §3).
 */
import { z } from 'zod';
import { preferencesSchema } from '../audience/preferences.ts';

const b64u = (bytes: number, first?: number) => z.string().max(200).refine((v) => {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(v)) return false;
  const raw = Buffer.from(v.replace(/=+$/, ''), 'base64url');
  return raw.length === bytes && (first === undefined || raw[0] === first);
}, `must be ${bytes} bytes in base64url`);

export function endpointSchema(hosts: readonly string[]) {
  return z.string().max(1024).refine((v) => {
    let u: URL;
    try { u = new URL(v); } catch { return false; }
    if (u.protocol !== 'https:' || u.username || u.password || u.hash) return false;
    const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    return hosts.some((h) => { const allowed = h.toLowerCase().replace(/^\[|\]$/g, ''); return host === allowed || host.endsWith(`.${allowed}`); });
  }, 'must be an https URL of a known push service');
}

export function subscribeSchema(hosts: readonly string[]) {
  return z.strictObject({
    subscription: z.strictObject({
      endpoint: endpointSchema(hosts),
      expirationTime: z.number().nullable().optional(),
      keys: z.strictObject({ p256dh: b64u(65, 4), auth: b64u(16) }),
    }),
    preferences: preferencesSchema.default({ places: [], contracts: [], words: [] }),
  });
}

export function unsubscribeSchema(hosts: readonly string[]) {
  return z.strictObject({ endpoint: endpointSchema(hosts) });
}

/** The first problem, short and without echoing the input. */
export function firstProblem(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.join('.') || '(body)'} ${i.message}` : 'invalid';
}
