// Behavioural couples therapy and network therapy over HTTP (issue 16, docs/family.md): staff
// (/api/v1, read:family / write:family), the patient's own app and the family member's app
// (/api/patient, auth 'patient' and 'family').
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { PatientChildParams, PatientParams } from '../../../contracts/common.ts';
import {
  AppDayParams,
  ContractCalendar,
  ContractCreate,
  ContractList,
  DayParams,
  DoseCreate,
  DoseList,
  DoseQuery,
  FamilyContractDayParams,
  FamilyDoseParams,
  FamilyDoseRecord,
  FamilyTogether,
  MonthQuery,
  NetworkLeave,
  NetworkMeetingCreate,
  NetworkMeetingList,
  NetworkMemberCreate,
  NetworkMemberList,
  PartnerDayRecord,
  PatientDayRecord,
  PatientTogether,
  RecordedDay,
  RecordedDose,
  RecoveryContract,
  StaffDayRecord,
} from '../../../contracts/together.ts';
import type { Db } from '../../platform/db/database.ts';
import { familyOf, patientOf } from '../../platform/http/context.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { contractCalendar, createContract, endContract, familyTogether, listContracts, partnerRecordDay, patientRecordDay, patientTogether, staffRecordDay } from './couples.ts';
import { addMember, leaveNetwork, listDoses, listMeetings, listMembers, memberRecordDose, recordMeeting, staffRecordDose } from './network.ts';

/** Staff (/api/v1). */
export function togetherRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['family'];
  const read = { permission: 'read:family' } as const;
  const write = { permission: 'write:family' } as const;

  r.get(
    '/patients/:patientId/recovery-contracts',
    {
      config: read,
      schema: { tags, summary: 'The patient’s recovery contracts (behavioural couples therapy), newest first, with days held so far', params: PatientParams, response: { 200: ContractList } },
    },
    async (req) => runInTx(db, req, (d) => listContracts(d, req.params.patientId)),
  );
  r.post(
    '/patients/:patientId/recovery-contracts',
    {
      config: write,
      schema: {
        tags,
        summary: 'Write a recovery contract with the patient’s partner (a family member linked as partner or spouse); the daily trust discussion is required; the open contract, if any, ends',
        errors: [400, 404],
        params: PatientParams,
        body: ContractCreate,
        response: { 200: RecoveryContract },
      },
    },
    async (req) => runInTx(db, req, (d) => createContract(d, req.params.patientId, req.body)),
  );
  r.post(
    '/patients/:patientId/recovery-contracts/:id/end',
    { config: write, schema: { tags, summary: 'End the recovery contract now; 409 when it has ended', errors: [404, 409], params: PatientChildParams, response: { 200: RecoveryContract } } },
    async (req) => runInTx(db, req, (d) => endContract(d, req.params.patientId, req.params.id)),
  );
  r.get(
    '/patients/:patientId/recovery-contracts/:id/calendar',
    {
      config: read,
      schema: {
        tags,
        summary: 'The couple’s calendar for a month (default this month): each day held, not held, nobody said, before the start or to come; the streak and share of days held',
        errors: [400, 404],
        params: PatientChildParams,
        querystring: MonthQuery,
        response: { 200: ContractCalendar },
      },
    },
    async (req) => runInTx(db, req, (d) => contractCalendar(d, req.params.patientId, req.params.id, req.query.month)),
  );
  r.put(
    '/patients/:patientId/recovery-contracts/:id/days/:day',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record a day as the couple told it in session (held, and whether the partner saw the medicine taken); not a future day, not outside the contract; the latest word counts',
        errors: [400, 404, 409],
        params: DayParams,
        body: StaffDayRecord,
        response: { 200: RecordedDay },
      },
    },
    async (req) => runInTx(db, req, (d) => staffRecordDay(d, req.params.patientId, req.params.id, req.params.day, req.body)),
  );

  r.get(
    '/patients/:patientId/network-members',
    { config: read, schema: { tags, summary: 'The patient’s network (network therapy): its members, past and present', params: PatientParams, response: { 200: NetworkMemberList } } },
    async (req) => runInTx(db, req, (d) => listMembers(d, req.params.patientId)),
  );
  r.post(
    '/patients/:patientId/network-members',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a member to the network: a linked family member (who may then report doses in their app) or a name with relationship and role',
        errors: [400, 404, 409],
        params: PatientParams,
        body: NetworkMemberCreate,
        response: { 200: NetworkMemberList },
      },
    },
    async (req) => runInTx(db, req, (d) => addMember(d, req.params.patientId, req.body)),
  );
  r.post(
    '/patients/:patientId/network-members/:id/leave',
    {
      config: write,
      schema: { tags, summary: 'A member leaves the network (today, or the day given)', errors: [400, 404, 409], params: PatientChildParams, body: NetworkLeave, response: { 200: NetworkMemberList } },
    },
    async (req) => runInTx(db, req, (d) => leaveNetwork(d, req.params.patientId, req.params.id, req.body)),
  );
  r.get(
    '/patients/:patientId/network-meetings',
    { config: read, schema: { tags, summary: 'The network’s meetings, newest first (the newest 100)', params: PatientParams, response: { 200: NetworkMeetingList } } },
    async (req) => runInTx(db, req, (d) => listMeetings(d, req.params.patientId)),
  );
  r.post(
    '/patients/:patientId/network-meetings',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record a network meeting and who came (members of the network)',
        errors: [400, 404],
        params: PatientParams,
        body: NetworkMeetingCreate,
        response: { 200: NetworkMeetingList },
      },
    },
    async (req) => runInTx(db, req, (d) => recordMeeting(d, req.params.patientId, req.body)),
  );
  r.get(
    '/patients/:patientId/witnessed-doses',
    {
      config: read,
      schema: {
        tags,
        summary: 'Doses network members saw taken or missed (default the last 28 days; at most a year) and adherence over the last 28 days',
        errors: [400, 404],
        params: PatientParams,
        querystring: DoseQuery,
        response: { 200: DoseList },
      },
    },
    async (req) => runInTx(db, req, (d) => listDoses(d, req.params.patientId, req.query)),
  );
  r.post(
    '/patients/:patientId/witnessed-doses',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record a dose a member told staff they saw (one per member and day: recording it again updates it)',
        errors: [400, 404],
        params: PatientParams,
        body: DoseCreate,
        response: { 200: DoseList },
      },
    },
    async (req) => runInTx(db, req, (d) => staffRecordDose(d, req.params.patientId, req.body)),
  );
}

