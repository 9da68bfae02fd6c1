// SPDX-License-Identifier: EUPL-1.2
/**
 * Sign-in with the office's identity provider: OpenID Connect, authorization code with PKCE, through
 * openid-client (a certified relying party). SPID and CIE reach us the same way, through a broker that
 * speaks plain OIDC to us (Keycloak with the SPID provider, or the spid-cie-oidc gateway): we implement
 * plain OIDC, not OpenID Federation.
 *
 * The sign-in in progress (state, nonce, PKCE verifier, where to go next) lives in Redis under the
 * hash of a random cookie, for 10 minutes and one use, so the provider may send the browser back to any
 * dashboard process. The ID token is checked by openid-client (issuer, audience, signature, expiry,
 * nonce; the state and the code's PKCE binding); the role and the offices come from two claims.
 */
import * as client from 'openid-client';
import type { RedisClient } from '../../redis/connection.ts';
import type { Keys } from '../../redis/keys.ts';
import type { Config, RoleName } from '../../config/schema.ts';
import { ROLES } from '../../config/schema.ts';
import type { Person } from '../../access/people.ts';
import { hashId, randomToken } from './sessions.ts';

export type OidcConfig = NonNullable<Config['dashboard']['oidc']>;

export const OIDC_COOKIE = 'banditore_oidc';
export const CALLBACK_PATH = '/login/oidc/callback';
const PENDING_MS = 10 * 60_000;

interface Pending { state: string; nonce: string; verifier: string; next: string; redirectUri: string }

export type Outcome =
  | { ok: true; person: Person; next: string }
  | { ok: false; reason: 'expired' | 'refused' | 'unavailable'; detail: string }
  | { ok: false; reason: 'no-role'; detail: string; name: string };

/** A claim by dotted path (`realm_access.roles` in Keycloak). */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let v: unknown = claims;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : [];

/**
 * Role and offices from the claims. A list of roles gives the highest it holds; unknown publisher ids
 * are dropped; a viewer or operator with no known office, or nobody with a role, is refused.
 */
export function personFromClaims(claims: Record<string, unknown>, cfg: Pick<OidcConfig, 'roleClaim' | 'publishersClaim'>, known: Set<string>): Person | { refused: string; name: string } {
  const name = [claims.preferred_username, claims.email, claims.sub].find((v): v is string => typeof v === 'string' && v.length > 0)?.slice(0, 128) ?? '?';
  const roles = asList(claimAt(claims, cfg.roleClaim)).filter((r): r is RoleName => (ROLES as readonly string[]).includes(r));
  const role = [...ROLES].reverse().find((r) => roles.includes(r));
  if (!role) return { refused: `no role in claim ${cfg.roleClaim}`, name };
  if (role === 'admin') return { name, role, publishers: '*', source: 'oidc' };
  const listed = asList(claimAt(claims, cfg.publishersClaim));
  if (listed.includes('*')) return { name, role, publishers: '*', source: 'oidc' };
  const publishers = listed.filter((p) => known.has(p));
  if (!publishers.length) return { refused: `no known publisher in claim ${cfg.publishersClaim}`, name };
  return { name, role, publishers: Object.freeze([...new Set(publishers)]), source: 'oidc' };
}

export class OidcSignIn {
  private configuration?: Promise<client.Configuration>;

  constructor(private readonly cfg: OidcConfig, private readonly redis: RedisClient, private readonly keys: Keys, private readonly known: Set<string>) {}

  /** Discovery is lazy and retried: a provider that is down at start must not keep the dashboard down. */
  private discover(): Promise<client.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.cfg.issuer);
      const auth = this.cfg.clientSecret ? client.ClientSecretPost(this.cfg.clientSecret) : client.None();
      return client.discovery(issuer, this.cfg.clientId, this.cfg.clientSecret ? { client_secret: this.cfg.clientSecret } : undefined, auth, {
        timeout: 10,
        // Plain http is allowed by the config only for a provider on this machine (tests, a local broker).
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      });
    })().catch((e) => { this.configuration = undefined; throw e; });
    return this.configuration;
  }

  /** Starts a sign-in: returns where to send the browser and the cookie that ties the answer to it. */
  async start(redirectUri: string, next: string): Promise<{ url: string; cookie: string }> {
    const config = await this.discover();
    const pending: Pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next, redirectUri };
    const cookie = randomToken();
    await this.redis.set(this.keys.oidcPending(hashId(cookie)), JSON.stringify(pending), 'PX', PENDING_MS);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: this.cfg.scopes, state: pending.state, nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier), code_challenge_method: 'S256',
    });
    return { url: url.href, cookie };
  }

  /** Finishes a sign-in from the provider's answer (the callback's query string). One use per start. */
  async finish(cookie: string | undefined, query: string): Promise<Outcome> {
    if (!cookie || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) return { ok: false, reason: 'expired', detail: 'no sign-in in progress' };
    const raw = await this.redis.getdel(this.keys.oidcPending(hashId(cookie)));
    if (!raw) return { ok: false, reason: 'expired', detail: 'no sign-in in progress' };
    const pending = JSON.parse(raw) as Pending;
    let config: client.Configuration;
    try { config = await this.discover(); } catch (e) { return { ok: false, reason: 'unavailable', detail: (e as Error).message }; }
    let claims: Record<string, unknown>;
    try {
      const current = new URL(pending.redirectUri);
      current.search = query;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) } as Record<string, unknown>;
      // Providers that follow OIDC Core keep scope claims out of the ID token when they issue an access
      // token: ask the userinfo endpoint for the role and offices then.
      if ((claimAt(claims, this.cfg.roleClaim) === undefined || claimAt(claims, this.cfg.publishersClaim) === undefined) && config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims };
      }
    } catch (e) {
      return { ok: false, reason: 'refused', detail: describe(e) };
    }
    const person = personFromClaims(claims, this.cfg, this.known);
    if ('refused' in person) return { ok: false, reason: 'no-role', detail: person.refused, name: person.name };
    return { ok: true, person, next: pending.next };
  }
}

/** A short, secret-free reason for the sign-in failures log (never a token or a code): the error and its causes. */
function describe(e: unknown): string {
  const err = e as { code?: string; error?: string };
  const parts: string[] = [];
  let claim: string | undefined;
  let c: unknown = e;
  for (let depth = 0; c && typeof c === 'object' && depth < 4; depth++) {
    const x = c as { message?: unknown; claim?: unknown; cause?: unknown };
    if (typeof x.message === 'string' && x.message && !parts.includes(x.message)) parts.push(x.message);
    if (typeof x.claim === 'string') claim ??= x.claim;
    c = x.cause;
  }
  const text = `${err.error ?? err.code ?? 'error'}: ${parts.join(' – ')}${claim ? ` (claim ${claim})` : ''}`;
  return text.replace(/[A-Za-z0-9_-]{20,}/g, '…').slice(0, 300);
}
