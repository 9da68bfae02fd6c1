// SPDX-License-Identifier: EUPL-1.2
/** `dashboard.users`, `oidc`, `metricsToken` and the session keys, validated once at start with messages naming the key. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';
import { hashPassword } from '../../../src/access/password-hash.ts';

const HASH = await hashPassword('una frase lunga per entrare');
const env = readEnvironment({ DASH_PW: 'dash-pass', METRICS: 'metrics-token-0123456789', OIDC_SECRET: 'client-secret-abc' } as NodeJS.ProcessEnv);

const config = (dashboard: string) => `
dashboard:
${dashboard}
publishers:
  - id: pescara
    name: Provincia di Pescara
    feeds: [{ url: https://www.example.it/offerte.xml }]
    channels:
      facebook: { pageId: "123", pageAccessToken: tok-123456 }
  - id: teramo
    name: CPI Teramo
    feeds: [{ url: https://www.example.it/teramo.xml }]
    channels:
      facebook: { pageId: "456", pageAccessToken: tok-654321 }
`;
const parse = (dashboard: string) => parseConfig(config(dashboard), { env, lang: 'en' });
const errorOf = (dashboard: string) => { try { parse(dashboard); return ''; } catch (e) { return (e as Error).message; } };
const user = (extra: string) => `  users:\n    - { name: maria, passwordHash: "${HASH}", ${extra} }`;

describe('people in the config', () => {
  it('reads users, roles, publishers, the legacy admin, the metrics token and the session lifetimes', () => {
    const { config: c, secrets } = parse(`  username: operator\n  password: \${DASH_PW}\n  metricsToken: \${METRICS}\n  idleTimeout: 20m\n  sessionMaxAge: 8h\n  trustProxy: true\n${user('role: operator, publishers: [pescara]')}\n    - { name: ada, passwordHash: "${HASH}", role: admin }`);
    expect(c.dashboard.users.map((u) => [u.name, u.role, u.publishers])).toEqual([['maria', 'operator', ['pescara']], ['ada', 'admin', undefined]]);
    expect(c.dashboard.idleTimeout).toBe(20 * 60_000);
    expect(c.dashboard.sessionMaxAge).toBe(8 * 3_600_000);
    expect(c.dashboard.trustProxy).toBe(true);
    expect(secrets).toEqual(expect.arrayContaining(['dash-pass', 'metrics-token-0123456789', HASH]));
  });

  it('has safe defaults: 30 minutes idle, 12 hours at most, no proxy trusted', () => {
    const { config: c } = parse(user('role: viewer, publishers: ["*"]'));
    expect([c.dashboard.idleTimeout, c.dashboard.sessionMaxAge, c.dashboard.trustProxy]).toEqual([30 * 60_000, 12 * 3_600_000, false]);
  });

  it('names the key of an unknown publisher, a duplicate name, a bad hash and a missing or misplaced publishers list', () => {
    expect(errorOf(user('role: operator, publishers: [pescara, chieti]'))).toContain('dashboard.users[0].publishers[1]: unknown publisher "chieti"');
    expect(errorOf(`  username: maria\n  password: x\n${user('role: viewer, publishers: [teramo]')}`)).toContain('dashboard.users[0].name: "maria" is used twice');
    expect(errorOf(`${user('role: viewer, publishers: [teramo]')}\n    - { name: maria, passwordHash: "${HASH}", role: operator, publishers: [pescara] }`)).toContain('dashboard.users[1].name: "maria" is used twice');
    expect(errorOf(`  users:\n    - { name: maria, passwordHash: "hunter2hunter2", role: viewer, publishers: [pescara] }`)).toContain('dashboard.users[0].passwordHash: is not a password hash (make one with `banditore hash-password`');
    expect(errorOf(user('role: operator'))).toContain('dashboard.users[0].publishers: is required for a operator');
    expect(errorOf(user('role: admin, publishers: [pescara]'))).toContain('dashboard.users[0].publishers: an admin sees every publisher');
    expect(errorOf(user('role: viewer, publishers: ["*", pescara]'))).toContain('"*" stands for every publisher: write it alone');
    expect(errorOf(user('role: boss, publishers: [pescara]'))).toContain('dashboard.users[0].role');
    expect(errorOf(user('role: viewer, publishers: [pescara], password: x'))).toContain('dashboard.users[0]: unknown key "password"');
  });

  it('needs somebody who can sign in, and a password with a username', () => {
    expect(errorOf('  host: 127.0.0.1')).toContain('dashboard: nobody could sign in');
    expect(errorOf('  username: operator')).toContain('dashboard.password: is required with dashboard.username');
    expect(errorOf(`  metricsToken: short\n${user('role: viewer, publishers: [pescara]')}`)).toContain('dashboard.metricsToken: must be at least 16 characters');
  });

  it('reads the identity provider with its defaults, and refuses plain http off this machine', () => {
    const { config: c, secrets } = parse('  oidc:\n    issuer: https://login.regione.example.it/realms/lavoro\n    clientId: banditore\n    clientSecret: ${OIDC_SECRET}');
    expect(c.dashboard.oidc).toEqual({ issuer: 'https://login.regione.example.it/realms/lavoro', clientId: 'banditore', clientSecret: 'client-secret-abc', scopes: 'openid profile email', roleClaim: 'banditore_role', publishersClaim: 'banditore_publishers' });
    expect(secrets).toContain('client-secret-abc');
    expect(errorOf('  oidc:\n    issuer: http://login.example.it\n    clientId: banditore')).toContain('dashboard.oidc.issuer: must be https');
    expect(errorOf('  oidc:\n    issuer: http://127.0.0.1:8080\n    clientId: banditore\n    scopes: profile email')).toContain('dashboard.oidc.scopes: must include openid');
  });
});
