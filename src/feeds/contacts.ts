// SPDX-License-Identifier: EUPL-1.2
/**
 * No personal data in posts (GDPR; the Garante's 2014 guidelines on PA web publication): e-mail
 * addresses and phone numbers are taken out of every text of every offer, whatever its source. In the
 * description the whole sentence that carried one goes (with a contact person's name in it, and a
 * "Contattare ROSSI MARIO" just before it), replaced once by the office's own way to apply; in short
 * fields (title, employer, place) only the contact and its "tel."/"e-mail:" label go. A publisher's
 * own institutional addresses (`allowedContacts`) stay. Only counts are kept of what was removed,
 * never the values.
 */
import type { RemovedContacts } from '../domain/offer.ts';

/** What replaces the sentences that carried a contact: the office's way to apply is the offer's link. */
export const APPLY_SENTENCE = 'Per candidarsi usare il link dell\'offerta.';

// A dot may also be written out ("mario.rossi [at] gmail [dot] com"), as people do to hide an address from robots.
const DOT = String.raw`(?:\.|\s?(?:\[dot\]|\(dot\)|\[punto\]|\(punto\))\s?)`;
const EMAIL = new RegExp(String.raw`[\p{L}\p{N}._%+-]{1,64}(?:@|\s?(?:\[at\]|\(at\)|\[chiocciola\]|\(chiocciola\))\s?)[\p{L}\p{N}-]{1,63}(?:${DOT}[\p{L}\p{N}-]{1,63})*${DOT}\p{L}{2,24}`, 'giu');

