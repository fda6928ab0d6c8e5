// The one error type. `code` is stable (clients branch on it), `status` is the HTTP
// status, `publicMessage` is safe to show anyone, `field` names the offending input
// (a JSON path like "body.birthDate"). `internal` stays in the server log and never
// contains patient data.
import type { FieldReason } from '../../contracts/common.ts';
import type { AuditRecord } from './audit.ts';

/** A field at fault: where, what is wrong (English), and, from the request's schema, why (with the limit it passed). */
export type Problem = { field: string; message: string; reason?: FieldReason; limit?: number };

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly publicMessage: string;
  readonly problems: Problem[];
  /**
   * A refusal to record: the request's transaction rolls back with the error, so the auth
   * hook writes this row in a transaction of its own once the error is answered.
   */
  readonly audit: AuditRecord | undefined;

  constructor(opts: { code: string; status: number; message: string; internal?: string; problems?: Problem[]; audit?: AuditRecord }) {
    super(opts.internal ?? opts.message);
    this.code = opts.code;
    this.status = opts.status;
    this.publicMessage = opts.message;
    this.problems = opts.problems ?? [];
    this.audit = opts.audit;
  }
}

export const notFound = (entity: string) => new AppError({ code: 'not_found', status: 404, message: `${entity} not found.` });

export const forbidden = (message = 'You do not have permission to do this.') => new AppError({ code: 'forbidden', status: 403, message });

export const unauthenticated = (message = 'Sign in to continue.') => new AppError({ code: 'unauthenticated', status: 401, message });

export const conflict = (code: string, message: string, field?: string) => new AppError({ code, status: 409, message, problems: field ? [{ field, message }] : [] });

export const invalid = (field: string, message: string, code = 'invalid_input') => new AppError({ code, status: 400, message, problems: [{ field, message }] });

/** A PostgreSQL error as the driver reports it: its SQLSTATE and, for a constraint violation, the constraint. */
export type PgError = { code: string; constraint?: string };

/** The PostgreSQL error inside `err` (drizzle wraps the driver's error in `cause`), or undefined when the database did not refuse. */
export function pgErrorOf(err: unknown): PgError | undefined {
  for (let e = err as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return { code: e.code, ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}) };
  }
  return undefined;
}
