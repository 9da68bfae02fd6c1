// SPDX-License-Identifier: EUPL-1.2
/**
 * publiccode.yml, for the Developers Italia catalogue (standard version 0.5): every mandatory key is
 * there with an allowed value, the descriptions fit their lengths (short ≤ 150 characters on one line,
 * long 150–10,000), both languages are described, and the licence is the one the package declares.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const doc = parse(readFileSync(`${ROOT}publiccode.yml`, 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { license: string };

/** Every top-level key of the 0.5 standard (core and country sections): anything else is a typo. */
const KNOWN_KEYS = new Set([
  'publiccodeYmlVersion', 'name', 'applicationSuite', 'url', 'landingURL', 'isBasedOn', 'softwareVersion', 'releaseDate',
  'logo', 'monochromeLogo', 'inputTypes', 'outputTypes', 'platforms', 'categories', 'usedBy', 'roadmap',
  'developmentStatus', 'softwareType', 'intendedAudience', 'description', 'legal', 'maintenance', 'localisation',
  'dependsOn', 'organisation', 'fundedBy', 'it', 'IT',
]);

describe('publiccode.yml', () => {
  it('has every mandatory key with an allowed value', () => {
    expect(doc.publiccodeYmlVersion).toBe('0.5');
    expect(doc.name).toBe('Banditore');
    expect(doc.url).toMatch(/^https:\/\/\S+$/);
    expect(doc.platforms).toContain('web');
    expect(['concept', 'development', 'beta', 'stable', 'obsolete']).toContain(doc.developmentStatus);
    expect(doc.softwareType).toBe('standalone/web');
    expect(doc.legal?.license).toBe('EUPL-1.2');
    expect(doc.legal.license).toBe(pkg.license);
    expect(doc.maintenance?.type).toBe('community');
    // internal and community maintenance need contacts, each a named person.
    expect(doc.maintenance.contacts?.length).toBeGreaterThan(0);
    for (const c of doc.maintenance.contacts) expect(typeof c.name === 'string' && c.name.trim().length > 0).toBe(true);
    expect(doc.localisation?.localisationReady).toBe(true);
    expect(doc.localisation.availableLanguages).toEqual(['it', 'en']);
    expect(Object.keys(doc).filter((k) => !KNOWN_KEYS.has(k))).toEqual([]);
  });

  it.each(['it', 'en'])('describes the software in %s within the lengths the catalogue allows', (lang) => {
    const d = doc.description?.[lang];
    expect(d, `description.${lang}`).toBeDefined();
    expect(typeof d.shortDescription).toBe('string');
    expect(d.shortDescription.trim().length).toBeGreaterThan(0);
    expect(d.shortDescription.length).toBeLessThanOrEqual(150);
    expect(d.shortDescription).not.toContain('\n');
    expect(d.longDescription.length).toBeGreaterThanOrEqual(150);
    expect(d.longDescription.length).toBeLessThanOrEqual(10_000);
    expect(Array.isArray(d.features) && d.features.length > 0).toBe(true);
    for (const f of d.features) expect(typeof f).toBe('string');
  });
});