/** The patient's and the family member's app (/api/patient). */
export function togetherAppRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    '/together',
    {
      config: { auth: 'patient' },
      schema: { tags: ['patient app'], summary: 'My recovery contract and our trust-talk calendar (this month, or ?month=YYYY-MM)', querystring: MonthQuery, response: { 200: PatientTogether } },
    },
    async (req) => runInTx(db, req, (d) => patientTogether(d, patientOf(req.ctx), req.query.month)),
  );
  r.put(
    '/together/days/:day',
    {
      config: { auth: 'patient' },
      schema: {
        tags: ['patient app'],
        summary: 'Mark whether we had our trust talk on a day (today or before, within the contract)',
        errors: [400, 404, 409],
        params: AppDayParams,
        body: PatientDayRecord,
        response: { 200: RecordedDay },
      },
    },
    async (req) => runInTx(db, req, (d) => patientRecordDay(d, patientOf(req.ctx), req.params.day, req.body.held)),
  );
  const tags = ['family app'];
  r.get(
    '/family/together',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'Contracts where I am the partner (my partner’s side of the calendar only when a consent covers it: a recorded disclosure) and my network memberships with the doses I reported',
        querystring: MonthQuery,
        response: { 200: FamilyTogether },
      },
    },
    async (req) => runInTx(db, req, (d) => familyTogether(d, familyOf(req.ctx), req.query.month)),
  );
  r.put(
    '/family/together/contracts/:id/days/:day',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'Mark our trust talk (and whether I saw the medicine taken) for a day',
        errors: [400, 404, 409],
        params: FamilyContractDayParams,
        body: PartnerDayRecord,
        response: { 200: RecordedDay },
      },
    },
    async (req) => runInTx(db, req, (d) => partnerRecordDay(d, familyOf(req.ctx), req.params.id, req.params.day, req.body)),
  );
  r.put(
    '/family/together/network/:memberId/doses/:day',
    {
      config: { auth: 'family' },
      schema: {
        tags,
        summary: 'Say whether I saw the day’s dose taken (one per day; saying it again updates it)',
        errors: [400, 404],
        params: FamilyDoseParams,
        body: FamilyDoseRecord,
        response: { 200: RecordedDose },
      },
    },
    async (req) => runInTx(db, req, (d) => memberRecordDose(d, familyOf(req.ctx), req.params.memberId, req.params.day, req.body)),
  );
}
