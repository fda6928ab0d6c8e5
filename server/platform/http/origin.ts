// Where the public reaches this server: the configured WAYPOINT_PUBLIC_URL, or else the
// scheme and host of the request itself. Fastify believes X-Forwarded-Proto and
// X-Forwarded-Host (req.protocol, req.host) only from the proxies WAYPOINT_TRUST_PROXY
// names (the trustProxy option); from anyone else they are ignored.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** scheme://host[:port] of a URL, with the default port dropped; null if it is not an http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The origin this request was sent to, as far as the server can trust it (null when the Host is not a host). */
export function requestOrigin(req: FastifyRequest): string | null {
  const host = req.host;
  if (!host || /[/?#@\\\s]/.test(host)) return null;
  return originOf(`${req.protocol}://${host}`);
}

/** The base of public links: WAYPOINT_PUBLIC_URL when set, else the request's own (trusted) origin. */
export function publicBase(req: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? requestOrigin(req) ?? 'http://localhost';
}

const refused = () => new AppError({ code: 'bad_origin', status: 403, message: 'This request came from another site and was refused.' });

/**
 * Same-origin check for every state-changing request a browser sends: its Origin must be
 * WAYPOINT_PUBLIC_URL when that is set, else the scheme, host and port the request was
 * sent to (forwarded headers only from a trusted proxy). A request without Origin is not
 * a browser's (an API client, the CLI, a test) and passes.
 */
export function installOriginCheck(app: FastifyInstance, opts: { publicUrl?: string | undefined }) {
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const origin = req.headers.origin;
    if (origin === undefined) return;
    const expected = opts.publicUrl ?? requestOrigin(req);
    if (expected === null || originOf(origin) !== expected) throw refused();
  });
}
