// Running a use case: one transaction per request, and Idempotency-Key support for
// creates (the stored response is returned to a retry; the same key with a different
// request is refused).
import { and, eq } from 'drizzle-orm';
import { IDEMPOTENCY_KEY_PATTERN } from '../../../contracts/common.ts';
import type { FastifyRequest } from 'fastify';
import { type Db, type Tx, inTransaction, oneStatement } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { sha256 } from '../security.ts';
import type { Ctx } from './context.ts';
import { idempotencyKeys } from './idempotency.tables.ts';

export type UseCaseDeps = { tx: Tx; ctx: Ctx };

export function runInTx<T>(db: Db, req: FastifyRequest, fn: (deps: UseCaseDeps) => Promise<T>): Promise<T> {
  return inTransaction(db, (tx) => fn({ tx, ctx: req.ctx }));
}

/**
 * For a use case that is one SQL statement (its audit row in a CTE of the same
 * statement): atomic on its own, so it runs without BEGIN/COMMIT round trips.
 */
export function runStatement<T>(db: Db, req: FastifyRequest, fn: (deps: UseCaseDeps) => Promise<T>): Promise<T> {
  return fn({ tx: oneStatement(db), ctx: req.ctx });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route honours Idempotency-Key (runs its use case through runIdempotent); the OpenAPI document says so. */
    idempotent?: boolean;
  }
}

/**
 * Runs a create with the request's Idempotency-Key (if any), in one transaction with
 * the key's row: concurrent retries wait on the key and then get the first response.
 */
export async function runIdempotent<T>(db: Db, req: FastifyRequest, fn: (deps: UseCaseDeps) => Promise<T>, opts: { singleStatement?: boolean } = {}): Promise<{ body: T; replayed: boolean }> {
  // the document tells clients which routes honour the key: a route that does must say so
  if (req.routeOptions.config.idempotent !== true) {
    throw new AppError({
      code: 'internal_error',
      status: 500,
      message: 'Something went wrong on our side. Nothing was saved.',
      internal: `${req.method} ${req.routeOptions.url} runs runIdempotent without config.idempotent`,
    });
  }
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return { body: await (opts.singleStatement ? runStatement : runInTx)(db, req, fn), replayed: false };
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    throw new AppError({
      code: 'invalid_input',
      status: 400,
      message: 'Idempotency-Key must be 1–200 visible ASCII characters.',
      problems: [{ field: 'header.idempotency-key', message: 'must be 1–200 visible ASCII characters' }],
    });
  }
  const ctx = req.ctx;
  const scope = ctx.program?.programId ?? ctx.orgId!;
  const route = `${req.method} ${req.routeOptions.url}`;
  const requestHash = sha256(JSON.stringify([req.params ?? null, req.body ?? null]));
  return inTransaction(db, async (tx) => {
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ scope, key: raw, userId: ctx.principal?.userId ?? scope, route, requestHash, status: 0, response: null, createdAt: ctx.now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [prior] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, raw)));
      if (!prior || prior.route !== route || prior.requestHash !== requestHash) {
        throw new AppError({
          code: 'idempotency_key_reused',
          status: 422,
          message: 'This Idempotency-Key was already used for a different request.',
          problems: [{ field: 'header.idempotency-key', message: 'was used for a different request' }],
        });
      }
      return { body: prior.response as T, replayed: true };
    }
    const body = await fn({ tx, ctx });
    await tx
      .update(idempotencyKeys)
      .set({ status: 200, response: body as object })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, raw)));
    return { body, replayed: false };
  });
}
