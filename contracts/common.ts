// Shared API shapes. Every request schema is strict: unknown fields are an error.
import { z } from 'zod';

export const Id = z.uuid({ message: 'must be a UUID' });
export const IsoDate = z.iso
  .date({ message: 'must be a date as YYYY-MM-DD' })
  .refine((d) => d >= '0001-01-01', { message: 'must be a date from year 0001 on' });
export const IsoDateTime = z.string();

export const IdParams = z.strictObject({ id: Id });
export const PatientParams = z.strictObject({ patientId: Id });
export const PatientChildParams = z.strictObject({ patientId: Id, id: Id });

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ProblemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    problems: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const Ok = z.object({ ok: z.literal(true) });
