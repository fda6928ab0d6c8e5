// Notes on visits over HTTP (issue 14, ADR 041): progress notes (read:/write:/cosign:
// progress-note) and SUD counselling notes kept apart. The counselling-note routes carry the
// progress-note permissions as a floor; who actually reads a counselling note is decided in
// the use case (the author and those granted; anyone else gets a 404).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams, PageQuery } from '../../../contracts/common.ts';
import {
  AddendumCreate,
  CosignQueue,
  CounsellingNote,
  CounsellingNoteCreate,
  CounsellingNoteList,
  CounsellingNoteSign,
  CounsellingNoteUpdate,
  EncounterParams,
  GrantCreate,
  GrantList,
  GrantParams,
  ProgressNote,
  ProgressNoteCreate,
  ProgressNoteList,
  ProgressNoteSign,
  ProgressNoteUpdate,
} from '../../../contracts/notes.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { createCounsellingNote, getCounsellingNote, grantAccess, listEncounterCounsellingNotes, listGrants, revokeAccess, signCounsellingNote, updateCounsellingNote } from './counselling-notes.ts';
import { addAddendum, cosignProgressNote, cosignQueue, createProgressNote, getProgressNote, listEncounterNotes, signProgressNote, updateProgressNote } from './progress-notes.ts';

