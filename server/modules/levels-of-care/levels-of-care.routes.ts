// Levels of care and medication visits over HTTP (ADR 044), under /api/v1. Reading uses
// read:level-of-care, recording write:level-of-care, the programme's template and tiers
// manage:encounter-settings.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { PageQuery, PatientParams } from '../../../contracts/common.ts';
import {
  ChangePhase,
  EndStay,
  Injection,
  InjectionsDue,
  LevelOfCareSettings,
  LevelOfCareSettingsRead,
  PatientLevelsOfCare,
  RecordInjection,
  RecordTakeHomeSchedule,
  StartStay,
  Stay,
  StayParams,
  TakeHomeSchedule,
} from '../../../contracts/levels-of-care.ts';
import type { Db } from '../../platform/db/database.ts';
import { runIdempotent, runInTx } from '../../platform/http/tx.ts';
import { injectionsDue, recordInjection, recordTakeHomeSchedule } from './medication.ts';
import { getSettings, updateSettings } from './settings.ts';
import { changePhase, endStay, startStay } from './stays.ts';
import { patientLevelsOfCare } from './view.ts';

export function levelsOfCareRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['levels of care'];

  r.get(
    '/levels-of-care/settings',
    {
      config: { permission: 'read:level-of-care' },
      schema: { tags, operationId: 'getLevelOfCareSettings', summary: 'The programme’s phase template and take-home tiers (the defaults until saved)', response: { 200: LevelOfCareSettingsRead } },
    },
    async (req) => runInTx(db, req, (d) => getSettings(d)),
  );

  r.put(
    '/levels-of-care/settings',
    {
      config: { permission: 'manage:encounter-settings' },
      schema: {
        tags,
        operationId: 'updateLevelOfCareSettings',
        summary: 'Replace the programme’s phase template and take-home tiers; 400 names each bad field (tiers above 42 CFR 8.12(i) are refused)',
        body: LevelOfCareSettings,
        response: { 200: LevelOfCareSettingsRead },
      },
    },
    async (req) => runInTx(db, req, (d) => updateSettings(d, req.body)),
  );

  r.get(
    '/levels-of-care/injections-due',
    {
      config: { permission: 'read:level-of-care' },
      schema: {
        tags,
        operationId: 'listInjectionsDue',
        summary: 'Extended-release naltrexone injections due soon (7 days), due today or overdue, in the programme’s time zone; most overdue first (paginated)',
        querystring: z.strictObject({ ...PageQuery }),
        response: { 200: InjectionsDue },
      },
    },
    async (req) => runInTx(db, req, (d) => injectionsDue(d, req.query)),
  );

  r.get(
    '/patients/:patientId/levels-of-care',
    {
      config: { permission: 'read:level-of-care' },
      schema: {
        tags,
        operationId: 'getPatientLevelsOfCare',
        summary: 'The patient’s stays (phase, privileges, history), housing from CM (read-only), take-home schedule and naltrexone injections',
        params: PatientParams,
        response: { 200: PatientLevelsOfCare },
      },
    },
    async (req) => runInTx(db, req, (d) => patientLevelsOfCare(d, req.params.patientId)),
  );

  r.post(
    '/patients/:patientId/stays',
    {
      config: { permission: 'write:level-of-care' },
      schema: {
        tags,
        operationId: 'startStay',
        summary: 'Start a residential or therapeutic-community stay in an open episode of care, at the template’s first phase; an open stay already is a 409',
        params: PatientParams,
        body: StartStay,
        response: { 200: Stay },
      },
    },
    async (req) => runInTx(db, req, (d) => startStay(d, req.params.patientId, req.body)),
  );

  r.post(
    '/patients/:patientId/stays/:stayId/phase-changes',
    {
      config: { permission: 'write:level-of-care' },
      schema: {
        tags,
        operationId: 'changeStayPhase',
        summary: 'Advance or reduce the stay’s phase by one, with a reason; a phase changed since it was shown is a 409 stale_phase',
        params: StayParams,
        body: ChangePhase,
        response: { 200: Stay },
      },
    },
    async (req) => runInTx(db, req, (d) => changePhase(d, req.params.patientId, req.params.stayId, req.body)),
  );

  r.post(
    '/patients/:patientId/stays/:stayId/end',
    {
      config: { permission: 'write:level-of-care' },
      schema: { tags, operationId: 'endStay', summary: 'End the stay, with a reason', params: StayParams, body: EndStay, response: { 200: Stay } },
    },
    async (req) => runInTx(db, req, (d) => endStay(d, req.params.patientId, req.params.stayId, req.body)),
  );

  r.post(
    '/patients/:patientId/take-home-schedules',
    {
      config: { permission: 'write:level-of-care', idempotent: true },
      schema: {
        tags,
        operationId: 'recordTakeHomeSchedule',
        summary: 'Record a take-home schedule as prescribed (honours Idempotency-Key); more take-home doses than the tier of that day of treatment allows is a 400',
        params: PatientParams,
        body: RecordTakeHomeSchedule,
        response: { 200: TakeHomeSchedule },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => recordTakeHomeSchedule(d, req.params.patientId, req.body))).body,
  );

  r.post(
    '/patients/:patientId/naltrexone-injections',
    {
      config: { permission: 'write:level-of-care', idempotent: true },
      schema: {
        tags,
        operationId: 'recordNaltrexoneInjection',
        summary: 'Record an extended-release naltrexone injection given (dose and site required), or the course stopped (honours Idempotency-Key)',
        params: PatientParams,
        body: RecordInjection,
        response: { 200: Injection },
      },
    },
    async (req) => (await runIdempotent(db, req, (d) => recordInjection(d, req.params.patientId, req.body))).body,
  );
}
