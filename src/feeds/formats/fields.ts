// SPDX-License-Identifier: EUPL-1.2
/**
 * Reading one offer element of a standard's XML while collecting what is wrong with it, each problem
 * naming its element by path ("Vacancy/DatiSistema/codiceofferta mancante"), in Italian, so that the
 * inbox can write it in NAME.reason.txt and the API can answer 422 with the list.
 */
import type { ItemProblem } from '../raw-item.ts';
import { parseFeedDate } from '../dates.ts';
import { type XmlElement, at, childrenNamed, textAt } from '../xml/tree.ts';
import { placeOf } from './comuni.ts';

const XS_DATE = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;
const XS_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/;

export class OfferFields {
  /** `path` is where `el` sits in the document, e.g. "Vacancy" or "Vacancies/Vacancy[2]". */
  constructor(readonly el: XmlElement, readonly path: string, private readonly timezone: string, readonly problems: ItemProblem[] = []) {}

  /** The same reader on a child element (e.g. one PositionProfile of several), reporting into the same list. */
  sub(el: XmlElement, rel: string): OfferFields {
    return new OfferFields(el, this.where(rel), this.timezone, this.problems);
  }

  where(rel: string): string {
    return rel ? `${this.path}/${rel}` : this.path;
  }

  error(rel: string, what: string): void {
    this.problems.push({ path: this.where(rel), message: `${this.where(rel)} ${what}`, level: 'error' });
  }

  warn(rel: string, what: string): void {
    this.problems.push({ path: this.where(rel), message: `${this.where(rel)} ${what}`, level: 'warning' });
  }

  text(rel: string): string | undefined {
    return textAt(this.el, rel);
  }

  /** Texts of every element named like the last part of `rel` under its parent (0..n elements). */
  texts(rel: string): string[] {
    const i = rel.lastIndexOf('/');
    const parent = i < 0 ? this.el : at(this.el, rel.slice(0, i));
    return childrenNamed(parent, rel.slice(i + 1)).map((e) => e.text.trim()).filter(Boolean);
  }

  /** A text the standard requires: its absence is an error of this item. */
  required(rel: string): string | undefined {
    const v = this.text(rel);
    if (v === undefined) this.error(rel, 'mancante');
    return v;
  }

  /**
   * An xs:date or xs:dateTime (either is accepted where the other is expected: SILs mix them), checked
   * to be a real day; returned as written for dates.ts. A zone on an xs:date is dropped: the day is
   * what counts, in the publisher's zone.
   */
  date(rel: string, required: boolean): string | undefined {
    const v = this.text(rel);
    if (v === undefined) {
      if (required) this.error(rel, 'mancante');
      return undefined;
    }
    const day = XS_DATE.exec(v)?.[1];
    const value = day ?? v;
    if ((day === undefined && !XS_DATETIME.test(v)) || parseFeedDate(value, this.timezone) === undefined) {
      this.error(rel, `non è una data valida ("${v.slice(0, 40)}"; atteso AAAA-MM-GG o AAAA-MM-GGThh:mm:ss)`);
      return undefined;
    }
    return value;
  }

  /** A positive whole number (numerolavoratori, PositionOpenQuantity); anything else is a warning. */
  count(rel: string): number | undefined {
    const v = this.text(rel);
    if (v === undefined) return undefined;
    const n = /^\d{1,6}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 1) {
      if (n !== 0) this.warn(rel, `non è un numero di posti ("${v.slice(0, 20)}"): ignorato`);
      return undefined;
    }
    return n;
  }

  /** Gross yearly pay in euro written as digits (retribuzioneannualorda); 0 means "not given". */
  yearlyPay(rel: string): { currency: string; min: number; max: number; unit: 'year' } | undefined {
    const v = this.text(rel);
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v)) {
      this.warn(rel, `non è un importo in euro ("${v.slice(0, 20)}"): ignorato`);
      return undefined;
    }
    const n = Number(v);
    return n > 0 ? { currency: 'EUR', min: n, max: n, unit: 'year' } : undefined;
  }

  /**
   * A Belfiore code → comune and province. "0000" (the standard's "not given") and unknown codes give
   * no place, with a warning; a comune that has since been merged or suppressed keeps its name, with a
   * warning, since that is the place the office wrote.
   */
  place(rel: string): { location?: string; province?: string } {
    const v = this.text(rel);
    if (v === undefined) return {};
    if (/^0{4}$/.test(v)) {
      this.warn(rel, 'è 0000: luogo di lavoro non indicato');
      return {};
    }
    const place = placeOf(v);
    if (!place) {
      this.warn(rel, `"${v.slice(0, 10)}" non è un codice di comune noto (elenco ANPR): luogo di lavoro non indicato`);
      return {};
    }
    if (place.ceased) this.warn(rel, `"${place.code}" è il codice di ${place.name}, comune cessato il ${place.ceased}`);
    return place.province ? { location: place.name, province: place.province } : { location: place.name };
  }
}

/** Italian S/N or SI/NO booleans, undefined when absent or unreadable. */
export function yes(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toUpperCase();
  return s === 'S' || s === 'SI' || s === 'Y' ? true : s === 'N' || s === 'NO' ? false : undefined;
}

/** Paragraphs of plain text, skipping empty ones, each with an optional label. */
export function paragraphs(parts: Array<[label: string, value: string | undefined]>): string | undefined {
  const out = parts
    .filter(([, v]) => v !== undefined && v.trim() !== '' && v.trim().toLowerCase() !== 'null')
    .map(([label, v]) => (label ? `${label}: ${v!.trim()}` : v!.trim()));
  return out.length ? out.join('\n\n') : undefined;
}
