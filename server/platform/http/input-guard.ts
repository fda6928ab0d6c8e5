// Refuses text PostgreSQL cannot store (the NUL character) anywhere in a request's
// body, query or path parameters, naming the field, before any route runs.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

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
  app.addHook('preValidation', async (req) => {
    const field = findNul(req.params, 'params') ?? findNul(req.query, 'query') ?? findNul(req.body, 'body');
    if (field) {
      throw new AppError({ code: 'invalid_input', status: 400, message: `${field} contains a NUL character, which cannot be stored.`, problems: [{ field, message: 'must not contain NUL characters' }] });
    }
  });
}
