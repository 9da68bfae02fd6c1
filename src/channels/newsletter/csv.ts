// SPDX-License-Identifier: EUPL-1.2
/**
 * Subscribers in and out as CSV (`banditore subscribers import|export`). An import states, per row, when
 * and how each person consented (`email,consentedAt,consentMethod[,places,contracts,words]`, lists
 * separated by `;`): those rows are confirmed at once, since their consent was collected elsewhere (a
 * desk, the old newsletter). An address already known keeps its record: an import never resubscribes
 * someone who unsubscribed or was suppressed. The export lists every stored subscriber with their consent
 * record (GDPR access requests).
 */
import { parse } from 'csv-parse/sync';
import type { ChannelServices } from '../definition.ts';
import { preferencesSchema } from '../audience/preferences.ts';
import { Subscribers, isEmail, normalizeEmail } from './subscribers.ts';
import { Outbox } from './outbox.ts';

export interface ImportReport { imported: number; skipped: number; invalid: Array<{ line: number; reason: string }> }

const split = (v: unknown) => String(v ?? '').split(';').map((s) => s.trim()).filter(Boolean);

export async function importSubscribers(s: Pick<ChannelServices, 'redis' | 'keys' | 'now'>, pub: string, text: string): Promise<ImportReport> {
  const rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: true, info: true }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  const subs = new Subscribers(s);
  const seq = await new Outbox(s).seq(pub);
  const out: ImportReport = { imported: 0, skipped: 0, invalid: [] };
  for (const { record: r, info } of rows) {
    const email = normalizeEmail(r.email ?? '');
    if (!isEmail(email)) { out.invalid.push({ line: info.lines, reason: 'email' }); continue; }
    const at = Date.parse(r.consentedAt ?? '');
    if (!Number.isFinite(at)) { out.invalid.push({ line: info.lines, reason: 'consentedAt' }); continue; }
    if (!r.consentMethod) { out.invalid.push({ line: info.lines, reason: 'consentMethod' }); continue; }
    const prefs = preferencesSchema.safeParse({ places: split(r.places), contracts: split(r.contracts), words: split(r.words) });
    if (!prefs.success) { out.invalid.push({ line: info.lines, reason: String(prefs.error.issues[0]?.path[0] ?? 'preferences') }); continue; }
    const consent = { at, method: r.consentMethod.slice(0, 200), ...(r.privacyVersion ? { privacyVersion: r.privacyVersion } : {}) };
    if (await subs.importConfirmed(pub, email, prefs.data, consent, seq)) out.imported++;
    else out.skipped++;
  }
  return out;
}

const COLUMNS = ['email', 'state', 'consentedAt', 'consentMethod', 'privacyVersion', 'consentText', 'places', 'contracts', 'words', 'createdAt', 'confirmedAt'] as const;

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const iso = (ms?: number) => (ms ? new Date(ms).toISOString() : '');

export async function exportSubscribers(s: Pick<ChannelServices, 'redis' | 'keys' | 'now'>, pub: string): Promise<{ csv: string; count: number }> {
  const all = await new Subscribers(s).all(pub);
  const lines = [COLUMNS.join(',')];
  for (const sub of all) {
    const row: Record<(typeof COLUMNS)[number], string> = {
      email: sub.email, state: sub.state, consentedAt: iso(sub.consent?.at), consentMethod: sub.consent?.method ?? '',
      privacyVersion: sub.consent?.privacyVersion ?? '', consentText: sub.consent?.text ?? '',
      places: sub.prefs.places.join(';'), contracts: sub.prefs.contracts.join(';'), words: sub.prefs.words.join(';'),
      createdAt: iso(sub.createdAt), confirmedAt: iso(sub.confirmedAt),
    };
    lines.push(COLUMNS.map((c) => field(row[c])).join(','));
  }
  return { csv: lines.join('\r\n') + '\r\n', count: all.length };
}
