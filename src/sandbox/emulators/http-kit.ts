// SPDX-License-Identifier: EUPL-1.2
/**
 * The small HTTP toolkit both emulators share: start a node:http server on 127.0.0.1 (port 0 by default),
 * read bodies (JSON or form), answer JSON, and close without waiting for hung requests. Emulators must
 * be able to hold a request forever (the "hang" fault), so close() destroys every open socket.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>;

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(handler: Handler, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString('utf8'))).catch((e: unknown) => {
        // A bug in an emulator must show up as a 500 the SDK can see, never as a crash of the test process.
        if (!res.headersSent) sendJson(res, 500, { title: 'Emulator error', detail: String((e as Error)?.message ?? e) });
        else res.destroy();
      });
    });
  });
  // Keep-alive clients (the SDK agents) must not keep the server open after close().
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** JSON or application/x-www-form-urlencoded; anything unreadable is an empty object (the emulator then answers 400). */
export function parseBody(req: http.IncomingMessage, body: string): Record<string, unknown> {
  if (!body) return {};
  const type = String(req.headers['content-type'] ?? '');
  try {
    if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Parses an `Authorization: OAuth k="v", …` header into its (percent-decoded) parameters. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header || !/^OAuth\s/i.test(header)) return out;
  for (const m of header.slice(6).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) out[m[1]!] = decodeURIComponent(m[2]!);
  return out;
}

/**
 * Routes `/__control/<name>` to a method of the emulator, so an out-of-process test drives it over HTTP
 * exactly as an in-process test calls the method. GET answers the method's result; POST passes the JSON
 * body's `args` array (or the body itself as the single argument).
 */
export async function handleControl(
  controls: Record<string, (...args: any[]) => unknown>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string,
): Promise<void> {
  const name = new URL(req.url ?? '/', 'http://x').pathname.slice('/__control/'.length);
  const fn = Object.hasOwn(controls, name) ? controls[name] : undefined;
  if (!fn) return sendJson(res, 404, { error: `unknown control "${name}"`, controls: Object.keys(controls) });
  let parsed: unknown = {};
  try { parsed = body ? JSON.parse(body) : {}; } catch { return sendJson(res, 400, { error: 'body must be JSON' }); }
  const args = parsed && typeof parsed === 'object' && Array.isArray((parsed as { args?: unknown }).args)
    ? (parsed as { args: unknown[] }).args
    : body ? [parsed] : [];
  const result = await fn(...args);
  sendJson(res, 200, { ok: true, result: result ?? null });
}

/** Calls a control of an emulator running in another process (see handleControl). */
export async function callControl(baseUrl: string, name: string, ...args: unknown[]): Promise<unknown> {
  const res = await fetch(`${baseUrl}/__control/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ args }),
  });
  const json = (await res.json()) as { ok?: boolean; result?: unknown; error?: string };
  if (!res.ok || !json.ok) throw new Error(`control ${name} failed: ${json.error ?? res.status}`);
  return json.result;
}