export function notesRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['notes'];
  const kept = ['counselling notes (kept apart)'];

  r.get(
    '/encounters/:encounterId/notes',
    {
      config: { permission: 'read:progress-note' },
      schema: {
        tags,
        operationId: 'listEncounterNotes',
        summary: 'The visit’s progress notes (a group’s shared part and each member’s part), with addenda',
        params: EncounterParams,
        response: { 200: ProgressNoteList },
      },
    },
    async (req) => runInTx(db, req, (d) => listEncounterNotes(d, req.params.encounterId)),
  );

  r.post(
    '/encounters/:encounterId/notes',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags,
        operationId: 'createProgressNote',
        summary:
          'Start a draft progress note on the visit, for a person booked on it (or a group’s shared part); 400 names a person not booked, a template the visit does not take, a goal not in the current plan',
        params: EncounterParams,
        body: ProgressNoteCreate,
        response: { 200: ProgressNote },
      },
    },
    async (req) => runInTx(db, req, (d) => createProgressNote(d, req.params.encounterId, req.body)),
  );

  r.get(
    '/progress-notes/cosign-queue',
    {
      config: { permission: 'cosign:progress-note' },
      schema: {
        tags,
        operationId: 'listCosignQueue',
        summary: 'Signed notes awaiting the caller’s co-signature, oldest first (paginated)',
        querystring: z.strictObject({ ...PageQuery }),
        response: { 200: CosignQueue },
      },
    },
    async (req) => runInTx(db, req, (d) => cosignQueue(d, req.query)),
  );

  r.get(
    '/progress-notes/:id',
    {
      config: { permission: 'read:progress-note' },
      schema: { tags, operationId: 'getProgressNote', summary: 'A progress note with its co-signature and addenda', params: IdParams, response: { 200: ProgressNote } },
    },
    async (req) => runInTx(db, req, (d) => getProgressNote(d, req.params.id)),
  );

  r.patch(
    '/progress-notes/:id',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags,
        operationId: 'updateProgressNote',
        summary: 'Save the author’s draft; a signed note is a 409 signed, another save since a 409 stale_version, someone else’s draft a 409 not_author',
        params: IdParams,
        body: ProgressNoteUpdate,
        response: { 200: ProgressNote },
      },
    },
    async (req) => runInTx(db, req, (d) => updateProgressNote(d, req.params.id, req.body)),
  );

  r.post(
    '/progress-notes/:id/sign',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags,
        operationId: 'signProgressNote',
        summary: 'Sign and lock the author’s draft (every section written), optionally naming a co-signer',
        params: IdParams,
        body: ProgressNoteSign,
        response: { 200: ProgressNote },
      },
    },
    async (req) => runInTx(db, req, (d) => signProgressNote(d, req.params.id, req.body)),
  );

  r.post(
    '/progress-notes/:id/cosign',
    {
      config: { permission: 'cosign:progress-note' },
      schema: { tags, operationId: 'cosignProgressNote', summary: 'Co-sign a signed note that named the caller as co-signer', params: IdParams, response: { 200: ProgressNote } },
    },
    async (req) => runInTx(db, req, (d) => cosignProgressNote(d, req.params.id)),
  );

  r.post(
    '/progress-notes/:id/addenda',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags,
        operationId: 'addProgressNoteAddendum',
        summary: 'Add an addendum to a signed note (a draft is a 409 not_signed)',
        params: IdParams,
        body: AddendumCreate,
        response: { 200: ProgressNote },
      },
    },
    async (req) => runInTx(db, req, (d) => addAddendum(d, req.params.id, req.body)),
  );

  // --- SUD counselling notes kept apart ------------------------------------------------

  r.get(
    '/encounters/:encounterId/counselling-notes',
    {
      config: { permission: 'read:progress-note' },
      schema: {
        tags: kept,
        operationId: 'listEncounterCounsellingNotes',
        summary: 'The visit’s counselling notes the caller may read (their own and those granted to them); each listed note is an audited read',
        params: EncounterParams,
        response: { 200: CounsellingNoteList },
      },
    },
    async (req) => runInTx(db, req, (d) => listEncounterCounsellingNotes(d, req.params.encounterId)),
  );

  r.post(
    '/encounters/:encounterId/counselling-notes',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags: kept,
        operationId: 'createCounsellingNote',
        summary: 'Start a counselling note (kept apart) for a person booked on the visit; only the author reads it until they grant someone',
        params: EncounterParams,
        body: CounsellingNoteCreate,
        response: { 200: CounsellingNote },
      },
    },
    async (req) => runInTx(db, req, (d) => createCounsellingNote(d, req.params.encounterId, req.body)),
  );

  r.get(
    '/counselling-notes/:id',
    {
      config: { permission: 'read:progress-note' },
      schema: {
        tags: kept,
        operationId: 'getCounsellingNote',
        summary: 'A counselling note, to its author and those granted (anyone else: 404)',
        params: IdParams,
        response: { 200: CounsellingNote },
      },
    },
    async (req) => runInTx(db, req, (d) => getCounsellingNote(d, req.params.id)),
  );

  r.patch(
    '/counselling-notes/:id',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags: kept,
        operationId: 'updateCounsellingNote',
        summary: 'Save the author’s draft counselling note',
        params: IdParams,
        body: CounsellingNoteUpdate,
        response: { 200: CounsellingNote },
      },
    },
    async (req) => runInTx(db, req, (d) => updateCounsellingNote(d, req.params.id, req.body)),
  );

  r.post(
    '/counselling-notes/:id/sign',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags: kept,
        operationId: 'signCounsellingNote',
        summary: 'Sign and lock the author’s counselling note',
        params: IdParams,
        body: CounsellingNoteSign,
        response: { 200: CounsellingNote },
      },
    },
    async (req) => runInTx(db, req, (d) => signCounsellingNote(d, req.params.id, req.body)),
  );

  r.get(
    '/counselling-notes/:id/grants',
    {
      config: { permission: 'read:progress-note' },
      schema: {
        tags: kept,
        operationId: 'listCounsellingNoteGrants',
        summary: 'Who was granted the note, and who revoked it (its readers and administrators)',
        params: IdParams,
        response: { 200: GrantList },
      },
    },
    async (req) => runInTx(db, req, (d) => listGrants(d, req.params.id)),
  );

  r.post(
    '/counselling-notes/:id/grants',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags: kept,
        operationId: 'grantCounsellingNote',
        summary: 'Let a staff member read the note (the author or a programme administrator; audited)',
        params: IdParams,
        body: GrantCreate,
        response: { 200: GrantList },
      },
    },
    async (req) => runInTx(db, req, (d) => grantAccess(d, req.params.id, req.body)),
  );

  r.post(
    '/counselling-notes/:id/grants/:userId/revoke',
    {
      config: { permission: 'write:progress-note' },
      schema: {
        tags: kept,
        operationId: 'revokeCounsellingNote',
        summary: 'Take a staff member’s access away at once (the author or a programme administrator; audited)',
        params: GrantParams,
        response: { 200: GrantList },
      },
    },
    async (req) => runInTx(db, req, (d) => revokeAccess(d, req.params.id, req.params.userId)),
  );
}
