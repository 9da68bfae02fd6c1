// SPDX-License-Identifier: EUPL-1.2
/**
 * State-changing requests must come from the dashboard's own pages. A browser says where a request comes
 * from (Origin, Sec-Fetch-Site); scripts such as curl send neither, and are judged by their credentials.
 */
import type { FastifyRequest } from 'fastify';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE.has(method.toUpperCase());
}

/** The origin our pages are served from: `publicUrl` when set (behind a proxy), else the Host we answered. */
export function ownOrigin(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return `${req.protocol}://${req.headers.host ?? ''}`;
}

export function isCrossSite(req: FastifyRequest, publicUrl: string | undefined): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  // The browser itself vouches for the request coming from our pages (it may still send Origin: null).
  if (site === 'same-origin') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  return origin !== ownOrigin(req, publicUrl);
}
