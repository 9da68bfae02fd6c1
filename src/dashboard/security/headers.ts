/**
 * Security headers on every answer. Our pages run no inline script (the live-update code is a file), so
 * the CSP can forbid it; bull-board's bundled UI needs inline styles, so /queues gets those only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const BASE = "default-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

export function securityHeaders(queuesPath: string) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const inQueues = req.url === queuesPath || req.url.startsWith(`${queuesPath}/`);
    reply.header('Content-Security-Policy', inQueues ? `${BASE}; style-src 'self' 'unsafe-inline'; font-src 'self' data:` : `${BASE}; style-src 'self'`);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    // Pages show live operational data: never from a cache.
    reply.header('Cache-Control', 'no-store');
  };
}
