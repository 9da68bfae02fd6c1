// SPDX-License-Identifier: EUPL-1.2
/**
 * Every dashboard page, in every state worth checking, in one list: the accessibility test opens each
 * one and runs axe-core on it. A new page gets its line here (and the route test in
 * accessibility.test.ts fails until it does).
 *
 * `as` is who opens it: `anonymous` (a fresh browser), `admin` (the legacy admin) or `pescara` (an
 * operator of one office, for the pages another office's data gets).
 */
import type { Page } from 'playwright-core';
import { PASSWORD, PEOPLE_PASSWORD, USER } from './fixture.ts';

export type Who = 'anonymous' | 'admin' | 'pescara' | 'viewer';
/**
 * Which dashboard serves the page: `it` (the default: Italian, password sign-in), `oidc` (also the office's
 * identity provider, so the login page has both ways and the provider's pages exist) or `en`.
 */
export type Site = 'it' | 'oidc' | 'en';

export interface PageCase {
  name: string;
  /** The route as fastify registers it (the route test checks each registered page route is here). */
  route: string;
  as: Who;
  /** `it` when absent. */
  site?: Site;
  /** The HTTP status the page answers with. */
  status: number;
  /** Opens the page (a plain navigation when absent). */
  open?: (page: Page, base: string) => Promise<void>;
  path?: string;
}

export const SIGN_IN = {
  admin: { user: USER, pass: PASSWORD },
  pescara: { user: 'maria.pescara', pass: PEOPLE_PASSWORD },
  viewer: { user: 'vera.lettrice', pass: PEOPLE_PASSWORD },
} as const;

export const PAGES: PageCase[] = [
  { name: 'login', route: '/login', as: 'anonymous', status: 200, path: '/login' },
  {
    name: 'login with an error', route: '/login', as: 'anonymous', status: 401,
    open: async (page, base) => {
      await page.goto(`${base}/login`);
      await page.locator('#username').fill(USER);
      await page.locator('#password').fill('sbagliata-del-tutto');
      await page.locator('form.login button[type="submit"]').click();
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'overview', route: '/', as: 'admin', status: 200, path: '/' },
  { name: 'overview after an action', route: '/', as: 'admin', status: 200, path: '/?msg=done' },
  { name: 'offers', route: '/offers', as: 'admin', status: 200, path: '/offers' },
  { name: 'offers, search results', route: '/offers', as: 'admin', status: 200, path: '/offers?search=cuoco' },
  { name: 'offers, nothing found', route: '/offers', as: 'admin', status: 200, path: '/offers?search=nessuna-offerta-cosi' },
  { name: 'one offer', route: '/offers/:publisher/:key', as: 'admin', status: 200, path: '/offers/pescara/d4e5f6' },
  { name: 'cancel confirmation', route: '/offers/:publisher/:key/cancel', as: 'admin', status: 200, path: '/offers/pescara/d4e5f6/cancel' },
  { name: 'failures', route: '/failures', as: 'admin', status: 200, path: '/failures' },
  { name: 'feeds', route: '/feeds', as: 'admin', status: 200, path: '/feeds' },
  { name: 'audit', route: '/audit', as: 'admin', status: 200, path: '/audit' },
  { name: 'upload of XML files', route: '/upload', as: 'admin', status: 200, path: '/upload' },
  { name: 'upload for one office\'s operator', route: '/upload', as: 'pescara', status: 200, path: '/upload' },
  { name: 'offer not found (404)', route: '/offers/:publisher/:key', as: 'admin', status: 404, path: '/offers/pescara/nessuna' },
  { name: 'no such page (404)', route: '*', as: 'admin', status: 404, path: '/pagina-che-non-esiste' },
  { name: 'another office\'s offer (403)', route: '/offers/:publisher/:key', as: 'pescara', status: 403, path: '/offers/teramo/t7e8r9' },
  { name: 'bull-board for an operator (403)', route: '/queues', as: 'pescara', status: 403, path: '/queues' },
  { name: 'overview for a viewer (no actions)', route: '/', as: 'viewer', status: 200, path: '/' },
  { name: 'failures for a viewer', route: '/failures', as: 'viewer', status: 200, path: '/failures' },
  { name: 'login with the identity provider and a password', route: '/login', site: 'oidc', as: 'anonymous', status: 200, path: '/login' },
  // Reached without a sign-in in progress: the page that says the provider's answer was refused.
  { name: 'identity provider\'s answer refused', route: '/login/oidc/callback', site: 'oidc', as: 'anonymous', status: 400, path: '/login/oidc/callback?code=x&state=y' },
  { name: 'login, in English', route: '/login', site: 'en', as: 'anonymous', status: 200, path: '/login' },
  { name: 'overview, in English', route: '/', site: 'en', as: 'admin', status: 200, path: '/' },
  { name: 'one offer, in English', route: '/offers/:publisher/:key', site: 'en', as: 'admin', status: 200, path: '/offers/pescara/a1b2c3' },
];

/** The dashboards' settings for each site (beyond the fixture's: people from fixture.ts are always there). */
export const SITES: Record<Site, { language: 'it' | 'en'; oidc?: boolean }> = { it: { language: 'it' }, oidc: { language: 'it', oidc: true }, en: { language: 'en' } };

/**
 * GET routes that are not pages of ours: data, files, redirects, bull-board's own UI (a third-party
 * bundle; its 403 page for non-admins is in PAGES).
 */
export const NOT_PAGES = [/^\/api\//, /^\/assets\//, /^\/queues\//, /^\/(healthz|readyz|metrics|favicon\.ico)$/, /^\/login\/oidc$/];
