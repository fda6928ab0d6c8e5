// A consented read (issue 16): a family member's card for one patient through the use case —
// the patient's consents read afresh, core's decision, the disclosure row and its audit row, then
// the card's facts — against the same card's facts read without the check (record-summary's
// familySummary and the audit row every read of patient data writes), in the same run on PostgreSQL. The goal: ≤ 1.5×. The patient has a
// year of consents like a real one (a revoked one, a TPO one, the family one) and the
// disclosures table grows as the bench runs, as it would in a programme.
import { randomUUID } from 'node:crypto';
import { withScratchDatabase } from './scratch-db.ts';
import { benchProgram, median } from './bench-program.ts';
import { inTransaction } from '../server/platform/db/database.ts';
import { auditContext, systemCtx, type FamilyPrincipal } from '../server/platform/http/context.ts';
import { writeAudit } from '../server/platform/audit.ts';
import { createConsent, revokeConsent } from '../server/modules/consent/consents.ts';
import { addFamilyMember, sharedByPatient } from '../server/modules/consent/family.ts';
import { familySummary } from '../server/modules/consent/record-summary.ts';

const NAME = `wp_bench_consent_${randomUUID().slice(0, 8)}`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READS = Number(process.env.BENCH_READS ?? 300);
const NOW = new Date('2026-03-04T15:00:00Z');
const CLASSES = ['appointments', 'check-ins', 'cm-progress', 'safety-plan'] as const;

export default function bench() {
  return withScratchDatabase(NAME, 2, async (d) => {
    const { orgId, programId } = await benchProgram(d.db, 'Bench consent', NOW);
    const patientId = randomUUID();
    await d.query(
      `insert into patients (program_id, id, mrn, legal_given_name, legal_family_name, birth_date, created_at, updated_at) values ($1, $2, 'BENCH-1', 'Bench', 'Patient (fictional)', '1990-01-01', $3, $3)`,
      [programId, patientId, NOW],
    );
    const ctx = systemCtx({ orgId, programId, now: NOW });
    const familyMemberId = await inTransaction(d.db, async (tx) => {
      const deps = { tx, ctx };
      const list = await addFamilyMember(deps, patientId, { displayName: 'Bench sister (fictional)', relationship: 'sibling', language: 'en' });
      const id = list.items[0]!.id;
      const paper = { signerName: 'Bench Patient', signerRole: 'patient', signedOn: '2026-03-01', scan: { contentType: 'image/png' as const, base64: 'YmVuY2g=' } };
      const terms = {
        template: 'family',
        language: 'en' as const,
        recipient: { kind: 'family-member' as const, familyMemberId: id },
        purposes: ['family-support' as const],
        dataDescription: 'x',
        expiry: { kind: 'end-of-treatment' as const },
      };
      const old = await createConsent(deps, patientId, { ...terms, dataClasses: ['appointments'], paper });
      await revokeConsent(deps, patientId, old.id, {}, 'staff');
      await createConsent(deps, patientId, {
        template: 'tpo',
        language: 'en',
        recipient: { kind: 'tpo-designation' },
        purposes: ['treatment', 'payment', 'health-care-operations'],
        dataClasses: ['medication'],
        dataDescription: 'x',
        expiry: { kind: 'none' },
        paper,
      });
      await createConsent(deps, patientId, { ...terms, dataClasses: [...CLASSES], paper });
      return id;
    });
    const me: FamilyPrincipal = { programId, orgId, familyMemberId, deviceId: randomUUID(), sessionId: randomUUID(), idleMinutes: 5 };
    const familyCtx = { ...ctx, family: me };
    const consented = () => inTransaction(d.db, (tx) => sharedByPatient({ tx, ctx: familyCtx }, me, patientId));
    // the same read as any read of patient data in Waypoint: the facts and their audit row
    const bare = () =>
      inTransaction(d.db, async (tx) => {
        const out = await familySummary(tx, { programId, patientId, dataClasses: CLASSES, lang: 'en', now: NOW });
        await writeAudit(tx, auditContext(familyCtx), { action: 'read', entity: 'family', patientId });
        return out;
      });
    // the two reads alternate in batches of ten, so a change of load on the machine falls on both alike
    const round = async (): Promise<{ c: number; b: number }> => {
      let c = 0;
      let b = 0;
      for (let i = 0; i < READS; i += 10) {
        let s = performance.now();
        for (let j = 0; j < 10; j++) await bare();
        b += performance.now() - s;
        s = performance.now();
        for (let j = 0; j < 10; j++) await consented();
        c += performance.now() - s;
      }
      return { c: c / READS, b: b / READS };
    };
    await round(); // warm-up
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const { c, b } = await round();
      ratios.push(c / b);
      console.log(`round ${r + 1}: consented read ${c.toFixed(2)} ms, same read without the check ${b.toFixed(2)} ms, ratio ${(c / b).toFixed(2)}`);
    }
    const [n] = await d.query<{ n: string }>('select count(*) n from disclosures');
    console.log(`consent: consented read vs the same read without the check — median ratio ${median(ratios).toFixed(2)} (goal ≤ 1.5); ${n!.n} disclosures recorded`);
  });
}
