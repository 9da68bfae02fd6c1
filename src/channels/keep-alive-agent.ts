// SPDX-License-Identifier: EUPL-1.2
/**
 * The HTTP agents the network SDKs post through: connections kept open between posts, but closed by us
 * once idle for IDLE_SOCKET_MS, before the server closes them.
 *
 * Why: a server drops an idle keep-alive connection after its own timeout (Node's own servers after 5 s,
 * many proxies after a few seconds more). A post written to a connection at the moment the server closes
 * it fails with "socket hang up", and its outcome is unknown: the post is then in doubt and waits for
 * reconciliation, seconds later. With Node's default agent the connections of a quiet account were kept
 * for ever and met that race after every pause of about five seconds (seen in `npm run bench -- --only
 * held`: a few posts of 4,000 in doubt after each resume, the drain's end 15 s late).
 */
import * as http from 'node:http';
import * as https from 'node:https';

/** Shorter than the shortest idle timeout servers commonly use (5 s). */
export const IDLE_SOCKET_MS = 4_000;

export function keepAliveAgent(protocol: string, idleMs: number = IDLE_SOCKET_MS): http.Agent {
  // `timeout` is an idle socket's lifetime in the pool (a request in flight has its own timeout, set by
  // the SDK, which replaces it while the request runs).
  const options = { keepAlive: true, timeout: idleMs };
  return protocol === 'http:' ? new http.Agent(options) : new https.Agent(options);
}
