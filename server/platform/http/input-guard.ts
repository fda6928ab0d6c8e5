// What a request may carry, checked before any route runs:
// - JSON only in UTF-8: a Content-Type naming another charset is refused (415), not
//   decoded as UTF-8 (a route with its own parser, like the HL7 route, decides its own);
// - a body only where the route takes one (a schema for it): anything else is refused
//   (400), not ignored;
// - no text PostgreSQL cannot store (the NUL character) in the body, query or path
//   parameters (400 naming the field).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

const UTF8 = /^utf-?8$/i;

/** The charset parameter of a Content-Type, unquoted; undefined when there is none. */
function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? '') : undefined;
}

/** The request has a body (a positive Content-Length, or chunked). */
const hasBody = (headers: Record<string, string | string[] | undefined>) =>
  headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');

function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return `${path}.${k.replace(/\u0000/g, '\\0')}`;
    const hit = findNul(v, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

export function installInputGuard(app: FastifyInstance) {
  // Fastify's own JSON parser (prototype-poisoning protection kept), behind a charset check.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const contentType = req.headers['content-type'];
    const charset = charsetOf(contentType);
    if (charset !== undefined && !UTF8.test(charset)) {
      const named = String(contentType).slice(0, 100);
      done(
        new AppError({
          code: 'unsupported_media_type',
          status: 415,
          message: `Content-Type ${named} is not supported: send JSON in UTF-8 (application/json or application/json; charset=utf-8).`,
          problems: [{ field: 'content-type', message: `charset ${charset.slice(0, 40)} is not supported; use utf-8` }],
        }),
        undefined,
      );
      return;
    }
    parseJson(req, body as string, done);
  });

  // Before the body is read: a route without a body schema takes no body.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.routeOptions.url && !req.routeOptions.schema?.body && hasBody(req.headers)) {
      throw new AppError({
        code: 'body_not_allowed',
        status: 400,
        message: `${req.method} ${req.routeOptions.url} takes no request body; send none.`,
        problems: [{ field: 'body', message: 'is not allowed here' }],
      });
    }
    return payload;
  });

  app.addHook('preValidation', async (req) => {
    const field = findNul(req.params, 'params') ?? findNul(req.query, 'query') ?? findNul(req.body, 'body');
    if (field) {
      throw new AppError({
        code: 'invalid_input',
        status: 400,
        message: `${field} contains a NUL character, which cannot be stored.`,
        problems: [{ field, message: 'must not contain NUL characters' }],
      });
    }
  });
}
