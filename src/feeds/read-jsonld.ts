// SPDX-License-Identifier: EUPL-1.2
/** schema.org JobPosting nodes → RawItem (see feeds.md §2 for the field mapping). */
import type { ItemProblem, RawItem } from './raw-item.ts';
import type { Salary } from '../domain/offer.ts';
import { isRecord } from './json-safe.ts';
import { contractWord } from './contract.ts';

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function text(v: unknown): string | undefined {
  v = first(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  // Localized values: {"@value": "...", "@language": "it"}
  if (isRecord(v)) return text(v['@value']);
  return undefined;
}

function identifierValue(v: unknown): string | undefined {
  v = first(v);
  if (isRecord(v)) return text(v['value']) ?? text(v['@value']) ?? text(v['name']);
  return text(v);
}

function address(posting: Record<string, unknown>): { locality?: string; region?: string } {
  const loc = first(posting['jobLocation']);
  if (!isRecord(loc)) return {};
  const addr = first(loc['address']);
  if (isRecord(addr)) return { locality: text(addr['addressLocality']), region: text(addr['addressRegion']) };
  return { locality: text(addr) ?? text(loc['name']) };
}

function employer(posting: Record<string, unknown>): string | undefined {
  const org = first(posting['hiringOrganization']);
  return isRecord(org) ? text(org['name']) ?? text(org['legalName']) : text(org);
}

function contract(posting: Record<string, unknown>): string | undefined {
  const t = posting['employmentType'];
  const values = (Array.isArray(t) ? t : [t]).map(text).filter((s): s is string => s !== undefined);
  return values.length ? [...new Set(values.map(contractWord))].join(', ') : undefined;
}

function positions(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  return Number.isInteger(n) && n > 0 && n < 1_000_000 ? n : undefined;
}

const UNITS: Record<string, Salary['unit']> = { YEAR: 'year', MONTH: 'month', WEEK: 'week', DAY: 'day', HOUR: 'hour' };

function amount(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 && n < 1e9 ? n : undefined;
}

/**
 * baseSalary: a MonetaryAmount whose value is a number or a QuantitativeValue (value, or minValue and
 * maxValue) with unitText YEAR/MONTH/WEEK/DAY/HOUR. The currency defaults to EUR (Italian offices).
 */
export function salaryOf(v: unknown, problems: ItemProblem[]): Salary | undefined {
  const money = first(v);
  if (money === undefined) return undefined;
  if (!isRecord(money)) {
    problems.push({ path: 'baseSalary', message: 'baseSalary non è un MonetaryAmount: retribuzione non indicata', level: 'warning' });
    return undefined;
  }
  const value = first(money['value']);
  const q = isRecord(value) ? value : undefined;
  const single = amount(q ? q['value'] : value);
  const min = amount(q?.['minValue']) ?? single;
  const max = amount(q?.['maxValue']) ?? single ?? min;
  const unitText = text(q?.['unitText']) ?? text(money['unitText']);
  const unit = unitText === undefined ? undefined : UNITS[unitText.trim().toUpperCase()];
  if (max === undefined || unit === undefined) {
    problems.push({ path: 'baseSalary', message: `baseSalary senza ${max === undefined ? 'importo' : 'unitText (YEAR, MONTH, HOUR…)'}: retribuzione non indicata`, level: 'warning' });
    return undefined;
  }
  const currency = (text(money['currency']) ?? 'EUR').trim().toUpperCase();
  return { currency: /^[A-Z]{3}$/.test(currency) ? currency : 'EUR', min: Math.min(min ?? max, max), max: Math.max(min ?? max, max), unit };
}

export function fromJobPosting(p: Record<string, unknown>, base: string): RawItem {
  const code = identifierValue(p['identifier']);
  const { locality, region } = address(p);
  const url = text(p['url']) ?? (typeof p['@id'] === 'string' && /^https?:/i.test(p['@id']) ? p['@id'] : undefined);
  const title = text(p['title']) ?? text(p['name']);
  const description = text(p['description']);
  const problems: ItemProblem[] = [];
  const salary = salaryOf(p['baseSalary'], problems);
  return {
    id: code,
    link: url,
    base,
    title: title === undefined ? undefined : { value: title, kind: 'html' },
    body: description === undefined ? undefined : { value: description, kind: 'html' },
    published: text(p['datePosted']),
    validThrough: text(p['validThrough']),
    categories: [],
    location: locality,
    province: region,
    employer: employer(p),
    contract: contract(p),
    hours: text(p['workHours']),
    positions: positions(first(p['totalJobOpenings'])),
    code,
    salary,
    problems,
    raw: { identifier: p['identifier'] === undefined ? undefined : code, employmentType: p['employmentType'] },
  };
}
