// SPDX-License-Identifier: EUPL-1.2
/** The newsletter's pure parts: schedules and their slots, its config, the digest's text and HTML, headers, SMTP answers. */
import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import { parseSchedule, currentSlot } from '../../../src/channels/newsletter/schedule.ts';
import { newsletterSchema } from '../../../src/channels/newsletter/config.ts';
import { renderDigest, renderConfirmation } from '../../../src/channels/newsletter/render.ts';
import { unsubscribeHeaders, digestMessageId, classifySmtp } from '../../../src/channels/newsletter/sender.ts';
import type { DigestItem } from '../../../src/channels/newsletter/outbox.ts';

const rome = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Rome' }).toMillis();
const none = (s: string) => s;

describe('schedule', () => {
  it('reads instant, daily and weekly (English or Italian days), and nothing else', () => {
    expect(parseSchedule('instant')).toEqual({ kind: 'instant' });
    expect(parseSchedule('daily 08:00')).toEqual({ kind: 'daily', hour: 8, minute: 0 });
    expect(parseSchedule('weekly mon 08:30')).toEqual({ kind: 'weekly', weekday: 1, hour: 8, minute: 30 });
    expect(parseSchedule('Weekly  VEN 18:05')).toEqual({ kind: 'weekly', weekday: 5, hour: 18, minute: 5 });
    for (const bad of ['daily', 'daily 24:00', 'daily 8', 'weekly xyz 08:00', 'hourly', 'weekly mon']) expect(parseSchedule(bad)).toBeUndefined();
  });

  it('names the slot by the latest scheduled time, in the publisher\'s zone', () => {
    const daily = parseSchedule('daily 08:00')!;
    expect(currentSlot(daily, rome('2026-12-01T09:15'), 'Europe/Rome')).toEqual({ id: '2026-12-01T08:00', at: rome('2026-12-01T08:00') });
    expect(currentSlot(daily, rome('2026-12-01T07:59'), 'Europe/Rome').id).toBe('2026-11-30T08:00');
    // 2026-12-01 is a Tuesday: the Monday slot is the day before; the Tuesday one a week back until 08:00.
    expect(currentSlot(parseSchedule('weekly mon 08:00')!, rome('2026-12-01T10:00'), 'Europe/Rome').id).toBe('2026-11-30T08:00');
    expect(currentSlot(parseSchedule('weekly tue 08:00')!, rome('2026-12-01T07:00'), 'Europe/Rome').id).toBe('2026-11-24T08:00');
    expect(currentSlot(parseSchedule('weekly tue 08:00')!, rome('2026-12-01T08:00'), 'Europe/Rome').id).toBe('2026-12-01T08:00');
    expect(currentSlot({ kind: 'instant' }, rome('2026-12-01T09:15:42'), 'Europe/Rome').id).toBe('2026-12-01T09:15');
    // Across the change to summer time the slot keeps its local hour.
    expect(currentSlot(daily, rome('2026-03-29T09:00'), 'Europe/Rome')).toEqual({ id: '2026-03-29T08:00', at: rome('2026-03-29T08:00') });
  });
});

