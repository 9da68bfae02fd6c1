// SPDX-License-Identifier: EUPL-1.2
/**
 * The SMTP emulator against SMTP's contract (RFC 5321 reply classes), driven by nodemailer's own
 * transport: 450 and 550 at RCPT TO, a required login refused with 535, a connection dropped after the
 * final dot with the message kept, and the sandbox's mailbox page showing what arrived.
 */
import { describe, it, expect, afterEach } from 'vitest';
import nodemailer from 'nodemailer';
import { startSmtpEmulator, startMailboxPage, type SmtpEmulator } from '../../src/channels/newsletter/emulator.ts';

let em: SmtpEmulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const mail = (to: string) => ({ from: 'offerte@ente.it', to, subject: 'Prova', text: 'Ciao https://ente.it/x?t=1', headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } });
const failure = async (p: Promise<unknown>) => p.then(() => undefined, (e: { responseCode?: number; code?: string; message: string }) => e);

describe('the SMTP emulator', () => {
  it('keeps accepted messages parsed, and answers 450, 550 and 535 as a server does', async () => {
    em = await startSmtpEmulator({ auth: { user: 'u', pass: 'secret-pass' } });
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: em.port, auth: { user: 'u', pass: 'secret-pass' } });
    await t.sendMail(mail('a@example.org'));
    expect(em.to('A@example.org')[0]).toMatchObject({ subject: 'Prova', headers: { 'list-unsubscribe-post': 'List-Unsubscribe=One-Click' } });
    em.tempFail('b@example.org');
    expect((await failure(t.sendMail(mail('b@example.org'))))?.responseCode).toBe(450);
    em.permFail('c@example.org');
    expect((await failure(t.sendMail(mail('c@example.org'))))?.responseCode).toBe(550);
    const wrong = nodemailer.createTransport({ host: '127.0.0.1', port: em.port, auth: { user: 'u', pass: 'nope' } });
    expect((await failure(wrong.sendMail(mail('a@example.org'))))?.responseCode).toBe(535);
    expect(em.messages()).toHaveLength(1);
  });

  it('drops the connection after the final dot: the sender hears nothing, the message is in', async () => {
    em = await startSmtpEmulator();
    em.dropAfterData('d@example.org');
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: em.port });
    const e = await failure(t.sendMail(mail('d@example.org')));
    expect(e?.responseCode).toBeUndefined();
    expect(e?.message).toMatch(/closed|ECONN/i);
    expect(em.to('d@example.org')).toHaveLength(1);
    // Only the next one: the second is answered.
    await t.sendMail(mail('d@example.org'));
    expect(em.to('d@example.org')).toHaveLength(2);
  });

  it('the sandbox mailbox page lists what arrived, links clickable', async () => {
    em = await startSmtpEmulator();
    await nodemailer.createTransport({ host: '127.0.0.1', port: em.port }).sendMail(mail('a@example.org'));
    const page = await startMailboxPage(em);
    try {
      const body = await (await fetch(page.url)).text();
      expect(body).toContain('<h2>Prova</h2>');
      expect(body).toContain('<a href="https://ente.it/x?t=1">https://ente.it/x?t=1</a>');
    } finally { await page.close(); }
  });
});
