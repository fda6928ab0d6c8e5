// Response headers every request gets, computed once at start-up and set by one
// synchronous hook: the security headers (a CSP without inline script, frame denial,
// HSTS in production, and the rest of the usual hardening set), the request id, and
// no-store on API responses. The values are static, so nothing is rebuilt per request.
import type { FastifyInstance } from 'fastify';

const CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"], // Mantine sets inline style attributes
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export function securityHeaders(production: boolean): Record<string, string> {
  return {
    'content-security-policy': Object.entries(CSP)
      .map(([k, v]) => `${k} ${v.join(' ')}`)
      .join(';'),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(production ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

export function installResponseHeaders(app: FastifyInstance, opts: { production: boolean }) {
  const page = securityHeaders(opts.production);
  const api = { ...page, 'cache-control': 'no-store' };
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(req.url.startsWith('/api/') ? api : page);
    reply.header('x-request-id', req.id);
    done();
  });
}
