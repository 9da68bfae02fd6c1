// SPDX-License-Identifier: EUPL-1.2
/**
 * The one message catalogue of the dashboard and the console (CLI), and how it is read: i18next picks
 * the plural form (Intl.PluralRules, plus a `_zero` form for "nessuna offerta"), fills `{name}`
 * placeholders, and times are written in the publisher's time zone ("1 dic 2026, 10:42").
 * Nothing here knows the dashboard or the CLI: both, and src/config's errors, come here for words.
 */
import i18next, { type i18n as I18nextInstance } from 'i18next';
import { it, type Catalog } from './it.ts';
import { en } from './en.ts';
import { itCli, type CliCatalog } from './it-cli.ts';
import { enCli } from './en-cli.ts';
import { definitionOf, isNetwork } from '../channels/registry.ts';

export type Language = 'it' | 'en';
export const LANGUAGES: readonly Language[] = ['it', 'en'];
export const DEFAULT_LANGUAGE: Language = 'it';
/** Offices are Italian: a time with no publisher behind it is read in Rome. */
export const DEFAULT_TIME_ZONE = 'Europe/Rome';

type PluralForm = 'zero' | 'one' | 'other';
/** `offersFound_one` and `offersFound_other` are both called as `offersFound`. */
type BaseKey<K> = K extends `${infer B}_${PluralForm}` ? B : K;
export type MessageKey = BaseKey<Extract<keyof Catalog | keyof CliCatalog, string>>;
/** @deprecated the dashboard's old name for MessageKey. */
export type CatalogKey = MessageKey;
export type { Catalog, CliCatalog };
export type Params = Record<string, string | number>;

export interface I18n {
  lang: Language;
  /** The message in this language; `n` in params is the number its plural form agrees with. */
  t: (key: MessageKey, params?: Params) => string;
  /** A message whose key is built at run time (a decision, a state, a network id): `fallback` when the catalogue has none. */
  tOr: (key: string, fallback: string, params?: Params) => string;
  /** Date and time, in `timeZone` (the publisher's) or Rome's: "1 dic 2026, 10:42"; "mai" for none. */
  time: (ms: number | undefined, timeZone?: string) => string;
  /** A network's name as operators know it ("X", "Facebook"), from its channel definition: the same in every language. */
  network: (id: string) => string;
  /** The IANA zone `time` uses when it is given none. */
  timeZone: string;
}

const resources = {
  it: { translation: { ...it, ...itCli } },
  en: { translation: { ...en, ...enCli } },
};

let engine: I18nextInstance | undefined;
/** One i18next instance for the process, made on first use; each language is a fixed `t` of it. */
function shared(): I18nextInstance {
  if (engine) return engine;
  const e = i18next.createInstance();
  void e.init({
    resources, lng: DEFAULT_LANGUAGE, fallbackLng: false, initAsync: false,
    // Keys are plain names: a '.' or ':' in a key is never a path or a namespace.
    keySeparator: false, nsSeparator: false,
    // Messages are text; the dashboard escapes what it puts into HTML, the CLI prints it as it is.
    interpolation: { prefix: '{', suffix: '}', escapeValue: false, skipOnVariables: true },
    returnNull: false, returnEmptyString: false,
  });
  engine = e;
  return e;
}

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(language: Language, timeZone: string): Intl.DateTimeFormat {
  const id = `${language}|${timeZone}`;
  let f = formats.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'it-IT', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone });
    formats.set(id, f);
  }
  return f;
}

export function createI18n(language: Language, opts: { timeZone?: string } = {}): I18n {
  const fixed = shared().getFixedT(language);
  const zone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const withCount = (params?: Params) => (params && params.n !== undefined && params.count === undefined ? { ...params, count: Number(params.n) } : params ?? {});
  const exists = (key: string) => shared().exists(key, { lng: language });
  return {
    lang: language,
    t: (key, params) => fixed(key, withCount(params)),
    tOr: (key, fallback, params) => (exists(key) || exists(`${key}_other`) ? fixed(key, withCount(params)) : fallback),
    time: (ms, timeZone) => (ms === undefined || !Number.isFinite(ms) || ms <= 0 ? fixed('never') : dateFormat(language, timeZone ?? zone).format(new Date(ms))),
    network: (id) => (isNetwork(id) ? definitionOf(id).label : id),
    timeZone: zone,
  };
}
