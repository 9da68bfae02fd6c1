/** Picks the catalog for `dashboard.language` and formats `{name}` placeholders. */
import { it, type Catalog, type CatalogKey } from './it.ts';
import { en } from './en.ts';

export type { Catalog, CatalogKey };

export interface I18n {
  t: (key: CatalogKey, params?: Record<string, string | number>) => string;
  lang: string;
  /** Locale-formatted date and time (Europe/Rome: the offices are Italian). */
  time: (ms: number | undefined) => string;
  /** The IANA zone `time` uses. */
  timeZone: string;
}

export function fmt(s: string, params: Record<string, string | number> = {}): string {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function createI18n(language: 'it' | 'en', timeZone = 'Europe/Rome'): I18n {
  const cat: Catalog = language === 'en' ? en : it;
  const df = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'it-IT', { dateStyle: 'short', timeStyle: 'medium', timeZone });
  return {
    lang: cat.lang,
    timeZone,
    t: (key, params) => fmt(cat[key], params),
    time: (ms) => (ms === undefined ? cat.never : df.format(new Date(ms))),
  };
}
