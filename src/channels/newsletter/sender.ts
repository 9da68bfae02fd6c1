// SPDX-License-Identifier: EUPL-1.2
/**
 * Sends one message through nodemailer's SMTP transport and says what the server answered, in the
 * terms the digest needs: sent, try later (4xx, or no connection before anything was sent), refused
 * for good for this address (5xx: suppress it), the login was refused, or unknown (the connection died
 * once the message may have been handed over: SMTP has no idempotency, so it is never sent again on a
 * guess). Like every adapter, it never retries.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import MailComposer from 'nodemailer/lib/mail-composer';
import { fromAddress } from './config.ts';
import { makeScrubber } from '../../log/redact.ts';
import type { Mail } from './render.ts';

export type SendResult =
  | { kind: 'sent'; response: string }
  | { kind: 'retry'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'auth'; reason: string }
  | { kind: 'unknown'; reason: string };

export interface Outgoing extends Mail {
  to: string;
  messageId: string;
  headers: Record<string, string>;
}

/** The RFC 8058 headers: both URIs in List-Unsubscribe, and the one-click key in List-Unsubscribe-Post. */
export function unsubscribeHeaders(httpsUrl: string, mailto: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${httpsUrl}>, <${mailto}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** `<digest-pescara-2026-12-01T0800.ab12…@ente.it>`: the same digest to the same person always has the same id. */
export function digestMessageId(publisher: string, slotId: string, subscriberId: string, from: string): string {
  const host = from.split('@').pop()!.replace(/[>\s]/g, '') || 'localhost';
  return `<digest-${publisher}-${slotId.replace(/:/g, '')}.${subscriberId}@${host}>`;
}

interface SmtpError extends Error { code?: string; responseCode?: number; response?: string }

/**
 * `stage` says whether the message could have reached the server: before `send` (connecting, signing
 * in) nothing was handed over, so a dropped connection is only "try later"; during `send`, a connection
 * that dies without an answer may have delivered it.
 */
export function classifySmtp(e: unknown, stage: 'connect' | 'send', scrub: (s: string) => string): SendResult {
  const err = e as SmtpError;
  const reason = scrub(String(err?.response ?? err?.message ?? e)).slice(0, 300);
  if (err?.code === 'EAUTH' || err?.responseCode === 535 || err?.responseCode === 534) return { kind: 'auth', reason };
  if (typeof err?.responseCode === 'number') {
    if (err.responseCode >= 400 && err.responseCode < 500) return { kind: 'retry', reason };
    if (err.responseCode >= 500) return { kind: 'refused', reason };
  }
  return stage === 'connect' ? { kind: 'retry', reason } : { kind: 'unknown', reason };
}

export class MailSender {
  private readonly scrub: (s: string) => string;
  private readonly options: SMTPConnection.Options;
  private readonly auth?: { user: string; pass: string };

  constructor(smtpUrl: string, private readonly from: string, timeoutMs: number) {
    const u = new URL(smtpUrl);
    this.scrub = makeScrubber([u.password, decodeURIComponent(u.password), smtpUrl].filter((s) => s.length >= 4));
    this.options = {
      host: u.hostname, port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)), secure: u.protocol === 'smtps:',
      // A local test server has no certificate worth checking only when the URL says so.
      ...(u.searchParams.get('tls') === 'insecure' ? { tls: { rejectUnauthorized: false } } : {}),
      connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
    };
    if (u.username) this.auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  }

  /**
   * One connection per message, driven step by step (nodemailer's SMTPConnection, its transport's own
   * engine) so that a connection lost before the message was handed over is told apart from one lost
   * after it: the transport reports both as the same "Connection closed unexpectedly".
   */
  async send(m: Outgoing): Promise<SendResult> {
    const conn = new SMTPConnection(this.options);
    let stage: 'connect' | 'send' = 'connect';
    let failed: ((e: unknown) => void) | undefined;
    conn.on('error', (e) => failed?.(e));
    const step = <T>(run: (done: (err: Error | null, v?: T) => void) => void) => new Promise<T>((resolve, reject) => {
      failed = reject;
      run((err, v) => (err ? reject(err) : resolve(v as T)));
    });
    try {
      await step<void>((done) => conn.connect(() => done(null)));
      if (this.auth) await step<void>((done) => conn.login(this.auth!, (err) => done(err ?? null)));
      const raw = await new MailComposer({
        from: this.from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers,
      }).compile().build();
      stage = 'send';
      const info = await step<SMTPConnection.SentMessageInfo>((done) => conn.send({ from: fromAddress(this.from), to: [m.to] }, raw, (err, i) => done(err, i)));
      if (info.rejected?.length) return { kind: 'refused', reason: this.scrub(String(info.response ?? 'rejected')) };
      return { kind: 'sent', response: this.scrub(String(info.response ?? '')) };
    } catch (e) {
      return classifySmtp(e, stage, this.scrub);
    } finally {
      try { conn.quit(); } catch { /* already closed */ }
      conn.close();
    }
  }

  /** Connects and signs in, sending nothing: `sent` means the server took the login. */
  async probe(): Promise<SendResult> {
    const conn = new SMTPConnection(this.options);
    let failed: ((e: unknown) => void) | undefined;
    conn.on('error', (e) => failed?.(e));
    try {
      await new Promise<void>((resolve, reject) => { failed = reject; conn.connect(() => resolve()); });
      if (this.auth) await new Promise<void>((resolve, reject) => { failed = reject; conn.login(this.auth!, (err) => (err ? reject(err) : resolve())); });
      return { kind: 'sent', response: 'ok' };
    } catch (e) {
      return classifySmtp(e, 'connect', this.scrub);
    } finally {
      try { conn.quit(); } catch { /* already closed */ }
      conn.close();
    }
  }

  close(): void { /* one connection per message: nothing stays open */ }
}