describe('config', () => {
  const base = { from: 'Offerte <offerte@ente.it>', smtp: { url: 'smtps://u:p4ssw0rd@mail.ente.it:465' }, privacyUrl: 'https://ente.it/privacy' };
  it('has defaults and parses the schedule', () => {
    const c = newsletterSchema.parse(base);
    expect(c.schedule).toEqual({ kind: 'daily', hour: 8, minute: 0 });
    expect(c.privacyVersion).toBe('1');
    expect(c.limits).toEqual([{ max: 60, per: 60_000 }]);
    expect(newsletterSchema.parse({ ...base, schedule: 'instant' }).schedule).toEqual({ kind: 'instant' });
  });
  it('refuses a bad schedule, sender, SMTP URL and unknown keys', () => {
    expect(newsletterSchema.safeParse({ ...base, schedule: 'hourly' }).success).toBe(false);
    expect(newsletterSchema.safeParse({ ...base, from: 'nobody' }).success).toBe(false);
    expect(newsletterSchema.safeParse({ ...base, smtp: { url: 'https://mail.ente.it' } }).success).toBe(false);
    expect(newsletterSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
  });
});

const item = (n: number, extra: Partial<DigestItem> = {}): DigestItem => ({
  key: `k${n}`, title: `Cuoco <b>n. ${n}</b>`, url: `https://ente.it/offerte/${n}`, publisherId: 'pescara', recordedAt: 0,
  location: 'Montesilvano', province: 'PE', contract: 'Tempo determinato', validThrough: '2026-12-31T22:59:59.000Z', ...extra,
});

describe('digest message', () => {
  const mail = renderDigest({
    publisherName: 'Provincia di Pescara', timezone: 'Europe/Rome', items: [item(1), item(2, { location: undefined, province: undefined, contract: undefined, validThrough: undefined })],
    unsubscribeUrl: 'https://lavoro.ente.it/iscriviti/pescara/disiscrivi?t=abc', subscribeUrl: 'https://lavoro.ente.it/iscriviti/pescara',
  });
  it('lists title, place, contract, deadline and link, in text and HTML', () => {
    expect(mail.subject).toBe('2 nuove offerte di lavoro – Provincia di Pescara');
    expect(mail.text).toContain('Cuoco <b>n. 1</b>');
    expect(mail.text).toContain('Sede: Montesilvano (PE)');
    expect(mail.text).toContain('Contratto: Tempo determinato');
    expect(mail.text).toMatch(/Scadenza: .*31/);
    expect(mail.text).toContain('https://ente.it/offerte/1');
    expect(mail.text).toContain('Annulla l\'iscrizione: https://lavoro.ente.it/iscriviti/pescara/disiscrivi?t=abc');
    expect(mail.html).toContain('<html lang="it">');
    expect(mail.html).toContain('<a href="https://ente.it/offerte/2">Cuoco &lt;b&gt;n. 2&lt;/b&gt;</a>');
    expect(mail.html).not.toContain('<b>n. 1</b>');
    expect(mail.html).toContain('href="https://lavoro.ente.it/iscriviti/pescara/disiscrivi?t=abc"');
    // The item without place or contract shows no empty lines for them.
    expect(mail.text.split('Cuoco <b>n. 2</b>')[1]).not.toContain('Sede:');
  });
  it('one offer reads in the singular', () => {
    expect(renderDigest({ publisherName: 'P', timezone: 'Europe/Rome', items: [item(1)], unsubscribeUrl: 'https://x/u', subscribeUrl: 'https://x/s' }).subject).toBe('1 nuova offerta di lavoro – P');
  });
  it('the confirmation carries the link in both parts', () => {
    const c = renderConfirmation({ publisherName: 'P', confirmUrl: 'https://x/iscriviti/p/conferma?t=tok' });
    expect(c.text).toContain('https://x/iscriviti/p/conferma?t=tok');
    expect(c.html).toContain('href="https://x/iscriviti/p/conferma?t=tok"');
  });
});

describe('headers and answers', () => {
  it('RFC 8058 headers and a deterministic Message-ID', () => {
    expect(unsubscribeHeaders('https://x/u?t=1', 'mailto:news@ente.it')).toEqual({
      'List-Unsubscribe': '<https://x/u?t=1>, <mailto:news@ente.it>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const id = digestMessageId('pescara', '2026-12-01T08:00', 'abc123', 'news@ente.it');
    expect(id).toBe('<digest-pescara-2026-12-01T0800.abc123@ente.it>');
    expect(digestMessageId('pescara', '2026-12-01T08:00', 'abc123', 'news@ente.it')).toBe(id);
  });
  it('4xx later, 5xx refused, sign-in refused, and a connection lost during the message unknown', () => {
    expect(classifySmtp(Object.assign(new Error('x'), { responseCode: 450 }), 'send', none).kind).toBe('retry');
    expect(classifySmtp(Object.assign(new Error('x'), { responseCode: 550 }), 'send', none).kind).toBe('refused');
    expect(classifySmtp(Object.assign(new Error('x'), { code: 'EAUTH', responseCode: 535 }), 'connect', none).kind).toBe('auth');
    expect(classifySmtp(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }), 'send', none).kind).toBe('unknown');
    expect(classifySmtp(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }), 'connect', none).kind).toBe('retry');
    expect(classifySmtp(new Error('secret-pass in here'), 'send', (s) => s.replace('secret-pass', '***')).kind).toBe('unknown');
    const r = classifySmtp(new Error('secret-pass in here'), 'send', (s) => s.replace('secret-pass', '***'));
    expect('reason' in r && r.reason).toBe('*** in here');
  });
});
