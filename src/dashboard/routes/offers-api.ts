// SPDX-License-Identifier: EUPL-1.2
/**
 * The offers API on the dashboard's server, outside the operators' sign-in (its prefix is left open by
 * the access rules): each publisher's own Bearer tokens (`publishers[].api.tokens`), bodies read raw
 * (any content type: the format is judged by the content) up to `api.maxBytes`. Tokens never reach a
 * log line: requests are not logged, and config secrets are scrubbed by value anyway.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublisherConfig } from '../../config/schema.ts';
import type { IntakeDeps } from '../../sources/intake.ts';
import { pushDocument, tokenAllowed, withdrawByApi, type ApiAnswer } from '../../sources/offers-api.ts';
import { offersApiDocument } from '../../sources/openapi.ts';
import { parseBearer } from '../security/credentials.ts';
import { createI18n } from '../../i18n/index.ts';

export const OFFERS_API_PREFIX = '/api/v1/';

export interface OffersApiDeps {
  publishers: readonly PublisherConfig[];
  intake: IntakeDeps;
  now: () => number;
  publicUrl?: string;
}

const t = createI18n('it').t;

export async function registerOffersApi(app: FastifyInstance, d: OffersApiDeps): Promise<void> {
  const byId = new Map(d.publishers.filter((p) => p.api).map((p) => [p.id, p]));
  const limit = Math.max(1024, ...[...byId.values()].map((p) => p.api!.maxBytes));
  await app.register(async (scope) => {
    // Raw bytes whatever the content type: a JobPosting or an XML document, judged by what it is.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
      if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ problems: [{ path: '', message: t('sources_apiTooLarge', { max: limit }) }] });
      if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ problems: [{ path: '', message: err.message }] });
      _req.log.error({ err }, 'offers API request failed');
      return reply.code(500).send({ problems: [{ path: '', message: t('serverError') }] });
    });

    const allowed = async (req: FastifyRequest, reply: FastifyReply): Promise<PublisherConfig | undefined> => {
      const pub = byId.get((req.params as { publisher: string }).publisher);
      if (!pub) { await reply.code(404).send({ problems: [{ path: 'publisher', message: t('sources_apiNoPublisher') }] }); return undefined; }
      if (!tokenAllowed(pub, parseBearer(req.headers.authorization))) {
        await reply.code(401).header('www-authenticate', 'Bearer realm="banditore"').send({ problems: [{ path: 'Authorization', message: t('sources_apiUnauthorized') }] });
        return undefined;
      }
      return pub;
    };
    const send = (reply: FastifyReply, a: ApiAnswer) => reply.code(a.status).header('cache-control', 'no-store').send(a.body);

    scope.get('/api/v1/openapi.json', async () => offersApiDocument(d.publicUrl));
    // Auth before the body is read: a stranger's upload is refused without being buffered.
    scope.post('/api/v1/publishers/:publisher/offers', {
      onRequest: async (req, reply) => { const pub = await allowed(req, reply); if (pub) (req as { pushFor?: PublisherConfig }).pushFor = pub; },
    }, async (req, reply) => {
      const pub = (req as { pushFor?: PublisherConfig }).pushFor!;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (body.length > pub.api!.maxBytes) return send(reply, { status: 413, body: { problems: [{ path: '', message: t('sources_apiTooLarge', { max: pub.api!.maxBytes }) }] } });
      return send(reply, await pushDocument(d.intake, pub, body, req.headers['content-type'], d.now()));
    });
    scope.delete('/api/v1/publishers/:publisher/offers/:code', async (req, reply) => {
      const pub = await allowed(req, reply);
      if (!pub) return reply;
      return send(reply, await withdrawByApi(d.intake, pub, (req.params as { code: string }).code, d.now()));
    });
  });
}
