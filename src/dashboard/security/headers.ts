// SPDX-License-Identifier: EUPL-1.2
/**
 * Security headers on every answer. Our pages run no inline script (the live-update code is a file), so
 * the CSP can forbid it; bull-board's bundled UI needs inline styles and
 * its own <base href>, so /queues gets those only (it still loads no script from elsewhere).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const BASE = "default-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

export function securityHeaders(queuesPath: string) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const inQueues = req.url === queuesPath || req.url.startsWith(`${queuesPath}/`);
    reply.header('Content-Security-Policy', inQueues ? `${BASE}; base-uri 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:` : `${BASE}; base-uri 'none'; style-src 'self'`);
    reply.header('X-Content-Type-Options', 'nosniff');
    // Not `no-referrer`: with it Chromium sends `Origin: null` on our own form posts. `same-origin` still
    // tells other sites (a permalink on X or Facebook) nothing.
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    // Pages show live operational data: never from a cache.
    reply.header('Cache-Control', 'no-store');
  };
}
