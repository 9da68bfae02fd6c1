// SPDX-License-Identifier: EUPL-1.2
/** The OpenAPI 3.1 document of the offers API, served at /api/v1/openapi.json (no secrets: just the shapes). */

const problem = {
  type: 'object', required: ['path', 'message'],
  properties: { path: { type: 'string', description: "The element at fault (e.g. Vacancy/DatiSistema/codiceofferta); '' for the whole body." }, message: { type: 'string', description: 'In Italian.' }, offer: { type: 'integer', description: 'The offer (1 = first of the document).' } },
};
const outcome = {
  type: 'object', required: ['offer', 'became'],
  properties: {
    offer: { type: 'integer' }, code: { type: 'string' }, key: { type: 'string' }, title: { type: 'string' },
    became: { type: 'string', enum: ['new', 'known', 'correction', 'closed', 'rejected'] },
    reason: { type: 'string' }, problems: { type: 'array', items: { $ref: '#/components/schemas/Problem' } },
  },
};
const answer = { type: 'object', properties: { offers: { type: 'array', items: { $ref: '#/components/schemas/Outcome' } }, problems: { type: 'array', items: { $ref: '#/components/schemas/Problem' } } } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } } });
const publisher = { name: 'publisher', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]+$' }, description: 'The publisher id (publishers[].id).' };

export function offersApiDocument(serverUrl?: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Banditore offers API', version: '1', description: "Push job offers for one publisher (an employment office's own IT). Each offer is posted once; the same request twice is harmless." },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'One of publishers[].api.tokens of this publisher.' } },
      schemas: { Problem: problem, Outcome: outcome, Answer: answer },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/publishers/{publisher}/offers': {
        post: {
          summary: 'Push one document of offers',
          description: 'A schema.org JobPosting (JSON or JSON-LD), or a ClicLavoro Vacancy, MyPortal Vacancy or HR-Open PositionOpening XML document. The format is judged by the content.',
          parameters: [publisher],
          requestBody: {
            required: true,
            content: {
              'application/ld+json': { schema: { type: 'object', description: 'schema.org JobPosting' } },
              'application/json': { schema: { type: 'object', description: 'schema.org JobPosting' } },
              'application/xml': { schema: { type: 'string' } },
              'text/xml': { schema: { type: 'string' } },
            },
          },
          responses: {
            201: json('At least one offer is new: its posts are queued.'),
            200: json('Every offer was known: unchanged, corrected (posts edited where the network can) or closed.'),
            400: json('The body is not a document of offers.'),
            401: { description: 'No valid token of this publisher.' },
            404: { description: 'No such publisher, or it does not take offers through the API.' },
            413: { description: 'The body is too large.' },
            422: json('A document of offers, but none of them can be used (no identity, no link, bad dates…).'),
          },
        },
      },
      '/api/v1/publishers/{publisher}/offers/{code}': {
        delete: {
          summary: 'Withdraw one offer: its posts close',
          parameters: [publisher, { name: 'code', in: 'path', required: true, schema: { type: 'string' }, description: "The offer's identity (codiceofferta, DocumentID, the JobPosting identifier)." }],
          responses: { 200: json('Closed (or closed already).'), 401: { description: 'No valid token of this publisher.' }, 404: json('No such offer.') },
        },
      },
    },
  };
}
