// SPDX-License-Identifier: EUPL-1.2
/**
 * The upload of XML files in the dashboard, for operators (and admins) within their offices: the same
 * path as the inbox (src/sources/document.ts), audited. Files come as `application/xml` bodies, one per
 * request (from assets/upload.js: @fastify/multipart is not among the dependencies, and one file per
 * request keeps each answer about one file), or as a pasted document in an ordinary form. The access
 * rules (session, origin, CSRF in the X-CSRF-Token header or the _csrf field) run before these routes.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublisherConfig } from '../../config/schema.ts';
import type { IntakeDeps } from '../../sources/intake.ts';
import { takeDocument, type DocumentResult } from '../../sources/document.ts';
import { OutOfScopeError, assertMayAct, sees } from '../../state/scope.ts';
import { actorOf, opOf, pageContext, str, type RouteDeps } from './context.ts';
import { uploadPage } from '../views/upload.ts';
import { layout } from '../views/layout.ts';
import { html } from '../../web/html.ts';

export interface UploadDeps {
  publishers: readonly PublisherConfig[];
  intake: IntakeDeps;
  now: () => number;
  maxBytes: number;
}

const HTML = 'text/html; charset=utf-8';
const script = readFileSync(new URL('../assets/upload.js', import.meta.url), 'utf8');
/** A file name as the operator sees it in the results and the audit log: its last part, printable, bounded. */
const cleanName = (v: unknown) => (str(v) ?? 'documento.xml').split(/[\\/]/).pop()!.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'documento.xml';

export async function registerUpload(app: FastifyInstance, d: RouteDeps, u: UploadDeps): Promise<void> {
  app.get('/assets/upload.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(script));
  const actable = (req: FastifyRequest) => {
    const scope = opOf(req).scope;
    return scope.mayAct ? d.publishers.filter((p) => sees(scope, p.id)) : [];
  };
  app.get('/upload', async (req, reply) => reply.type(HTML).send(uploadPage(pageContext(req, d), actable(req), str((req.query as Record<string, unknown>).publisher))));

  /** Takes one document for the publisher, audited; 403 outside the caller's offices or for a viewer. */
  async function take(req: FastifyRequest, publisher: string, name: string, body: Buffer): Promise<{ status: number; result?: DocumentResult }> {
    const actor = actorOf(req);
    const pub = u.publishers.find((p) => p.id === publisher);
    try { assertMayAct(opOf(req).scope, publisher); } catch (e) {
      if (!(e instanceof OutOfScopeError)) throw e;
      await actor.operator.recordAudit({ at: Date.now(), who: actor.name, via: actor.via, action: 'upload', target: `${publisher}/${name}`, result: 'denied', ...(pub ? { publisher } : {}) });
      return { status: 403 };
    }
    if (!pub) return { status: 404 };
    const result = await takeDocument(u.intake, pub, body, { docUrl: `file:///upload/${encodeURIComponent(name)}`, linkTemplate: pub.inbox?.link ?? pub.api?.link, now: u.now(), maxBytes: u.maxBytes });
    const counts = result.offers.reduce<Record<string, number>>((a, o) => { a[o.became] = (a[o.became] ?? 0) + 1; return a; }, {});
    await actor.operator.recordAudit({
      at: Date.now(), who: actor.name, via: actor.via, action: 'upload', target: `${publisher}/${name}`, publisher,
      result: result.verdict === 'done' ? 'ok' : 'error',
      detail: Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(', ') || result.verdict,
      count: counts.new ?? 0,
    });
    return { status: 200, result };
  }

  await app.register(async (scope) => {
    scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit: u.maxBytes }, (_req, body, done) => done(null, body));
    // One file, raw (the page's script).
    scope.post<{ Params: { publisher: string } }>('/actions/upload/:publisher', { bodyLimit: u.maxBytes }, async (req, reply: FastifyReply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const r = await take(req, req.params.publisher, cleanName((req.query as Record<string, unknown>).name), body);
      if (!r.result) return reply.code(r.status).send({ error: r.status === 403 ? d.i18n.t('forbiddenAction') : d.i18n.t('notFound') });
      return reply.header('cache-control', 'no-store').send(r.result);
    });
    // A pasted document (the form without JavaScript).
    scope.post<{ Body: Record<string, unknown> }>('/actions/upload', { bodyLimit: u.maxBytes }, async (req, reply) => {
      const publisher = str(req.body?.publisher) ?? '';
      const name = cleanName(req.body?.name);
      const r = await take(req, publisher, name, Buffer.from(str(req.body?.document) ?? '', 'utf8'));
      const ctx = pageContext(req, d);
      if (!r.result) return reply.code(r.status).type(HTML).send(layout(ctx, d.i18n.t('sources_uploadTitle'), html`<p>${r.status === 403 ? d.i18n.t('forbiddenAction') : d.i18n.t('notFound')}</p>`));
      return reply.type(HTML).send(uploadPage(ctx, actable(req), publisher, [{ file: name, result: r.result }]));
    });
  });
}
