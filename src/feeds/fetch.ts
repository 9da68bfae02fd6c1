// SPDX-License-Identifier: EUPL-1.2
/**
 * HTTP fetch of one feed, polite and bounded: conditional GET, gzip with a cap on *decompressed* bytes,
 * a streamed byte cap, connect and total timeouts (a server dripping one byte a second still hits the
 * total), manual and bounded redirects, Retry-After on 429/503, an identifying User-Agent, and at most
 * `perHost` requests at once per host (a poll that finds its host busy gets a turn: host-limiter.ts).
 * Never throws anything but FeedError.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { FeedError } from './errors.ts';
import { defaultHostLimiter, type HostLimiter } from './host-limiter.ts';

export interface Validators { etag?: string; lastModified?: string; bodyHash?: string }

export type FetchResult =
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'ok'; body: Buffer; contentType?: string; finalUrl: string; validators: Validators; unchanged: boolean };

export interface FetchOptions {
  validators?: Validators;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  perHost?: number;
  /**
   * When the host has no free slot: wait up to this long for a turn (HostBusyError with retryInMs) if
   * the host is fast; without it, or for a really slow host, the fetch fails as "host busy".
   */
  busyRetryWithinMs?: number;
  /** For tests; defaults to the process-wide limiter. */
  limiter?: HostLimiter;
}

interface Hop { status: number; headers: http.IncomingHttpHeaders; body?: Buffer }

/** Retry-After in ms: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function networkReason(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset by the server';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `TLS error (${code})`;
  return `network error${code ? ` (${code})` : ''}`;
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'gzip' || e === 'x-gzip') return zlib.createGunzip();
  if (e === 'deflate') return zlib.createInflate();
  if (e === 'br') return zlib.createBrotliDecompress();
  return undefined;
}

/** One request, body read only for 2xx; everything torn down on `signal`. */
function request(url: URL, headers: Record<string, string>, opts: FetchOptions, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, { method: 'GET', headers, agent: false });
    let connectTimer: NodeJS.Timeout | undefined = setTimeout(() => {
      req.destroy(new FeedError(`could not connect within ${opts.connectTimeoutMs} ms`));
    }, opts.connectTimeoutMs);
    const clearConnect = () => { if (connectTimer) { clearTimeout(connectTimer); connectTimer = undefined; } };
    const onAbort = () => {
      const reason = signal.reason instanceof Error ? signal.reason : new FeedError('aborted');
      reject(reason); // settle first: the teardown below emits its own, less telling errors
      req.destroy(reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => { clearConnect(); signal.removeEventListener('abort', onAbort); };
    req.on('socket', (socket) => {
      if (!socket.connecting) clearConnect();
      else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', clearConnect);
    });
    req.on('error', (err) => { done(); reject(err); });
    req.on('response', (res) => {
      clearConnect();
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        res.resume();
        done();
        resolve({ status, headers: res.headers });
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (!res.headers['content-encoding'] && Number.isFinite(declared) && declared > opts.maxBytes) {
        done();
        req.destroy();
        reject(new FeedError(`body larger than ${opts.maxBytes} bytes`));
        return;
      }
      let stream: Readable = res;
      const decoder = decoderFor(res.headers['content-encoding']);
      if (decoder) {
        res.on('error', (e) => decoder.destroy(e));
        stream = res.pipe(decoder);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) {
          const what = decoder ? 'decompressed body' : 'body';
          const tooBig = new FeedError(`${what} larger than ${opts.maxBytes} bytes`);
          done();
          reject(tooBig);
          stream.destroy(tooBig);
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (err) => {
        done();
        req.destroy();
        reject(err instanceof FeedError ? err : new FeedError(decoder ? `bad ${res.headers['content-encoding']} body` : networkReason(err)));
      });
      stream.on('end', () => { done(); resolve({ status, headers: res.headers, body: Buffer.concat(chunks, size) }); });
      res.on('aborted', () => stream.destroy(new FeedError('connection closed before the body ended')));
    });
    req.end();
  });
}

function header(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

async function fetchOnce(startUrl: string, opts: FetchOptions): Promise<FetchResult> {
  let url: URL;
  try { url = new URL(startUrl); } catch { throw new FeedError('invalid feed URL'); }
  const controller = new AbortController();
  const total = setTimeout(() => controller.abort(new FeedError(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
  const visited = new Set<string>();
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FeedError(`unsupported URL scheme ${url.protocol}`);
      visited.add(url.href);
      const headers: Record<string, string> = {
        'user-agent': opts.userAgent,
        'accept-encoding': 'gzip, deflate',
        accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/ld+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1',
      };
      if (opts.validators?.etag) headers['if-none-match'] = opts.validators.etag;
      if (opts.validators?.lastModified) headers['if-modified-since'] = opts.validators.lastModified;
      const res = await request(url, headers, opts, controller.signal);
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const location = header(res.headers, 'location');
        if (!location) throw new FeedError(`HTTP ${res.status} redirect without Location`);
        let next: URL;
        try { next = new URL(location, url); } catch { throw new FeedError(`HTTP ${res.status} redirect to an invalid URL`); }
        if (visited.has(next.href)) throw new FeedError('redirect loop');
        if (hop + 1 > opts.maxRedirects) throw new FeedError(`too many redirects (more than ${opts.maxRedirects})`);
        url = next;
        continue;
      }
      const etag = header(res.headers, 'etag');
      const lastModified = header(res.headers, 'last-modified');
      if (res.status === 304) {
        return { kind: 'not-modified', validators: { etag: etag ?? opts.validators?.etag, lastModified: lastModified ?? opts.validators?.lastModified, bodyHash: opts.validators?.bodyHash } };
      }
      if (res.status === 429 || res.status === 503) {
        const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'));
        const label = res.status === 429 ? 'rate limited (HTTP 429)' : 'service unavailable (HTTP 503)';
        throw new FeedError(retryAfterMs === undefined ? label : `${label}, retry after ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs });
      }
      if (res.status < 200 || res.status >= 300 || !res.body) throw new FeedError(`HTTP ${res.status}`);
      const bodyHash = createHash('sha256').update(res.body).digest('hex');
      const validators: Validators = {};
      if (etag) validators.etag = etag;
      if (lastModified) validators.lastModified = lastModified;
      validators.bodyHash = bodyHash;
      return {
        kind: 'ok', body: res.body, contentType: header(res.headers, 'content-type'), finalUrl: url.href, validators,
        unchanged: opts.validators?.bodyHash === bodyHash,
      };
    }
  } catch (err) {
    if (err instanceof FeedError) throw err;
    throw new FeedError(networkReason(err as NodeJS.ErrnoException), { cause: err });
  } finally {
    clearTimeout(total);
  }
}

export async function fetchFeed(url: string, opts: FetchOptions): Promise<FetchResult> {
  let host: string;
  try { host = new URL(url).host; } catch { throw new FeedError('invalid feed URL'); }
  const limiter = opts.limiter ?? defaultHostLimiter;
  try {
    return await limiter.run(host, opts.perHost ?? 2, () => fetchOnce(url, opts), { timeoutMs: opts.timeoutMs, ...(opts.busyRetryWithinMs !== undefined ? { retryWithinMs: opts.busyRetryWithinMs } : {}) });
  } catch (err) {
    throw err instanceof FeedError ? err : new FeedError(`fetch failed: ${String(err)}`);
  }
}
