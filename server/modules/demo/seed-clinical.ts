// The demo's contingency management and assessment data, made through the module use
// cases (so the ledger, draws, stages and audit rows are the real thing). Everything is
// fictional: the programme, the patients, the protocol called "Harbor demo", the catalogue.
import { and, asc, eq } from 'drizzle-orm';
import { permissionsOf, type Role } from '../../../core/access/roles.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Ctx } from '../../platform/http/context.ts';
import { medications, patients } from '../patients/patients.tables.ts';
import { screens } from '../screens/screens.tables.ts';
import { createProtocol } from '../cm/protocols.ts';
import { createFundingSource, enrol, updateSettings } from '../cm/enrolments.ts';
import { createItem, redeem } from '../cm/redemption.ts';
import { requestRedemption } from '../cm/redemption-requests.ts';
import { revealDraws } from '../cm/ledger.ts';
import { cmCatalogueItems } from '../cm/cm.tables.ts';
import { correctScreen, recordScreen } from '../screens/screens.ts';
import { localDate, zonedInstant, addDays, weekday } from '../../../core/cm/calendar.ts';
import { administer } from '../assessments/assessments.ts';
import { recordStage } from '../assessments/stage.ts';
import { createCarePlan } from '../planning/care-plans.ts';

const TZ = 'America/New_York';

/** A voucher track and a prize-draw track, both for stimulant-negative urine (fictional, for the demo). */
export const DEMO_PROTOCOL = {
  id: 'harbor-demo',
  version: 1,
  name: 'Harbor demo: vouchers and prize draws for stimulant-negative tests (fictional)',
  citation: 'Fictional demo protocol modelled on Higgins 1994 (vouchers) and NIDA CTN-0007 (prize bowl).',
  description: 'Demo only. Three tests a week for 12 weeks; a stimulant-negative test earns an escalating voucher and prize draws; an assigned skills module finished in the patient app earns $2.',
  weeks: 12,
  bowl: {
    slips: [
      { tier: 'none', label: 'Good job!', count: 250, valueCents: 0 },
      { tier: 'small', label: 'Small prize ($1)', count: 209, valueCents: 100 },
      { tier: 'large', label: 'Large prize ($20)', count: 40, valueCents: 2000 },
      { tier: 'jumbo', label: 'Jumbo prize ($100)', count: 1, valueCents: 10000 },
    ],
  },
  tracks: [
    {
      id: 'stimulant-vouchers',
      name: 'Stimulant-negative urine (vouchers)',
      target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] },
      payout: 'cents',
      phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 300, step: 50, stepEvery: 1, max: 1000, bonusEvery: 3, bonus: 500, resetTo: 'start', recoverAfter: 3 } }],
      missed: 'failure',
      invalid: 'failure',
    },
    {
      id: 'stimulant-draws',
      name: 'Stimulant-negative urine (prize draws)',
      target: { kind: 'negative', analytes: ['cocaine', 'amphetamine'] },
      payout: 'draws',
      phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 1, step: 1, stepEvery: 2, max: 6, bonusEvery: null, bonus: null, resetTo: 'start', recoverAfter: null } }],
      missed: 'failure',
      invalid: 'failure',
    },
    {
      id: 'skills-modules',
      name: 'Finished an assigned skills module (vouchers)',
      target: { kind: 'module' },
      payout: 'cents',
      phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 200, step: 0, stepEvery: 1, max: 200, bonusEvery: null, bonus: null, resetTo: 'start', recoverAfter: null } }],
      missed: 'failure',
      invalid: 'failure',
    },
  ],
};

export function ctxFor(o: { orgId: string; programId: string; userId: string; name: string; role: Role; now: Date }): Ctx {
  return {
    principal: { userId: o.userId, orgId: o.orgId, displayName: o.name, sessionId: 'demo-seed', stage: 'active', mustChangePassword: false },
    orgId: o.orgId,
    program: { programId: o.programId, roles: [o.role], permissions: permissionsOf([o.role]) },
    meta: { requestId: 'demo-seed', ip: null, userAgent: 'waypoint-demo-seed' },
    now: o.now,
  };
}

/** How many days of CM history the demo has before today. */
const DEMO_HISTORY_DAYS = 25;

/**
 * The demo's test days: every other day from today's weekday (three a week, today one of
 * them), and the test days of the history before today, oldest first.
 */
