// SPDX-License-Identifier: EUPL-1.2
/**
 * Pay in the words of an Italian vacancy notice (Directive (EU) 2023/970 asks for it): "€ 24.000 lordi
 * annui", a range "€ 22.000–26.000 lordi annui", "€ 1.500 lordi mensili", "€ 9,50 lordi orari".
 */
import type { Salary } from '../domain/offer.ts';

const PER: Record<Salary['unit'], string> = { year: 'annui', month: 'mensili', week: 'settimanali', day: 'giornalieri', hour: 'orari' };

/** Thousands with ".", decimals with "," (only when there are cents); Italian groups even 4-digit amounts here. */
function amount(n: number): string {
  const cents = Math.round(n * 100) % 100 !== 0;
  return new Intl.NumberFormat('it-IT', {
    useGrouping: 'always' as unknown as boolean,
    minimumFractionDigits: cents ? 2 : 0,
    maximumFractionDigits: cents ? 2 : 0,
  }).format(n);
}

export function formatSalary(s: Salary | undefined): string {
  if (!s || !Number.isFinite(s.min) || !Number.isFinite(s.max) || s.max <= 0) return '';
  const symbol = s.currency.toUpperCase() === 'EUR' ? '€' : s.currency.toUpperCase();
  const value = s.min > 0 && s.min < s.max ? `${amount(s.min)}–${amount(s.max)}` : amount(s.max);
  return `${symbol} ${value} lordi ${PER[s.unit]}`;
}
