// One error handler: every failure leaves as application/problem+json with a stable
// code, a user-safe message and, for bad input, the fields at fault. No stack traces,
// SQL or patient data ever reach a client or the log.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from '@fastify/type-provider-zod';
import type { FieldReason } from '../../../contracts/common.ts';
import { AppError, pgErrorOf, type Problem } from '../errors.ts';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  423: 'Locked',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function sendProblem(reply: FastifyReply, req: FastifyRequest, status: number, code: string, detail: string, problems?: Problem[]) {
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send({
      type: `https://waypoint.health/problems/${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail,
      requestId: req.id,
      ...(problems && problems.length > 0 ? { problems } : {}),
    });
}

/**
 * What a unique constraint means to the person who hit it. Checks in use cases give
 * the same answers first; these cover the race where two requests pass the check.
 */
const UNIQUE_CONSTRAINTS: Record<string, { code: string; field: string; message: string }> = {
  patients_mrn_key: { code: 'mrn_taken', field: 'body.mrn', message: 'Another patient in this programme has this MRN.' },
  users_email_key: { code: 'email_taken', field: 'body.email', message: 'An account with this email already exists.' },
};

/** The value at `path` of what was validated (the body, the query, the path's parameters or the headers). */
function valueAt(input: unknown, path: readonly string[]): unknown {
  let v = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * Why zod refused a field, as a reason a client can word (Problem.reason), with the limit
 * passed when the reason has one: a string's length, a number's bound (only an inclusive
 * one: "at least 1", never "more than 0"), a list's size. An empty text that must have one
 * character is `required`, as is a field left out.
 */
function fieldReason(code: string, params: Record<string, unknown>, missing: boolean): Pick<Problem, 'reason' | 'limit'> {
  const origin = params.origin;
  const bound = (limit: unknown, reason: FieldReason) => (typeof limit === 'number' && params.inclusive !== false ? { reason, limit } : { reason });
  switch (code) {
    case 'invalid_type':
      return { reason: missing ? 'required' : 'invalid_type' };
    case 'too_small':
      if (origin === 'string') return params.minimum === 1 ? { reason: 'required' } : bound(params.minimum, 'too_short');
      if (origin === 'array' || origin === 'set') return bound(params.minimum, 'too_few');
      if (origin === 'number' || origin === 'int' || origin === 'bigint') return bound(params.minimum, 'too_small');
      return { reason: 'invalid' };
    case 'too_big':
      if (origin === 'string') return bound(params.maximum, 'too_long');
      if (origin === 'array' || origin === 'set') return bound(params.maximum, 'too_many');
      if (origin === 'number' || origin === 'int' || origin === 'bigint') return bound(params.maximum, 'too_large');
      return { reason: 'invalid' };
    case 'invalid_value':
      return { reason: 'not_allowed' };
    case 'invalid_format':
      return { reason: 'invalid_format' };
    default:
      return { reason: 'invalid' };
  }
}

const VALIDATED: Record<string, (req: FastifyRequest) => unknown> = {
  body: (req) => req.body,
  querystring: (req) => req.query,
  params: (req) => req.params,
  headers: (req) => req.headers,
};

export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ code: err.code }, err.message);
      return sendProblem(reply, req, err.status, err.code, err.publicMessage, err.problems);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext ?? 'body';
      const input = VALIDATED[where]?.(req);
      const problems = err.validation.flatMap((v): Problem[] => {
        const path = (v.instancePath || '').split('/').filter(Boolean);
        const params = (v.params ?? {}) as Record<string, unknown>;
        const keys = params.keys as string[] | undefined;
        if (v.keyword === 'unrecognized_keys' && keys?.length) {
          return keys.map((k) => ({ field: [where, ...path, k].join('.'), message: 'is not a known field', reason: 'unknown_field' }));
        }
        return [{ field: [where, ...path].join('.'), message: v.message ?? 'is invalid', ...fieldReason(v.keyword, params, valueAt(input, path) === undefined) }];
      });
      return sendProblem(reply, req, 400, 'invalid_input', `The request is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ code: 'response_serialization' }, 'response did not match its schema');
      return sendProblem(reply, req, 500, 'internal_error', 'Something went wrong on our side. Nothing was saved if the request failed.');
    }
    const fe = err as FastifyError;
    const pgErr = pgErrorOf(err);
    if (pgErr?.code === '23505') {
      const known = pgErr.constraint ? UNIQUE_CONSTRAINTS[pgErr.constraint] : undefined;
      if (known) return sendProblem(reply, req, 409, known.code, known.message, [{ field: known.field, message: known.message }]);
      return sendProblem(reply, req, 409, 'conflict', 'This conflicts with a record that already exists.');
    }
    if (pgErr?.code === '23503') return sendProblem(reply, req, 409, 'reference_missing', 'This refers to a record that does not exist.');
    if (pgErr?.code === '40001' || pgErr?.code === '40P01') {
      return sendProblem(reply, req, 503, 'retry', 'The server was busy with a conflicting change. Please try again.');
    }
    // Class 22 (data exception): a value the database cannot store, e.g. out of range.
    if (pgErr?.code?.startsWith('22')) return sendProblem(reply, req, 400, 'invalid_input', 'A value in the request is out of range or cannot be stored.');
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendProblem(reply, req, 400, 'malformed_json', 'The request body is not valid JSON.', [{ field: 'body', message: 'is not valid JSON' }]);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, req, 413, 'body_too_large', 'The request body is too large.', [{ field: 'body', message: 'is too large' }]);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(reply, req, 415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json.', [{ field: 'content-type', message: 'must be application/json' }]);
      case 'FST_ERR_VALIDATION':
        return sendProblem(reply, req, 400, 'invalid_input', 'The request is not valid.');
    }
    if (fe.statusCode === 429) return sendProblem(reply, req, 429, 'rate_limited', 'Too many attempts. Wait a minute and try again.');
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(reply, req, fe.statusCode, 'bad_request', 'The request could not be processed.');
    }
    // Log the code and name only: driver messages can carry values from the row.
    req.log.error({ err: { name: err.name, code: pgErr?.code ?? fe.code, constraint: pgErr?.constraint } }, 'unhandled error');
    return sendProblem(reply, req, 500, 'internal_error', 'Something went wrong on our side. Nothing was saved if the request failed.');
  });

  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, 404, 'route_not_found', 'There is no such endpoint.'));
}