// Candidates; each is checked afterwards (digit count, not a date, a time range or a reference code).
const PHONE_PREFIX = String.raw`(?:(?:\+|00)\s?39[\s.-]?|\(\s?\+?39\s?\)\s?)?`;
const PHONE = new RegExp(
  String.raw`(?<![\p{L}\p{N}+]|\p{N}[./-])(?:` +
    String.raw`${PHONE_PREFIX}(?:3\d{2}(?:[\s./-]?\d{2,4}){2,4}` + // mobile: 333 1234567, 333-123.4567, 3331234567
    String.raw`|0\d{1,3}[\s./-]?\d{2,8}(?:[\s.-]?\d{2,4}){0,3}` + // landline: 085 1234567, 085/123456, 06 1234 5678
    String.raw`|\(0\d{1,3}\)[\s.-]?\d{2,8}(?:[\s.-]?\d{2,4}){0,3}` + // landline with its area code in brackets: (085) 4215566
    String.raw`|80[0-3][\s.-]?\d{3}[\s.-]?\d{3,4})` + // toll-free 800/803
    String.raw`|\+(?!39)\d{1,3}(?:[\s.-]?\d{2,4}){2,5}` + // any other international number
  String.raw`)(?![\p{L}\p{N}])`,
  'gu',
);
const DATE_LIKE = /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/;
const TIME_RANGE = /^\d{1,2}[.:]\d{2}\s?-\s?\d{1,2}[.:]\d{2}$/;
/** A number right after "rif.", "codice", "n." is an offer or protocol number, not a phone. */
const REFERENCE_BEFORE = /(?:\brif\.?|\briferimento|\bcodice|\bcod\.|\bn\.|\bnr\.?|\bnumero|\bprot\.?|\bid|\bcap|\bp\.\s?iva|\bpartita iva)\s*[:.#°]?\s*$/iu;
const MONEY_AROUND = /(?:€|\beur(?:o)?\b)/iu;

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

/** A phone's digits without the Italian country prefix, for comparing with the allowed ones. */
function phoneKey(s: string): string {
  const d = digits(s);
  return d.startsWith('0039') ? d.slice(4) : s.trim().startsWith('+39') || (d.startsWith('39') && d.length >= 11) ? d.slice(2) : d;
}

function plausiblePhone(candidate: string, before: string, after: string): boolean {
  const c = candidate.trim();
  if (DATE_LIKE.test(c) || TIME_RANGE.test(c)) return false;
  if (REFERENCE_BEFORE.test(before.slice(-20))) return false;
  if (MONEY_AROUND.test(before.slice(-3)) || MONEY_AROUND.test(after.slice(0, 6))) return false;
  const d = phoneKey(c);
  if (c.startsWith('+') && !c.startsWith('+39')) return d.length >= 8 && d.length <= 15;
  if (d.startsWith('3')) return d.length === 9 || d.length === 10;
  if (d.startsWith('80')) return d.length >= 9 && d.length <= 10;
  return d.startsWith('0') && d.length >= 6 && d.length <= 11;
}

export interface ContactMatch { kind: 'email' | 'phone'; start: number; end: number }

/** Every e-mail address and phone number in `text` that is not allowed, in order. */
export function findContacts(text: string, allowed: AllowedContacts): ContactMatch[] {
  const found: ContactMatch[] = [];
  // Cheap checks first: most texts have no '@' and too few digits for a phone number.
  const mayHaveEmail = text.includes('@') || /\[at\]|\(at\)|chiocciola/i.test(text);
  const mayHavePhone = (text.match(/\d/g)?.length ?? 0) >= 6;
  if (!mayHaveEmail && !mayHavePhone) return found;
  for (const m of mayHaveEmail ? text.matchAll(EMAIL) : []) {
    const value = m[0].replace(/\s?(?:\[at\]|\(at\)|\[chiocciola\]|\(chiocciola\))\s?/i, '@').toLowerCase();
    if (!allowed.emails.has(value)) found.push({ kind: 'email', start: m.index!, end: m.index! + m[0].length });
  }
  const inEmail = (i: number) => found.some((f) => f.kind === 'email' && i >= f.start && i < f.end);
  PHONE.lastIndex = 0;
  for (let m = mayHavePhone ? PHONE.exec(text) : null; m; m = PHONE.exec(text)) {
    const start = m.index;
    const raw = m[0].replace(/[\s./-]+$/, '');
    if (inEmail(start) || !plausiblePhone(raw, text.slice(0, start), text.slice(start + raw.length))) {
      // A longer candidate may have swallowed a real number after it ("00100 Roma, 06 1234567").
      PHONE.lastIndex = start + 1;
      continue;
    }
    if (!allowed.phones.has(phoneKey(raw))) found.push({ kind: 'phone', start, end: start + raw.length });
  }
  return found.sort((a, b) => a.start - b.start);
}

export interface AllowedContacts { emails: Set<string>; phones: Set<string> }

/** A publisher's `allowedContacts` (e-mail addresses or phone numbers) in the form they are compared. */
export function allowedContacts(list: readonly string[] | undefined): AllowedContacts {
  const out: AllowedContacts = { emails: new Set(), phones: new Set() };
  for (const c of list ?? []) {
    if (c.includes('@')) out.emails.add(c.trim().toLowerCase());
    else if (digits(c).length >= 6) out.phones.add(phoneKey(c));
  }
  return out;
}

export const NO_CONTACTS_REMOVED: RemovedContacts = Object.freeze({ emails: 0, phones: 0, names: 0 });

/** Adds up two counts (what was removed from several fields of one offer). */
export function addRemoved(a: RemovedContacts, b: RemovedContacts): RemovedContacts {
  return { emails: a.emails + b.emails, phones: a.phones + b.phones, names: a.names + b.names };
}

// A contact person: "ROSSI MARIO", "Sig.ra Bianchi", "Dott. Mario Rossi", "sig. Rossi".
const PERSON = /\b(?:sig\.?(?:ra|na)?|signor[ae]?|dott\.?(?:ssa)?|dr\.?|ing\.?|avv\.?|rag\.?|geom\.?|prof\.?(?:ssa)?)\s+\p{Lu}\p{L}+|\b\p{Lu}{2,}(?:['’]\p{Lu}+)?\s+\p{Lu}{2,}\b/u;
// A sentence that only introduces a contact: "Contattare ROSSI MARIO", "Referente: sig. Bianchi".
const CONTACT_INTRO = /^(?:per\s+(?:info(?:rmazioni)?|candidarsi|candidature)\b.*|contatt\p{L}*|rivolgersi|referente|riferimento|chiedere\s+di|telefonare|chiamare|inviare|mandare|spedire|scrivere|recapit\p{L}*|info\b|c\.a\.|all['’]attenzione)/iu;
const ABBREVIATIONS = /(?:\b(?:sig|sigg|sig\.ra|sig\.na|dott|dott\.ssa|dr|ing|avv|rag|geom|prof|tel|cell|fax|n|nr|rif|p\.zza|v|c\.a|ecc|es|art|pag|ca))\.$/iu;

/** Splits one line into sentences: at . ! ? ; followed by a space and a capital, never after "Sig." or "Tel.". */
function sentences(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  const boundary = /[.!?;]+(?=\s+["«“(]?\p{Lu})/gu;
  for (let m = boundary.exec(line); m; m = boundary.exec(line)) {
    const end = m.index + m[0].length;
    if (ABBREVIATIONS.test(line.slice(Math.max(start, end - 12), end))) continue;
    out.push(line.slice(start, end).trim());
    start = end;
  }
  out.push(line.slice(start).trim());
  return out.filter(Boolean);
}

/** The sentence names one of the publisher's own addresses or numbers (so it is the office's way to apply). */
function hasAllowedContact(s: string, allowed: AllowedContacts): boolean {
  if (allowed.emails.size === 0 && allowed.phones.size === 0) return false;
  return findContacts(s, { emails: new Set(), phones: new Set() }).length > findContacts(s, allowed).length;
}

export interface Scrubbed { text: string; removed: RemovedContacts }

/**
 * The description without the sentences that carried a contact; the first removed sentence becomes
 * APPLY_SENTENCE (once per text). Line breaks between paragraphs are kept.
 */
export function scrubProse(text: string, allowed: AllowedContacts): Scrubbed {
  if (!text || findContacts(text, allowed).length === 0) return { text, removed: NO_CONTACTS_REMOVED };
  const removed = { emails: 0, phones: 0, names: 0 };
  let replaced = text.includes(APPLY_SENTENCE);
  const lines = text.split('\n').map((line) => {
    const parts = sentences(line);
    const drop = parts.map((s) => {
      const contacts = findContacts(s, allowed);
      for (const c of contacts) c.kind === 'email' ? removed.emails++ : removed.phones++;
      return contacts.length > 0;
    });
    return { parts, drop };
  });
  // A sentence naming a contact person right before (or after) a dropped one goes with it.
  const flat = lines.flatMap((l, li) => l.parts.map((s, si) => ({ s, li, si })));
  const isDropped = (k: number) => { const x = flat[k]; return x !== undefined && lines[x.li]!.drop[x.si]!; };
  flat.forEach(({ s, li, si }, k) => {
    if (lines[li]!.drop[si] || hasAllowedContact(s, allowed)) return;
    if ((isDropped(k + 1) || isDropped(k - 1)) && CONTACT_INTRO.test(s) && (PERSON.test(s) || s.length < 60)) lines[li]!.drop[si] = true;
  });
  for (const { s, li, si } of flat) if (lines[li]!.drop[si] && PERSON.test(s)) removed.names++;
  const kept: string[] = [];
  for (const { parts, drop } of lines) {
    const out: string[] = [];
    parts.forEach((s, i) => {
      if (!drop[i]) out.push(s);
      else if (!replaced) { out.push(APPLY_SENTENCE); replaced = true; }
    });
    if (out.length) kept.push(out.join(' '));
  }
  return { text: kept.join('\n'), removed };
}

const LABEL_BEFORE = /(?:\b(?:tel|telef|telefono|cell|cellulare|fax|whatsapp|e-?mail|mail|posta elettronica|contatti|recapito|info)\b\.?\s*[:.]?\s*(?:al|a)?\s*)$/iu;

/** A one-line field without its contacts and their labels ("Ditta Rossi – tel. 085 123456" → "Ditta Rossi"). */
export function scrubField(value: string, allowed: AllowedContacts): Scrubbed {
  const contacts = findContacts(value, allowed);
  if (contacts.length === 0) return { text: value, removed: NO_CONTACTS_REMOVED };
  const removed = { emails: 0, phones: 0, names: 0 };
  let out = '';
  let at = 0;
  for (const c of contacts) {
    c.kind === 'email' ? removed.emails++ : removed.phones++;
    out += value.slice(at, c.start).replace(LABEL_BEFORE, '');
    at = c.end;
  }
  out += value.slice(at);
  const text = out.replace(/\(\s*\)|\[\s*\]/g, '').replace(/\s+/g, ' ').replace(/(?:\s*[-–—,;:/|]\s*)+$/u, '').replace(/^\s*[-–—,;:/|]\s*/u, '').trim();
  return { text, removed };
}

/** "tolti 1 indirizzo e-mail e 1 numero di telefono" for parse and preview; '' when nothing was removed. */
export function describeRemoved(r: RemovedContacts | undefined): string {
  if (!r || (r.emails === 0 && r.phones === 0 && r.names === 0)) return '';
  const parts: string[] = [];
  if (r.emails) parts.push(r.emails === 1 ? '1 indirizzo e-mail' : `${r.emails} indirizzi e-mail`);
  if (r.phones) parts.push(r.phones === 1 ? '1 numero di telefono' : `${r.phones} numeri di telefono`);
  if (r.names) parts.push(r.names === 1 ? '1 nome di persona' : `${r.names} nomi di persona`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} e ${parts.at(-1)}` : parts[0]!;
  const total = r.emails + r.phones + r.names;
  return `${total === 1 ? 'tolto' : 'tolti'} ${list}`;
}
