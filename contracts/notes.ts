// Notes on visits (issue 14, ADR 041): progress notes (DAP, SOAP, BIRP; a group's shared
// part and a part per member) with their lifecycle — draft, sign, co-sign, addenda — and
// SUD counselling notes kept apart, read by their author and those granted only. Request
// schemas are strict; the limits that name a section are core/notes' (400 with `problems`).
import { z } from 'zod';
import { TEMPLATES } from '../core/notes/templates.ts';
import { Id } from './common.ts';

const SectionsIn = z.record(z.string().max(60), z.string().max(20_000)).describe('{ sectionKey: text } for the template’s sections (core/notes/templates.ts); empty sections are allowed in a draft.');
const GoalIds = z.array(Id).max(30).describe('Goal ids of the patient’s current care plan.');

export const EncounterParams = z.strictObject({ encounterId: Id });
export const GrantParams = z.strictObject({ id: Id, userId: Id });

export const ProgressNoteCreate = z.strictObject({
  patientId: Id.nullable().describe('The person booked on the visit the note is about; null for a group’s shared part.'),
  template: z.enum(TEMPLATES),
  sections: SectionsIn,
  goalIds: GoalIds.default([]),
});

export const ProgressNoteUpdate = z.strictObject({
  version: z.number().int().min(1).describe('The version this edit was made from; another save since is a 409 stale_version.'),
  sections: SectionsIn,
  goalIds: GoalIds.optional(),
});

export const ProgressNoteSign = z.strictObject({
  version: z.number().int().min(1),
  cosignerId: Id.nullable().default(null).describe('A staff member with cosign:progress-note who must co-sign (staff under supervision), or null.'),
});

export const AddendumCreate = z.strictObject({ text: z.string().min(1).max(10_000) });

const Person = z.object({ id: z.string(), name: z.string() });

export const Addendum = z.object({ id: z.string(), text: z.string(), author: Person, createdAt: z.string() });

export const ProgressNote = z.object({
  id: z.string(),
  encounterId: z.string(),
  patientId: z.string().nullable(),
  template: z.enum(TEMPLATES),
  sections: z.record(z.string(), z.string()),
  goals: z.array(z.object({ id: z.string(), description: z.string().nullable() })),
  state: z.enum(['draft', 'signed', 'awaiting-cosignature', 'cosigned']),
  version: z.number().int(),
  author: Person,
  signedAt: z.string().nullable(),
  cosigner: Person.nullable(),
  cosignedAt: z.string().nullable(),
  addenda: z.array(Addendum),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ProgressNoteList = z.object({ items: z.array(ProgressNote) });

export const CosignQueueItem = z.object({
  id: z.string(),
  encounterId: z.string(),
  patientId: z.string().nullable(),
  template: z.enum(TEMPLATES),
  author: Person,
  signedAt: z.string(),
});
export const CosignQueue = z.object({ items: z.array(CosignQueueItem), nextCursor: z.string().nullable() });

// --- SUD counselling notes kept apart -------------------------------------------------

export const CounsellingNoteCreate = z.strictObject({ patientId: Id, body: z.string().max(20_000) });
export const CounsellingNoteUpdate = z.strictObject({ version: z.number().int().min(1), body: z.string().max(20_000) });
export const CounsellingNoteSign = z.strictObject({ version: z.number().int().min(1) });
export const GrantCreate = z.strictObject({ userId: Id.describe('A staff member of the programme with read:progress-note.') });

export const Grant = z.object({ user: Person, grantedBy: Person, grantedAt: z.string(), revokedBy: Person.nullable(), revokedAt: z.string().nullable() });
export const GrantList = z.object({ items: z.array(Grant) });

export const CounsellingNote = z.object({
  id: z.string(),
  encounterId: z.string(),
  patientId: z.string(),
  body: z.string(),
  state: z.enum(['draft', 'signed']),
  version: z.number().int(),
  author: Person,
  signedAt: z.string().nullable(),
  /** Who can read it besides the author: the open grants ("Only you and: …"). */
  visibleTo: z.array(Person),
  /** Whether the caller may grant and revoke (the author or a programme administrator). */
  canGrant: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const CounsellingNoteList = z.object({ items: z.array(CounsellingNote) });