export function demoSchedule(today: string): { days: number[]; testDays: string[] } {
  const days = [0, 2, 4].map((k) => (weekday(today) + k) % 7).sort((a, b) => a - b);
  const testDays: string[] = [];
  for (let d = addDays(today, -DEMO_HISTORY_DAYS); d < today; d = addDays(d, 1)) if (days.includes(weekday(d))) testDays.push(d);
  return { days, testDays };
}

const NEG = ['opiates', 'fentanyl', 'cocaine', 'amphetamine', 'benzodiazepines'];

export async function seedClinicalDemo(tx: Tx, o: { orgId: string; programId: string; now: Date; staff: Map<Role, { id: string; name: string }> }) {
  const cm = o.staff.get('cm-coordinator')!;
  const collector = o.staff.get('specimen-collector') ?? cm;
  const counsellor = o.staff.get('counsellor')!;
  const at = (now: Date, who = cm, role: Role = 'cm-coordinator') => ({ tx, ctx: ctxFor({ orgId: o.orgId, programId: o.programId, userId: who.id, name: who.name, role, now }) });
  const today = localDate(o.now, TZ);
  const start = addDays(today, -DEMO_HISTORY_DAYS);
  const startAt = zonedInstant(start, '08:00', TZ);

  // Set-up: a preset and the demo protocol, a funding source with caps, a small catalogue.
  await createProtocol(at(startAt), { preset: 'ctn-0007' });
  const protocol = await createProtocol(at(startAt), { document: DEMO_PROTOCOL });
  await createFundingSource(at(startAt), { id: 'samhsa-demo', name: 'SAMHSA grant (demo)', capsPreset: 'samhsa-2025', budgetCents: 2_000_000 });
  const items: Array<[string, string, 'item' | 'gift-card', number, boolean, string | null, number, number]> = [
    ['Bus pass, 1 day (demo)', 'Pase de autobús, 1 día (demo)', 'item', 300, false, null, 20, 5],
    ['Grocery gift card $10 (demo)', 'Tarjeta regalo de supermercado, $10 (demo)', 'gift-card', 1000, false, null, 12, 4],
    ['Prepaid debit card $20 (demo)', 'Tarjeta de débito prepagada, $20 (demo)', 'gift-card', 2000, true, null, 3, 5],
    ['Snack pack (demo)', 'Paquete de meriendas (demo)', 'item', 100, false, 'small', 40, 10],
    ['Headphones (demo)', 'Audífonos (demo)', 'item', 2000, false, 'large', 4, 5],
    ['Tablet voucher $100 (demo)', 'Vale para una tableta, $100 (demo)', 'gift-card', 10000, false, 'jumbo', 1, 1],
  ];
  for (const [name, nameEs, kind, valueCents, cashEquivalent, prizeTier, stock, reorderLevel] of items) {
    await createItem(at(startAt), { name, nameEs, kind, valueCents, cashEquivalent, prizeTier, stock, reorderLevel });
  }

  // Four enrolled patients with three weeks of history, tested every other day from today's
  // weekday (three test days a week, today one of them) so the demo shows a test-day queue,
  // a positive and a missed test whatever day it is seeded on. Events are placed on the
  // nth test day, never on a fixed date that may not be one.
  const rows = await tx.select({ id: patients.id, mrn: patients.mrn }).from(patients).where(eq(patients.programId, o.programId));
  const byMrn = new Map(rows.map((r) => [r.mrn, r.id]));
  const { days, testDays } = demoSchedule(today);
  const nth = (i: number) => testDays[i]!;
  const plan: Array<{ mrn: string; positives: string[]; skip: string[] }> = [
    { mrn: 'HSC-0002', positives: [], skip: [] },
    { mrn: 'HSC-0003', positives: [nth(4)], skip: [] },
    { mrn: 'HSC-0004', positives: [nth(1)], skip: [nth(6)] },
    { mrn: 'HSC-0005', positives: [], skip: [nth(3)] },
  ];
  const enrolments = new Map<string, string>();
  for (const p of plan) {
    const patientId = byMrn.get(p.mrn);
    if (!patientId) continue;
    const enrolment = await enrol(at(startAt), {
      patientId,
      protocolId: protocol.id,
      startDate: start,
      fundingSourceId: 'samhsa-demo',
      calendar: { specimen: days, attendance: [], dose: [], windowStart: '07:00', windowEnd: '19:00' },
    });
    enrolments.set(p.mrn, enrolment.id);
    for (const d of testDays) {
      if (p.skip.includes(d)) continue;
      const collected = zonedInstant(d, '10:15', TZ);
      const positive = p.positives.includes(d);
      await recordScreen(at(new Date(collected.getTime() + 120_000), collector, 'specimen-collector'), {
        patientId,
        collectedAt: collected.toISOString(),
        observed: false,
        temperatureC: 34,
        method: 'presumptive',
        cup: { brand: 'DemoCup 12-panel', lot: 'DEMO-2026-01', expiry: addDays(today, 300) },
        results: NEG.map((a) => ({ analyte: a, result: positive && a === 'cocaine' ? ('positive' as const) : ('negative' as const) })),
      });
    }
  }

  // HSC-0002's draws were shown on the draw screen after their last test, and they spent
  // part of their balance on a bus pass.
  const p2Enrolment = enrolments.get('HSC-0002');
  const p2Id = byMrn.get('HSC-0002');
  if (p2Enrolment && p2Id) {
    const after = new Date(zonedInstant(testDays[testDays.length - 1]!, '10:15', TZ).getTime() + 300_000);
    await revealDraws(at(after), p2Enrolment, 50);
    const [pass] = await tx
      .select({ id: cmCatalogueItems.id })
      .from(cmCatalogueItems)
      .where(and(eq(cmCatalogueItems.programId, o.programId), eq(cmCatalogueItems.name, 'Bus pass, 1 day (demo)')));
    await redeem(at(new Date(after.getTime() + 60_000)), p2Id, { itemId: pass!.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'signature' } });
    // and later asked, in the app, for another bus pass: the patient page shows the request to give
    await requestRedemption(at(new Date(after.getTime() + 3_600_000)), p2Id, { itemId: pass!.id, quantity: 1, idempotencyKey: 'demo-app-request' });
    // A grocery card over the programme's approval threshold ($5.00 in the demo) waits for a
    // second person: the Approvals tab lists it, and the coordinator who gave it may not approve it.
    await updateSettings(at(after), { approvalThresholdCents: 500 });
    const [grocery] = await tx
      .select({ id: cmCatalogueItems.id })
      .from(cmCatalogueItems)
      .where(and(eq(cmCatalogueItems.programId, o.programId), eq(cmCatalogueItems.name, 'Grocery gift card $10 (demo)')));
    await redeem(at(new Date(after.getTime() + 7_200_000)), p2Id, { itemId: grocery!.id, quantity: 1, acknowledgement: { acknowledged: true, method: 'initials' } });
  }

  // A laboratory confirmation overturns one of HSC-0005's negative cups: CM does not take the
  // money back (the patient keeps it, and the ledger says so in a forgiven memo).
  const p5 = byMrn.get('HSC-0005');
  if (p5) {
    // its second cup, whatever weekday the demo was seeded on
    const [cup] = await tx
      .select({ id: screens.id, collectedOn: screens.collectedOn })
      .from(screens)
      .where(and(eq(screens.programId, o.programId), eq(screens.patientId, p5)))
      .orderBy(asc(screens.collectedAt))
      .offset(1)
      .limit(1);
    if (cup) {
      await correctScreen(at(zonedInstant(addDays(cup.collectedOn, 3), '09:30', TZ)), cup.id, {
        results: [{ analyte: 'cocaine', result: 'positive' }],
        method: 'confirmatory',
        laboratory: 'Harbor Reference Lab (demo)',
        reason: 'LC-MS/MS confirmation (demo)',
      });
    }
  }

  // Screens of patients who are not in CM: an opioid treatment programme tests everyone.
  // Monthly urine cups (a positive for the prescribed medication is adherence, not use),
  // one positive, one invalid (cold), and a breath-alcohol test.
  for (const [i, mrn] of ['HSC-0001', 'HSC-0006', 'HSC-0007', 'HSC-0008'].entries()) {
    const patientId = byMrn.get(mrn);
    if (!patientId) continue;
    const [med] = await tx
      .select({ medication: medications.medication })
      .from(medications)
      .where(and(eq(medications.programId, o.programId), eq(medications.patientId, patientId)));
    const prescribed = med?.medication === 'methadone' || med?.medication === 'buprenorphine' ? med.medication : null;
    for (let m = 3; m >= 0; m--) {
      const collected = zonedInstant(addDays(today, -m * 28 - i - 1), '09:40', TZ);
      const positive = i === 2 && m === 1;
      await recordScreen(at(new Date(collected.getTime() + 60_000), collector, 'specimen-collector'), {
        patientId,
        collectedAt: collected.toISOString(),
        observed: m === 0,
        temperatureC: i === 3 && m === 2 ? 30 : 34,
        method: 'presumptive',
        cup: { brand: 'DemoCup 12-panel', lot: 'DEMO-2026-01', expiry: addDays(today, 300) },
        results: [...NEG, 'methadone', 'buprenorphine'].map((a) => ({ analyte: a, result: (positive && a === 'fentanyl') || a === prescribed ? ('positive' as const) : ('negative' as const) })),
      });
    }
    if (i === 0) {
      const breath = zonedInstant(addDays(today, -3), '09:45', TZ);
      await recordScreen(at(new Date(breath.getTime() + 60_000), collector, 'specimen-collector'), {
        patientId,
        collectedAt: breath.toISOString(),
        matrix: 'breath',
        observed: true,
        method: 'presumptive',
        results: [{ analyte: 'alcohol', result: 'negative' }],
      });
    }
  }

  // Assessments: URICA for two patients (stage history), a PHQ-9 with item 9 > 0 (a safety alert), a care plan due for review.
  const urica = (pc: number, c: number, a: number, m: number) => {
    const answers: Record<string, number> = {};
    const set = (items: number[], v: number) => items.forEach((i) => (answers[String(i)] = v));
    set([1, 5, 11, 13, 23, 26, 29], pc);
    set([2, 8, 12, 15, 19, 21, 24], c);
    set([3, 7, 10, 14, 17, 25, 30], a);
    set([6, 16, 18, 22, 27, 28, 32], m);
    set([4, 9, 20, 31], 3);
    return answers;
  };
  const counsel = (now: Date) => at(now, counsellor, 'counsellor');
  const p2 = byMrn.get('HSC-0002');
  const p3 = byMrn.get('HSC-0003');
  if (p2) {
    await administer(counsel(zonedInstant(addDays(today, -60), '11:00', TZ)), p2, { instrument: 'urica', answers: urica(3, 4, 2, 2) });
    await administer(counsel(zonedInstant(addDays(today, -30), '11:00', TZ)), p2, { instrument: 'urica', answers: urica(2, 4, 5, 2) });
    await administer(counsel(zonedInstant(addDays(today, -2), '11:00', TZ)), p2, { instrument: 'urica', answers: urica(2, 3, 4, 5) });
    const due = addDays(today, 5);
    await createCarePlan(counsel(zonedInstant(addDays(today, -30), '12:00', TZ)), p2, {
      title: 'Treatment plan (demo)',
      status: 'active',
      reviewDate: due,
      problems: [{ id: '00000000-0000-4000-8000-00000000d001', text: 'Stimulant use alongside methadone treatment (demo)' }],
      goals: [
        {
          id: '00000000-0000-4000-8000-00000000d002',
          problemIds: ['00000000-0000-4000-8000-00000000d001'],
          description: 'Stimulant-negative tests most weeks (demo)',
          measure: 'Stimulant-negative urine tests in a row',
          targetValue: 6,
          targetComparator: '>=',
          targetUnit: 'tests',
          dueDate: addDays(today, 60),
          status: 'active',
          responsibleStaffIds: [counsellor.id],
        },
      ],
      interventions: [
        {
          source: 'recommendation',
          code: 'contingency-management',
          text: 'Contingency management (prize draws and vouchers)',
          goalIds: [],
          responsibleStaffIds: [cm.id],
          frequency: 'three tests a week',
          status: 'in-progress',
        },
        { source: 'recommendation', code: 'cbt', text: 'Cognitive-behavioural therapy', goalIds: [], responsibleStaffIds: [counsellor.id], frequency: 'weekly', status: 'planned' },
      ],
    });
  }
  if (p3) {
    await administer(counsel(zonedInstant(addDays(today, -20), '11:00', TZ)), p3, { instrument: 'urica', answers: urica(2, 3, 5, 3) });
    await recordStage(counsel(zonedInstant(addDays(today, -3), '11:00', TZ)), p3, {
      stage: 'contemplation',
      informedBy: ['interview'],
      reason: 'After a return to use, the person describes weighing change again (demo).',
    });
  }
  const p6 = byMrn.get('HSC-0006');
  if (p6) {
    await administer(counsel(zonedInstant(addDays(today, -1), '15:00', TZ)), p6, {
      instrument: 'phq-9',
      answers: { 1: 2, 2: 2, 3: 1, 4: 2, 5: 1, 6: 1, 7: 1, 8: 0, 9: 1 },
    });
  }
}
