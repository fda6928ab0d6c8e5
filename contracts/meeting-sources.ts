// Meeting sources and imports over HTTP (issue 15, docs/meetings.md "Sources and import").
import { z } from 'zod';
import { FELLOWSHIPS } from '../core/meetings/model.ts';
import { Id, IsoDateTime } from './common.ts';

export const SourceParams = z.strictObject({ id: Id });

const Url = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/i, { message: 'must be an http(s) address' });

export const SourceCreate = z.strictObject({
  name: z.string().trim().min(1).max(120),
  format: z.enum(['meeting-guide', 'bmlt']),
  url: Url.nullable().optional(),
  defaultTimeZone: z.string().min(1).max(64),
  refreshHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  defaultFellowship: z.enum(FELLOWSHIPS).nullable().optional(),
  active: z.boolean().optional(),
});
export const SourceUpdate = SourceCreate.partial();

export const Rejected = z.object({ index: z.number().int(), problems: z.array(z.string()) });

export const ImportResult = z.object({ added: z.number().int(), updated: z.number().int(), inactivated: z.number().int(), rejected: z.array(Rejected) });

export const MeetingSource = z.object({
  id: Id,
  name: z.string(),
  format: z.enum(['meeting-guide', 'bmlt']),
  url: z.string().nullable(),
  defaultTimeZone: z.string(),
  refreshHours: z.number().int(),
  defaultFellowship: z.enum(FELLOWSHIPS).nullable(),
  active: z.boolean(),
  lastImportAt: IsoDateTime.nullable(),
  lastFetchAt: IsoDateTime.nullable(),
  /** The last import's counts; `rejected` holds at most 200 records, `rejectedCount` all of them. */
  lastImportResult: z
    .object({ added: z.number().int(), updated: z.number().int(), inactivated: z.number().int(), unchanged: z.number().int(), rejectedCount: z.number().int(), rejected: z.array(Rejected) })
    .nullable(),
  /** Why the last fetch failed (a status or a network error), if it did. */
  lastError: z.string().nullable(),
  meetings: z.object({ active: z.number().int(), inactive: z.number().int() }),
  createdAt: IsoDateTime,
});

export const MeetingSourceList = z.object({ sources: z.array(MeetingSource) });

/** An upload: the feed as the source's format has it (a Meeting Guide array, a BMLT answer), and for BMLT the server's GetFormats. */
export const ImportBody = z.strictObject({
  feed: z.unknown().refine((v) => v !== undefined, { message: 'required' }),
  formats: z.array(z.unknown()).optional(),
});

export const RefreshResult = z.object({
  status: z.enum(['imported', 'not-modified', 'failed']),
  result: ImportResult.optional(),
  error: z.string().optional(),
});

export const ExportQuery = z.strictObject({ source: Id.optional() });
export const MeetingGuideFeed = z.array(z.record(z.string(), z.unknown()));
