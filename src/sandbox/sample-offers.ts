// SPDX-License-Identifier: EUPL-1.2
/**
 * Demo data: realistic job offers of the Pescara area, as a Centro per l'Impiego would publish them.
 * Used by the demo feed server (feed-server.ts), the demo command and tests. Fictional employers;
 * real places of the province (PE). Anonymous offers have no employer, as CPIs often publish them.
 */
import { DateTime } from 'luxon';
import seeds from './sample-offers.json' with { type: 'json' };

export type EmploymentType = 'FULL_TIME' | 'PART_TIME' | 'TEMPORARY' | 'INTERN' | 'OTHER';

export interface SampleOfferSeed {
  title: string;
  location: string;
  employer?: string;
  contract: string;
  employmentType: EmploymentType;
  hours: string;
  positions: number;
  /** Days from publication to the deadline (scadenza). */
  validDays: number;
  description: string;
}

/** A seed once published: code, dates and link fixed. */
export interface SampleOffer extends SampleOfferSeed {
  code: string;
  province: 'PE';
  region: 'Abruzzo';
  /** Epoch ms of publication. */
  datePosted: number;
  /** Epoch ms of the deadline: the end of that day in Rome, as offices mean "scade il 15/12". */
  validThrough: number;
  url: string;
}

// The offers themselves are data, kept beside this file in sample-offers.json.
export const SAMPLE_OFFER_SEEDS: readonly SampleOfferSeed[] = seeds as SampleOfferSeed[];

/** Codes look like the office's own: PE-2026-00123. */
export function sampleCode(index: number): string {
  return `PE-2026-${String(123 + index).padStart(5, '0')}`;
}

/**
 * The `index`-th offer the demo office publishes (after the seeds run out they come round again with
 * new codes, as offices re-issue offers), published at `postedMs`, linked under `baseUrl`.
 */
export function makeSampleOffer(index: number, postedMs: number, baseUrl: string): SampleOffer {
  const seed = SAMPLE_OFFER_SEEDS[index % SAMPLE_OFFER_SEEDS.length]!;
  const code = sampleCode(index);
  const validThrough = DateTime.fromMillis(postedMs, { zone: 'Europe/Rome' }).plus({ days: seed.validDays }).endOf('day').toMillis();
  return {
    ...seed,
    code,
    province: 'PE',
    region: 'Abruzzo',
    datePosted: postedMs,
    validThrough,
    url: `${baseUrl.replace(/\/$/, '')}/offerte/${code}`,
  };
}
