/** Picks the catalog for `dashboard.language` and formats `{name}` placeholders. */
import { it, type Catalog, type CatalogKey } from './it.ts';
import { en } from './en.ts';
import { definitionOf, isNetwork } from '../../channels/registry.ts';

export type { Catalog, CatalogKey };

export interface I18n {
  t: (key: CatalogKey, params?: Record<string, string | number>) => string;
  lang: string;
  /** Locale-formatted date and time (Europe/Rome: the offices are Italian). */
  time: (ms: number | undefined) => string;
  /** A network's name as operators know it ("X", "Facebook"): the same in every language. */
  network: (id: string) => string;
}

export function fmt(s: string, params: Record<string, string | number> = {}): string {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function createI18n(language: 'it' | 'en'): I18n {
  const cat: Catalog = language === 'en' ? en : it;
  const df = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Rome' });
  return {
    lang: cat.lang,
    t: (key, params) => fmt(cat[key], params),
    time: (ms) => (ms === undefined ? cat.never : df.format(new Date(ms))),
    network: (id) => (isNetwork(id) ? definitionOf(id).label : id),
  };
}
