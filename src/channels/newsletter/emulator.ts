// SPDX-License-Identifier: EUPL-1.2
/**
 * A local SMTP server for tests and the sandbox (smtp-server), keeping every message it accepts parsed
 * by mailparser. It is no kinder than a real one: an address can be answered 4xx (try later) or 5xx
 * (no such mailbox) at RCPT TO, and the connection can be dropped after the message's final dot, before
 * the answer: the message was received (it is kept) but the sender never hears so, as when a link
 * dies at the worst moment.
 */
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Header names in lower case, values as the message wrote them (unfolded). */
  headers: Record<string, string>;
  raw: string;
  at: number;
}

export interface SmtpEmulator {
  url: string;
  port: number;
  messages(): ReceivedMail[];
  /** Messages sent to one address (lower case). */
  to(address: string): ReceivedMail[];
  /** 4xx at RCPT TO for this address (null: accept again). */
  tempFail(address: string, on?: boolean): void;
  /** 5xx at RCPT TO for this address. */
  permFail(address: string, on?: boolean): void;
  /** Keep the next `n` messages to this address, then drop the connection instead of answering 250. */
  dropAfterData(address: string, n?: number): void;
  /** Sign-ins seen (user names), when auth was offered. */
  logins(): string[];
  clear(): void;
  close(): Promise<void>;
}

export interface SmtpEmulatorOptions {
  port?: number;
  host?: string;
  /** When set, the server requires this user and password; otherwise auth is optional and any login is taken. */
  auth?: { user: string; pass: string };
  /** Called with each message kept (the sandbox prints them). */
  onMessage?: (m: ReceivedMail) => void;
}

export async function startSmtpEmulator(opts: SmtpEmulatorOptions = {}): Promise<SmtpEmulator> {
  const received: ReceivedMail[] = [];
  const temp = new Set<string>(), perm = new Set<string>();
  const drops = new Map<string, number>();
  const logins: string[] = [];
  const sockets = new Map<number, Socket>();
  const lc = (a: string) => a.trim().toLowerCase();

  const server = new SMTPServer({
    secure: false, disabledCommands: ['STARTTLS'], logger: false, size: 10 * 1024 * 1024,
    authOptional: !opts.auth,
    onAuth(auth, _session, cb) {
      logins.push(auth.username ?? '');
      if (opts.auth && (auth.username !== opts.auth.user || auth.password !== opts.auth.pass)) {
        return cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      }
      cb(null, { user: auth.username });
    },
    onRcptTo(address, _session, cb) {
      const a = lc(address.address);
      if (perm.has(a)) return cb(Object.assign(new Error('5.1.1 The email account that you tried to reach does not exist'), { responseCode: 550 }));
      if (temp.has(a)) return cb(Object.assign(new Error('4.2.1 Mailbox temporarily unavailable, try again later'), { responseCode: 450 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => lc(r.address));
        void simpleParser(raw).then((p) => {
          const headers: Record<string, string> = {};
          for (const line of p.headerLines) {
            const i = line.line.indexOf(':');
            headers[line.key] = line.line.slice(i + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
          }
          const mail: ReceivedMail = {
            from: p.from?.text ?? '', to, subject: p.subject ?? '', text: p.text ?? '', html: typeof p.html === 'string' ? p.html : '',
            messageId: p.messageId ?? '', headers, raw, at: Date.now(),
          };
          received.push(mail);
          opts.onMessage?.(mail);
          const dropFor = to.find((a) => (drops.get(a) ?? 0) > 0);
          if (dropFor) {
            drops.set(dropFor, drops.get(dropFor)! - 1);
            // The message is in; the answer never leaves.
            sockets.get(session.remotePort)?.destroy();
            return;
          }
          cb(null, 'Ok: queued');
        }, (e: Error) => cb(e));
      });
    },
  });
  server.on('error', () => undefined);
  const net = (server as unknown as { server: import('node:net').Server }).server;
  net.on('connection', (s: Socket) => {
    const port = s.remotePort!;
    sockets.set(port, s);
    s.on('close', () => sockets.delete(port));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port ?? 0, host, () => resolve()); });
  const port = (net.address() as { port: number }).port;
  return {
    url: opts.auth ? `smtp://${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@${host}:${port}` : `smtp://${host}:${port}`,
    port,
    messages: () => [...received],
    to: (address) => received.filter((m) => m.to.includes(lc(address))),
    tempFail: (a, on = true) => { if (on) temp.add(lc(a)); else temp.delete(lc(a)); },
    permFail: (a, on = true) => { if (on) perm.add(lc(a)); else perm.delete(lc(a)); },
    dropAfterData: (a, n = 1) => { drops.set(lc(a), n); },
    logins: () => [...logins],
    clear: () => { received.length = 0; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets.values()) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * The sandbox's mailbox: a small local page listing what the emulator received, newest first, each
 * message's text shown as text (its links clickable, so a demo user can confirm and unsubscribe).
 */
export async function startMailboxPage(em: Pick<SmtpEmulator, 'messages'>, opts: { port?: number; host?: string } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { html, safeHref } = await import('../../web/html.ts');
  const linked = (text: string) => text.split(/(https?:\/\/[^\s<>"]+)/g).map((part, i) => (i % 2 && safeHref(part) ? html`<a href="${safeHref(part)}">${part}</a>` : part));
  const server = createServer((req, res) => {
    if (req.url !== '/' && req.url !== '/posta') { res.writeHead(404).end(); return; }
    const mails = em.messages().reverse();
    const page = html`<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Posta del sandbox</title></head><body><main>
<h1>Posta ricevuta dal server SMTP del sandbox (${mails.length})</h1>
${mails.map((m) => html`<article><h2>${m.subject}</h2><p>A: ${m.to.join(', ')} · ${new Date(m.at).toLocaleString('it-IT')}</p>
${m.headers['list-unsubscribe'] ? html`<p>List-Unsubscribe: ${m.headers['list-unsubscribe']}<br>List-Unsubscribe-Post: ${m.headers['list-unsubscribe-post'] ?? ''}</p>` : ''}
<pre style="white-space: pre-wrap">${linked(m.text)}</pre></article><hr>`)}
</main></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page.value);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://${host}:${port}/posta`, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}
