// SPDX-License-Identifier: EUPL-1.2
/**
 * The SDKs' connections are closed by us once idle, before a server's own idle timeout can close one
 * just as a post is written to it ("socket hang up": a post in doubt). The server here keeps idle
 * connections for a minute, so only the client can be the one that closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createXClient } from '../../../src/channels/twitter/sdk.ts';
import { keepAliveAgent, IDLE_SOCKET_MS } from '../../../src/channels/keep-alive-agent.ts';

let server: Server | undefined;
afterEach(async () => { await new Promise((r) => server ? server.close(r) : r(undefined)); server = undefined; });

async function patientServer(): Promise<{ url: string; closed: Promise<number>; opened: () => number }> {
  let opened = 0;
  let resolveClosed!: (at: number) => void;
  const closed = new Promise<number>((r) => { resolveClosed = r; });
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { id: '1', text: 'ok' } })));
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => { opened++; s.on('close', () => resolveClosed(Date.now())); });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed, opened: () => opened };
}

describe('keep-alive connections of the network SDKs', () => {
  it('X: the connection is reused while busy and closed by the client once idle', async () => {
    const s = await patientServer();
    const client = createXClient({ apiBaseUrl: s.url, appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' }, { timeoutMs: 5000, idleSocketMs: 300 });
    await client.v2.post('tweets', { text: 'uno' });
    await client.v2.post('tweets', { text: 'due' });
    expect(s.opened()).toBe(1);
    const idleFrom = Date.now();
    const at = await s.closed;
    expect(at - idleFrom).toBeLessThan(5000);
  });

  it('the agents keep idle connections for less than the 5 s after which Node servers close them', () => {
    expect(IDLE_SOCKET_MS).toBeLessThan(5000);
    expect((keepAliveAgent('http:') as unknown as { options: { timeout?: number } }).options.timeout).toBe(IDLE_SOCKET_MS);
    expect((keepAliveAgent('https:') as unknown as { options: { timeout?: number } }).options.timeout).toBe(IDLE_SOCKET_MS);
  });
});
