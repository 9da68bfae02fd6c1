// SPDX-License-Identifier: EUPL-1.2
/** The one CSS and one JS file, read once at start. Open to everyone: they hold no data. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const dir = new URL('../assets/', import.meta.url);

export function registerAssets(app: FastifyInstance): void {
  const css = readFileSync(new URL('dashboard.css', dir), 'utf8');
  const js = readFileSync(new URL('dashboard.js', dir), 'utf8');
  app.get('/assets/dashboard.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(css));
  // Browsers ask for it on every page; an empty answer keeps 404s out of their consoles.
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).header('Cache-Control', 'public, max-age=86400').send());
  app.get('/assets/dashboard.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(js));
}
