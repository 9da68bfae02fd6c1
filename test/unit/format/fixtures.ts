// SPDX-License-Identifier: EUPL-1.2
/** Publisher and offer fixtures for the format tests, parsed through the real config schema. */
import { publisherSchema, type PublisherConfig } from '../../../src/config/schema.ts';
import type { JobOffer } from '../../../src/domain/offer.ts';

export function publisher(overrides: Record<string, unknown> = {}, channels: Record<string, unknown> = {}): PublisherConfig {
  return publisherSchema.parse({
    id: 'pescara',
    name: 'Provincia di Pescara',
    feeds: [{ url: 'http://127.0.0.1:1/offerte.xml' }],
    channels: {
      twitter: { appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'x', ...(channels.twitter as object ?? {}) },
      facebook: { pageId: '123', pageAccessToken: 'p', ...(channels.facebook as object ?? {}) },
    },
    ...overrides,
  });
}

export function offer(overrides: Partial<JobOffer> = {}): JobOffer {
  return {
    publisherId: 'pescara',
    sourceId: 'PE-2026-00123',
    key: 'pe202600123',
    url: 'https://lavoro.provincia.pescara.it/offerte/PE-2026-00123',
    title: 'Operaio/a addetto/a al confezionamento',
    text: 'Azienda alimentare cerca operaio/a per il reparto confezionamento. Si richiede disponibilità su turni.',
    location: 'Montesilvano',
    province: 'PE',
    employer: 'Conserve Adriatiche srl',
    contract: 'Tempo determinato 6 mesi',
    hours: 'Full time, 40 ore settimanali',
    positions: 2,
    code: 'PE-2026-00123',
    validThrough: '2026-12-15T22:59:59.000Z',
    contentHash: 'abc',
    feedUrl: 'http://127.0.0.1:1/offerte.xml',
    ...overrides,
  };
}
