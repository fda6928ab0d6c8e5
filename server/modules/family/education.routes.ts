// Family education over HTTP (issue 16, docs/family.md): the family member's lessons, their own
// naloxone kits and training and meetings for families (/api/patient/family, auth 'family'), and
// the lessons a family member finished for the counsellor (/api/v1, read:family).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.ts';
import { MeetingSearchQuery, MeetingSearchResult } from '../../../contracts/meetings.ts';
import { FamilyOwnNaloxone, LessonFinished, LessonKeyParams, LessonList, LessonOut, MemberLessons } from '../../../contracts/family-education.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { familyOf } from '../../platform/http/context.ts';
import { familyMemberNaloxone } from '../naloxone/naloxone.ts';
import { familyMeetings, finishLesson, memberLessons, myLesson, myLessons } from './education.ts';

const LangQuery = z.strictObject({ lang: z.enum(['en', 'es']).optional() });

/** The family member's side (/api/patient/family). */
export function familyEducationAppRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['family app'];
  r.get(
    '/family/lessons',
    {
      config: { auth: 'family' },
      schema: { tags, summary: 'The lessons for families, in my language (or ?lang=), with the ones I finished', querystring: LangQuery, response: { 200: LessonList } },
    },
    async (req) => runInTx(db, req, (d) => myLessons(d, familyOf(req.ctx), req.query)),
  );
  r.get(
    '/family/lessons/:key',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'One lesson: its screens (the naloxone steps as the clinic trains them) and sources',
        errors: [404],
        params: LessonKeyParams,
        querystring: LangQuery,
        response: { 200: LessonOut },
      },
    },
    async (req) => runInTx(db, req, (d) => myLesson(d, familyOf(req.ctx), req.params.key, req.query)),
  );
  r.post(
    '/family/lessons/:key/finish',
    {
      config: { auth: 'family' },
      schema: { tags, summary: 'Mark a lesson finished (again: the first time is kept)', errors: [404], params: LessonKeyParams, response: { 200: LessonFinished } },
    },
    async (req) => runInTx(db, req, (d) => finishLesson(d, familyOf(req.ctx), req.params.key)),
  );
  r.get(
    '/family/naloxone',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'My own naloxone kits (the one that expires last first, whether to ask for a new one) and trainings',
        response: { 200: FamilyOwnNaloxone },
      },
    },
    async (req) => runInTx(db, req, (d) => familyMemberNaloxone(d, familyOf(req.ctx))),
  );
  r.get(
    '/family/meetings',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'Meetings for families (Nar-Anon, Al-Anon) from the programme’s directory, as the patient app’s search; another fellowship is a 400',
        errors: [400],
        querystring: MeetingSearchQuery,
        response: { 200: MeetingSearchResult },
      },
    },
    async (req) => runInTx(db, req, (d) => familyMeetings(d, req.query)),
  );
}

/** Staff (/api/v1). */
export function familyEducationRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    '/family-members/:id/lessons',
    {
      config: { permission: 'read:family' },
      schema: { tags: ['family'], summary: 'The family education lessons a family member finished (for the counsellor)', errors: [404], params: IdParams, response: { 200: MemberLessons } },
    },
    async (req) => runInTx(db, req, (d) => memberLessons(d, req.params.id)),
  );
}
