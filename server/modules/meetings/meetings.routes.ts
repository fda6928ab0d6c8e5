// The meeting directory over HTTP (issue 15, docs/meetings.md): search (bounded: nearest /
// soonest N ≤ 50), a meeting's detail, manual entries and friendliness records (staff,
// /api/v1); search and welcome answers from the patient app (/api/patient).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { FriendlinessInput, MeetingDetail, MeetingInput, MeetingParams, MeetingSearchQuery, MeetingSearchResult, WelcomeInput, WelcomeResult } from '../../../contracts/meetings.ts';
import type { Db } from '../../platform/db/database.ts';
import { patientOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { createMeeting, meetingDetail, retireMeeting, searchMeetings, updateMeeting } from './directory.ts';
import { recordFriendliness, reportWelcome } from './friendliness.ts';

/** Staff (/api/v1). */
export function meetingsRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['meetings'];
  r.get(
    '/meetings',
    {
      config: { permission: 'read:meetings' },
      schema: {
        tags,
        summary: 'Search the directory: near a ZIP code or point, by day and time, in the next hours, online now, fellowship, language, mode; MOUD-friendly first when asked (at most 50)',
        errors: [400],
        querystring: MeetingSearchQuery,
        response: { 200: MeetingSearchResult },
      },
    },
    async (req) => runInTx(db, req, (d) => searchMeetings(d, req.query)),
  );
  r.post(
    '/meetings',
    {
      config: { permission: 'write:meetings' },
      schema: {
        tags,
        summary: 'Add a meeting by hand (fellowships without a feed: MA, MARS, MARA, SMART, the programme’s groups, Nar-Anon, Al-Anon)',
        body: MeetingInput,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => createMeeting(d, req.body)),
  );
  r.get(
    '/meetings/:id',
    {
      config: { permission: 'read:meetings' },
      schema: {
        tags,
        summary: 'A meeting, its MOUD-friendliness history and the patients’ welcome answers (counts, from 3 patients)',
        errors: [404],
        params: MeetingParams,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => meetingDetail(d, req.params.id)),
  );
  r.put(
    '/meetings/:id',
    {
      config: { permission: 'write:meetings' },
      schema: { tags, summary: 'Edit a manual entry (an imported meeting: 400 imported_meeting)', errors: [404], params: MeetingParams, body: MeetingInput, response: { 200: MeetingDetail } },
    },
    async (req) => runInTx(db, req, (d) => updateMeeting(d, req.params.id, req.body)),
  );
  r.post(
    '/meetings/:id/retire',
    {
      config: { permission: 'write:meetings' },
      schema: { tags, summary: 'Retire a manual entry (kept, no longer found)', errors: [404], params: MeetingParams, response: { 200: MeetingDetail } },
    },
    async (req) => runInTx(db, req, (d) => retireMeeting(d, req.params.id)),
  );
  r.post(
    '/meetings/:id/friendliness',
    {
      config: { permission: 'write:meetings' },
      schema: {
        tags,
        summary: 'Record whether the meeting welcomes people on medication for OUD, with the evidence and an expiry (default one year)',
        errors: [404],
        params: MeetingParams,
        body: FriendlinessInput,
        response: { 200: MeetingDetail },
      },
    },
    async (req) => runInTx(db, req, (d) => recordFriendliness(d, req.params.id, req.body)),
  );
}

/** The patient app (/api/patient). */
export function meetingsPatientRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['patient app'];
  r.get(
    '/meetings',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'searchPatientAppMeetings',
        summary: 'Find a meeting in the programme’s directory (as the staff search), with the coaching on medication',
        errors: [400],
        querystring: MeetingSearchQuery,
        response: { 200: MeetingSearchResult },
      },
    },
    async (req) => runInTx(db, req, (d) => searchMeetings(d, req.query, { patientId: patientOf(req.ctx).patientId })),
  );
  r.post(
    '/meetings/:id/welcome',
    {
      config: { auth: 'patient' },
      schema: {
        tags,
        operationId: 'reportPatientAppMeetingWelcome',
        summary: '"Did you feel welcome as someone on medication?" yes / somewhat / no (one answer per meeting; the latest wins)',
        errors: [404],
        params: MeetingParams,
        body: WelcomeInput,
        response: { 200: WelcomeResult },
      },
    },
    async (req) => runInTx(db, req, (d) => reportWelcome(d, patientOf(req.ctx).patientId, req.params.id, req.body.answer)),
  );
}
