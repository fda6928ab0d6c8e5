// Shared API shapes. Every request schema is strict: unknown fields are an error.
import { z } from 'zod';

export const Id = z.uuid({ message: 'must be a UUID' });
export const IsoDate = z.iso.date({ message: 'must be a date as YYYY-MM-DD' }).refine((d) => d >= '0001-01-01', { message: 'must be a date from year 0001 on' });
export const IsoDateTime = z.string();

/** What an idempotency key may be (the Idempotency-Key header, or a key in a body): 1–200 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** A key in a request body: any string unique to one action; a repeat with the same key is recorded once. */
export const IdempotencyKey = z.string().regex(IDEMPOTENCY_KEY_PATTERN, { message: 'must be 1–200 visible ASCII characters' });
export const IdParams = z.strictObject({ id: Id });
export const PatientParams = z.strictObject({ patientId: Id });
export const PatientChildParams = z.strictObject({ patientId: Id, id: Id });

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};

/**
 * Why a field was refused (a problem's `reason`), for clients that word it themselves: the
 * console does, in the user's language. The request's schema gives one for every field it
 * refuses; a use case's own checks give a message only.
 */
export const FIELD_REASONS = [
  'required',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'too_few',
  'too_many',
  'not_allowed',
  'invalid_format',
  'invalid_type',
  'unknown_field',
  'invalid',
] as const;
export type FieldReason = (typeof FIELD_REASONS)[number];

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * Every error the API answers, as application/problem+json (RFC 9457), the `Problem` schema
 * of the OpenAPI document. Clients branch on `code`, show `detail`, and point at `problems`.
 */
export const ProblemDetails = z.object({
  type: z.string().describe('A URI naming the kind of problem: https://waypoint.health/problems/<code>.'),
  title: z.string().describe('The HTTP status in words, e.g. "Bad request".'),
  status: z.number().int().min(400).max(599).describe('The HTTP status code.'),
  code: z.string().describe('Stable machine-readable code to branch on, e.g. invalid_input, not_found, stale_version (docs/api.md lists them).'),
  detail: z.string().describe('What went wrong, safe to show to the person using the client.'),
  requestId: z.string().describe('The request id, to quote when reporting a problem (the server log carries the same id).'),
  problems: z
    .array(
      z.object({
        field: z.string().describe('Where the input is at fault: body.<path>, query.<name>, params.<name>, header.<name>, content-type, url.'),
        message: z.string().describe('What is wrong with it, in English.'),
        reason: z
          .enum(FIELD_REASONS)
          .optional()
          .describe(
            'Why, for a client that words it in its own language; given for every field the request schema refuses: required, too_short / too_long (text, limit in characters), too_small / too_large (a number, limit inclusive), too_few / too_many (a list, limit in items), not_allowed (not one of the allowed values), invalid_format, invalid_type, unknown_field, invalid (another rule: the message says which).',
          ),
        limit: z.number().optional().describe('The bound the value passed, for too_short, too_long, too_small, too_large, too_few and too_many.'),
      }),
    )
    .optional()
    .describe('For bad input: each field at fault.'),
});

export const Ok = z.object({ ok: z.literal(true) });
