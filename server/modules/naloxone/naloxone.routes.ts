// Naloxone kits, training and stock over HTTP (issue 15, docs/naloxone.md).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { PatientParams } from '../../../contracts/common.ts';
import {
  Adjustment,
  AdjustmentCreate,
  Kit,
  KitCreate,
  KitPage,
  KitQuery,
  Lot,
  LotCreate,
  NaloxoneSettings,
  PatientNaloxone,
  PatientOwnNaloxone,
  Stock,
  Training,
  TrainingCreate,
} from '../../../contracts/naloxone.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { adjustLot, getSettings, giveKit, listKits, myNaloxone, patientNaloxone, receiveLot, recordTraining, saveSettings, stock } from './naloxone.ts';
import { patientOf, programOf } from '../../platform/http/context.ts';

/** Staff (/api/v1). */
export function naloxoneRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['naloxone'];

  r.get(
    '/naloxone/stock',
    {
      config: { permission: 'read:naloxone' },
      schema: { tags, summary: 'Kits on hand by lot (soonest expiry first), usable kits, expiry and reorder alerts, and the lot to give from next', response: { 200: Stock } },
    },
    async (req) => runInTx(db, req, (d) => stock(d)),
  );
  r.post(
    '/naloxone/lots',
    { config: { permission: 'write:naloxone' }, schema: { tags, summary: 'Receive a lot of kits (product, lot number, expiry, quantity)', body: LotCreate, response: { 200: Lot } } },
    async (req) => runInTx(db, req, (d) => receiveLot(d, req.body)),
  );
  r.post(
    '/naloxone/adjustments',
    {
      config: { permission: 'write:naloxone' },
      schema: {
        tags,
        summary: 'Correct a lot’s count (a count, kits lost, expired kits thrown away): a new row, never an edit; 400 invalid_adjustment below zero',
        errors: [400, 404],
        body: AdjustmentCreate,
        response: { 200: Adjustment },
      },
    },
    async (req) => runInTx(db, req, (d) => adjustLot(d, req.body)),
  );
  r.post(
    '/naloxone/kits',
    {
      config: { permission: 'write:naloxone' },
      schema: {
        tags,
        summary: 'Give a kit from a lot, to a patient, a family member or a community member, with the training steps covered; 409 lot_expired or lot_empty',
        errors: [400, 404, 409],
        body: KitCreate,
        response: { 200: Kit },
      },
    },
    async (req) => runInTx(db, req, (d) => giveKit(d, req.body)),
  );
  r.get(
    '/naloxone/kits',
    { config: { permission: 'read:naloxone' }, schema: { tags, summary: 'Kits given, newest first (by kind of recipient)', querystring: KitQuery, response: { 200: KitPage } } },
    async (req) => runInTx(db, req, (d) => listKits(d, req.query)),
  );
  r.post(
    '/naloxone/trainings',
    {
      config: { permission: 'write:naloxone' },
      schema: { tags, summary: 'Record training without a kit: which of the five steps were covered', errors: [400, 404], body: TrainingCreate, response: { 200: Training } },
    },
    async (req) => runInTx(db, req, (d) => recordTraining(d, req.body)),
  );
  r.get(
    '/naloxone/settings',
    { config: { permission: 'read:naloxone' }, schema: { tags, summary: 'The reorder level and the expiry warning days', response: { 200: NaloxoneSettings } } },
    async (req) => runInTx(db, req, ({ tx, ctx }) => getSettings(tx, programOf(ctx))),
  );
  r.put(
    '/naloxone/settings',
    { config: { permission: 'write:naloxone' }, schema: { tags, summary: 'Set the reorder level and the expiry warning days', body: NaloxoneSettings, response: { 200: NaloxoneSettings } } },
    async (req) => runInTx(db, req, (d) => saveSettings(d, req.body)),
  );
  r.get(
    '/patients/:patientId/naloxone',
    { config: { permission: 'read:naloxone' }, schema: { tags, summary: 'The patient’s kits and training (the patient card)', params: PatientParams, response: { 200: PatientNaloxone } } },
    async (req) => runInTx(db, req, (d) => patientNaloxone(d, req.params.patientId)),
  );
}

/** The patient app (/api/patient): the signed-in patient's own kits. */
export function naloxonePatientRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    '/naloxone',
    {
      config: { auth: 'patient' },
      schema: {
        tags: ['patient app'],
        operationId: 'getPatientOwnNaloxone',
        summary: 'The patient’s own naloxone kits (product, day given, expiry, training; the one that expires last first) and whether to ask for a new one',
        response: { 200: PatientOwnNaloxone },
      },
    },
    async (req) => runInTx(db, req, (d) => myNaloxone(d, patientOf(req.ctx))),
  );
}
