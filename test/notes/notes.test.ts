// Notes on visits over HTTP (issue 14, ADR 041): the progress-note lifecycle (draft, sign,
// lock, co-sign, addenda) with its 409s and the database's own lock; who a note can be
// about; and SUD counselling notes kept apart — read by the author and those granted only,
// 404 and absent from lists for anyone else, every read, grant and revoke audited.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkPlan } from '../support/fixtures.ts';
import { expectProblem } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';
import { anotherPatient, anotherStaff, bookVisit } from './support.ts';

type Note = {
  id: string;
  version: number;
  state: string;
  patientId: string | null;
  sections: Record<string, string>;
  goals: Array<{ id: string; description: string | null }>;
  cosigner: { id: string } | null;
  addenda: Array<{ text: string; author: { name: string } }>;
};
type KeptNote = { id: string; version: number; state: string; body: string; visibleTo: Array<{ id: string; name: string }>; canGrant: boolean };

const SOAP = { subjective: 's', objective: 'o', assessment: 'a', plan: 'p' };
const DAP = { data: 'Said they want to cut down before their daughter’s visit.', assessment: 'Strong reasons: family, work.', plan: 'Try the craving log; meet next week.' };

describe('notes on visits', () => {
  let w: World;
  let counsellor: Client;
  let colleague: Client; // a second counsellor
  let supervisor: Client; // the prescriber, who co-signs
  let visit: string;
  let goal: string;

  const auditRows = (entity: string, action: string, actor: string) =>
    w.database.query<{ entity_id: string | null; patient_id: string | null }>('select entity_id, patient_id from audit_events where entity = $1 and action = $2 and actor_id = $3', [
      entity,
      action,
      actor,
    ]);

  beforeAll(async () => {
    w = await makeWorld();
    counsellor = await w.client('counsellor');
    supervisor = await w.client('prescriber');
    colleague = await anotherStaff(w, 'counsellor', 'Second Counsellor');
    visit = await bookVisit(w, { staffId: counsellor.userId, patients: [w.patientA] });
    const plan = await counsellor.post(`/api/v1/patients/${w.patientA}/care-plans`, walkPlan(counsellor.userId, 'Notes test plan'));
    expect(plan.statusCode, plan.body).toBe(200);
    goal = (plan.json() as { goals: Array<{ id: string }> }).goals[0]!.id;
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  describe('progress notes', () => {
    it('draft → edit → sign with a co-signer → locked (409 and the database refuses) → co-signed → addenda', async () => {
      const made = await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: w.patientA, template: 'dap', sections: { data: DAP.data }, goalIds: [goal] });
      expect(made.statusCode, made.body).toBe(200);
      const draft = made.json() as Note;
      expect(draft).toMatchObject({
        state: 'draft',
        version: 1,
        patientId: w.patientA,
        sections: { data: DAP.data, assessment: '', plan: '' },
        goals: [{ id: goal, description: 'Fewer days of use' }],
      });

      const saved = await counsellor.patch(`/api/v1/progress-notes/${draft.id}`, { version: 1, sections: DAP });
      expect(saved.statusCode, saved.body).toBe(200);
      expect((saved.json() as Note).version).toBe(2);
      expectProblem(await counsellor.patch(`/api/v1/progress-notes/${draft.id}`, { version: 1, sections: DAP }), 409, 'stale_version', 'body.version');
      expectProblem(await colleague.patch(`/api/v1/progress-notes/${draft.id}`, { version: 2, sections: DAP }), 409, 'not_author');
      expectProblem(await colleague.post(`/api/v1/progress-notes/${draft.id}/sign`, { version: 2 }), 409, 'not_author');
      // the co-signer must be someone who may co-sign (a peer specialist may not), and not the author
      expectProblem(await counsellor.post(`/api/v1/progress-notes/${draft.id}/sign`, { version: 2, cosignerId: w.users['peer-specialist'] }), 400, 'not_a_cosigner', 'body.cosignerId');
      expectProblem(await counsellor.post(`/api/v1/progress-notes/${draft.id}/sign`, { version: 2, cosignerId: counsellor.userId }), 400, 'own_note', 'body.cosignerId');
      expectProblem(await counsellor.post(`/api/v1/progress-notes/${draft.id}/addenda`, { text: 'too early' }), 409, 'not_signed');

      const signed = await counsellor.post(`/api/v1/progress-notes/${draft.id}/sign`, { version: 2, cosignerId: supervisor.userId });
      expect(signed.statusCode, signed.body).toBe(200);
      expect(signed.json()).toMatchObject({ state: 'awaiting-cosignature', version: 3, cosigner: { id: supervisor.userId } });

      // locked: no edit, no second signature, and the database itself refuses
      expectProblem(await counsellor.patch(`/api/v1/progress-notes/${draft.id}`, { version: 3, sections: { ...DAP, plan: 'changed' } }), 409, 'signed');
      expectProblem(await counsellor.post(`/api/v1/progress-notes/${draft.id}/sign`, { version: 3 }), 409, 'signed');
      await expect(w.database.query("update progress_notes set sections = '{}'::jsonb where id = $1", [draft.id])).rejects.toThrow(/append-only/);
      await expect(w.database.query('delete from progress_notes where id = $1', [draft.id])).rejects.toThrow(/append-only/);

      // only the named co-signer co-signs, once; it waits in their queue until then
      expectProblem(await colleague.post(`/api/v1/progress-notes/${draft.id}/cosign`), 409, 'not_cosigner');
      const queue = (await supervisor.get('/api/v1/progress-notes/cosign-queue')).json() as { items: Array<{ id: string }> };
      expect(queue.items.map((i) => i.id)).toEqual([draft.id]);
      expect(((await colleague.get('/api/v1/progress-notes/cosign-queue')).json() as { items: unknown[] }).items).toEqual([]);
      const cosigned = await supervisor.post(`/api/v1/progress-notes/${draft.id}/cosign`);
      expect(cosigned.statusCode, cosigned.body).toBe(200);
      expect((cosigned.json() as Note).state).toBe('cosigned');
      expectProblem(await supervisor.post(`/api/v1/progress-notes/${draft.id}/cosign`), 409, 'already_cosigned');
      expect(((await supervisor.get('/api/v1/progress-notes/cosign-queue')).json() as { items: unknown[] }).items).toEqual([]);

      const added = await colleague.post(`/api/v1/progress-notes/${draft.id}/addenda`, { text: 'Late entry: called the person on Tuesday.' });
      expect(added.statusCode, added.body).toBe(200);
      expect((added.json() as Note).addenda).toMatchObject([{ text: 'Late entry: called the person on Tuesday.', author: { name: 'Second Counsellor' } }]);
      await expect(w.database.query('update progress_note_addenda set text = $1 where note_id = $2', ['x', draft.id])).rejects.toThrow(/append-only/);
      await expect(w.database.query('delete from progress_note_cosignatures where note_id = $1', [draft.id])).rejects.toThrow(/append-only/);

      // the signed words are the ones read back
      const read = (await counsellor.get(`/api/v1/progress-notes/${draft.id}`)).json() as Note;
      expect(read.sections).toEqual(DAP);
      for (const [entity, action, actor] of [
        ['progress-note', 'create', counsellor.userId],
        ['progress-note', 'update', counsellor.userId],
        ['progress-note', 'sign', counsellor.userId],
        ['progress-note', 'cosign', supervisor.userId],
        ['progress-note', 'read', counsellor.userId],
        ['progress-note-addendum', 'create', colleague.userId],
      ] as const) {
        const rows = await auditRows(entity, action, actor);
        expect(rows.length, `${entity} ${action}`).toBeGreaterThan(0);
        expect(rows.every((r) => r.patient_id === w.patientA)).toBe(true);
      }
    });

    it('a note is about someone booked on the visit, from a template the visit takes, linked to goals of their current plan', async () => {
      const notBooked = await anotherPatient(w, 'A-NB-1');
      expectProblem(await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: notBooked, template: 'dap', sections: {} }), 400, 'not_booked', 'body.patientId');
      expectProblem(await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: w.patientA, template: 'group-member', sections: {} }), 400, 'invalid_input', 'body.template');
      expectProblem(await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: null, template: 'group', sections: {} }), 400, 'invalid_input', 'body.patientId');
      expectProblem(await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: w.patientA, template: 'soap', sections: { mood: 'x' } }), 400, 'invalid_input', 'body.sections.mood');
      expectProblem(
        await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: w.patientA, template: 'birp', sections: {}, goalIds: [randomUUID()] }),
        400,
        'unknown_goal',
        'body.goalIds.0',
      );
      expectProblem(await counsellor.post(`/api/v1/encounters/${randomUUID()}/notes`, { patientId: w.patientA, template: 'dap', sections: {} }), 404, 'not_found');
      // signing needs every section written
      const n = (await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: w.patientA, template: 'birp', sections: { behaviour: 'Came early.' } })).json() as Note;
      expectProblem(await counsellor.post(`/api/v1/progress-notes/${n.id}/sign`, { version: 1 }), 400, 'invalid_input', 'body.sections.intervention');
      // nothing was written by the refusals
      const rows = await w.database.query<{ n: string }>('select count(*) as n from progress_notes where encounter_id = $1', [visit]);
      expect(Number(rows[0]!.n)).toBe(2);
    });

    it('a group visit has one shared part and a part per member; the list audits a read per person', async () => {
      const member = await anotherPatient(w, 'A-GRP-1');
      const group = await bookVisit(w, { staffId: counsellor.userId, typeCode: 'group-cbt', patients: [w.patientA, member] });
      const shared = await counsellor.post(`/api/v1/encounters/${group}/notes`, { patientId: null, template: 'group', sections: { topic: 'Coping with cravings' } });
      expect(shared.statusCode, shared.body).toBe(200);
      expectProblem(await counsellor.post(`/api/v1/encounters/${group}/notes`, { patientId: null, template: 'group', sections: {}, goalIds: [goal] }), 400, 'invalid_input', 'body.goalIds');
      expectProblem(await counsellor.post(`/api/v1/encounters/${group}/notes`, { patientId: member, template: 'dap', sections: {} }), 400, 'invalid_input', 'body.template');
      for (const p of [w.patientA, member]) expect((await counsellor.post(`/api/v1/encounters/${group}/notes`, { patientId: p, template: 'group-member', sections: {} })).statusCode).toBe(200);
      const list = (await colleague.get(`/api/v1/encounters/${group}/notes`)).json() as { items: Note[] };
      expect(list.items[0]!.patientId).toBeNull();
      expect(list.items.map((n) => n.patientId).sort()).toEqual([null, w.patientA, member].sort());
      const reads = await w.database.query<{ patient_id: string | null }>(
        "select patient_id from audit_events where entity = 'progress-note' and action = 'read' and actor_id = $1 and detail->>'encounterId' = $2",
        [colleague.userId, group],
      );
      expect(reads.map((r) => r.patient_id).sort()).toEqual([null, w.patientA, member].sort());
    });

    it('a cancelled visit takes no new note (409), of either kind', async () => {
      const cancelled = await bookVisit(w, { staffId: counsellor.userId, patients: [w.patientA], status: 'cancelled' });
      expectProblem(await counsellor.post(`/api/v1/encounters/${cancelled}/notes`, { patientId: w.patientA, template: 'dap', sections: {} }), 409, 'encounter_cancelled');
      expectProblem(await counsellor.post(`/api/v1/encounters/${cancelled}/counselling-notes`, { patientId: w.patientA, body: 'x' }), 409, 'encounter_cancelled');
    });

    it('two saves from the same version at once: one wins, the other is a 409 stale_version, nothing lost silently', async () => {
      const n = (await counsellor.post(`/api/v1/encounters/${visit}/notes`, { patientId: w.patientA, template: 'soap', sections: {} })).json() as Note;
      const [a, b] = await Promise.all([
        counsellor.patch(`/api/v1/progress-notes/${n.id}`, { version: 1, sections: { ...SOAP, subjective: 'first' } }),
        counsellor.patch(`/api/v1/progress-notes/${n.id}`, { version: 1, sections: { ...SOAP, subjective: 'second' } }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const winner = (a.statusCode === 200 ? a : b).json() as Note;
      const now = (await counsellor.get(`/api/v1/progress-notes/${n.id}`)).json() as Note;
      expect(now.version).toBe(2);
      expect(now.sections.subjective).toBe(winner.sections.subjective);
      // and two signatures at once: one signs, the other is refused
      const [s1, s2] = await Promise.all([counsellor.post(`/api/v1/progress-notes/${n.id}/sign`, { version: 2 }), counsellor.post(`/api/v1/progress-notes/${n.id}/sign`, { version: 2 })]);
      expect([s1.statusCode, s2.statusCode].sort()).toEqual([200, 409]);
      expect((s1.statusCode === 409 ? s1 : s2).json()).toMatchObject({ code: expect.stringMatching(/^(signed|stale_version)$/) });
    });

    it('another programme’s visit and note are a 404', async () => {
      const adminB = await w.client('adminB');
      const visitB = await bookVisit(w, { programId: w.programB, staffId: adminB.userId, patients: [w.patientB] });
      const noteB = (await adminB.post(`/api/v1/encounters/${visitB}/notes`, { patientId: w.patientB, template: 'dap', sections: {} })).json() as Note;
      expectProblem(await counsellor.get(`/api/v1/encounters/${visitB}/notes`), 404);
      expectProblem(await counsellor.get(`/api/v1/progress-notes/${noteB.id}`), 404);
    });
  });

  describe('SUD counselling notes kept apart', () => {
    let kept: KeptNote;

    it('only the author reads it: another counsellor gets a 404 and their list omits it; every read is audited', async () => {
      const made = await counsellor.post(`/api/v1/encounters/${visit}/counselling-notes`, { patientId: w.patientA, body: '  Talked about what happened at home.  ' });
      expect(made.statusCode, made.body).toBe(200);
      kept = made.json() as KeptNote;
      expect(kept).toMatchObject({ state: 'draft', body: 'Talked about what happened at home.', visibleTo: [], canGrant: true });

      const other = await colleague.get(`/api/v1/counselling-notes/${kept.id}`);
      const missing = await colleague.get(`/api/v1/counselling-notes/${randomUUID()}`);
      expectProblem(other, 404, 'not_found');
      const withoutRequest = (body: string) => ({ ...(JSON.parse(body) as Record<string, unknown>), requestId: null });
      expect(withoutRequest(other.body)).toEqual(withoutRequest(missing.body)); // the same answer as for no note at all
      expect(((await colleague.get(`/api/v1/encounters/${visit}/counselling-notes`)).json() as { items: unknown[] }).items).toEqual([]);
      expectProblem(await colleague.patch(`/api/v1/counselling-notes/${kept.id}`, { version: 1, body: 'x' }), 404);
      expectProblem(await colleague.post(`/api/v1/counselling-notes/${kept.id}/grants`, { userId: colleague.userId }), 404);
      expectProblem(await colleague.get(`/api/v1/counselling-notes/${kept.id}/grants`), 404);
      // no role reads it, not even an administrator (who may manage its grants)
      const admin = await w.client('administrator');
      expectProblem(await admin.get(`/api/v1/counselling-notes/${kept.id}`), 404);
      // and it is in no progress-note list
      const notes = (await colleague.get(`/api/v1/encounters/${visit}/notes`)).body;
      expect(notes).not.toContain(kept.id);
      expect(notes).not.toContain('what happened at home');

      const before = (await auditRows('counselling-note', 'read', counsellor.userId)).length;
      expect((await counsellor.get(`/api/v1/counselling-notes/${kept.id}`)).statusCode).toBe(200);
      expect(((await counsellor.get(`/api/v1/encounters/${visit}/counselling-notes`)).json() as { items: KeptNote[] }).items.map((n) => n.id)).toEqual([kept.id]);
      const after = await auditRows('counselling-note', 'read', counsellor.userId);
      expect(after.length - before).toBe(2);
      expect(after.every((r) => r.entity_id === kept.id && r.patient_id === w.patientA)).toBe(true);
      // an empty list is a read too
      expect((await auditRows('counselling-note', 'read', colleague.userId)).length).toBeGreaterThan(0);
    });

    it('grant then read works and is audited; the screen’s list says who; revoke takes effect at once', async () => {
      expectProblem(await counsellor.post(`/api/v1/counselling-notes/${kept.id}/grants`, { userId: w.users['cm-coordinator'] }), 400, 'not_a_reader', 'body.userId');
      expectProblem(await counsellor.post(`/api/v1/counselling-notes/${kept.id}/grants`, { userId: counsellor.userId }), 400, 'invalid_input', 'body.userId');
      const granted = await counsellor.post(`/api/v1/counselling-notes/${kept.id}/grants`, { userId: colleague.userId });
      expect(granted.statusCode, granted.body).toBe(200);
      expectProblem(await counsellor.post(`/api/v1/counselling-notes/${kept.id}/grants`, { userId: colleague.userId }), 409, 'already_granted');

      const read = await colleague.get(`/api/v1/counselling-notes/${kept.id}`);
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json()).toMatchObject({ body: 'Talked about what happened at home.', visibleTo: [{ id: colleague.userId, name: 'Second Counsellor' }], canGrant: false });
      expect(((await colleague.get(`/api/v1/encounters/${visit}/counselling-notes`)).json() as { items: KeptNote[] }).items.map((n) => n.id)).toEqual([kept.id]);
      expect((await auditRows('counselling-note', 'read', colleague.userId)).filter((r) => r.entity_id === kept.id).length).toBe(2);
      expect(await auditRows('counselling-note-grant', 'grant', counsellor.userId)).toEqual([{ entity_id: kept.id, patient_id: w.patientA }]);
      // a reader cannot pass it on, nor edit it
      expectProblem(await colleague.post(`/api/v1/counselling-notes/${kept.id}/grants`, { userId: supervisor.userId }), 404);
      expectProblem(await colleague.patch(`/api/v1/counselling-notes/${kept.id}`, { version: 1, body: 'x' }), 409, 'not_author');

      const revoked = await counsellor.post(`/api/v1/counselling-notes/${kept.id}/grants/${colleague.userId}/revoke`);
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect((revoked.json() as { items: Array<{ revokedBy: { id: string } | null }> }).items).toMatchObject([{ user: { id: colleague.userId }, revokedBy: { id: counsellor.userId } }]);
      expectProblem(await colleague.get(`/api/v1/counselling-notes/${kept.id}`), 404);
      expect(((await colleague.get(`/api/v1/encounters/${visit}/counselling-notes`)).json() as { items: unknown[] }).items).toEqual([]);
      expectProblem(await counsellor.post(`/api/v1/counselling-notes/${kept.id}/grants/${colleague.userId}/revoke`), 409, 'not_granted');
      expect(await auditRows('counselling-note-grant', 'revoke', counsellor.userId)).toEqual([{ entity_id: kept.id, patient_id: w.patientA }]);
      // grants are history: never removed, revoked once
      await expect(w.database.query('delete from counselling_note_grants where note_id = $1', [kept.id])).rejects.toThrow(/append-only/);
      await expect(w.database.query('update counselling_note_grants set revoked_at = null where note_id = $1', [kept.id])).rejects.toThrow(/append-only/);
    });

    it('a programme administrator may grant and revoke without reading it; the author signs and it is locked', async () => {
      const admin = await w.client('administrator');
      const g = await admin.post(`/api/v1/counselling-notes/${kept.id}/grants`, { userId: supervisor.userId });
      expect(g.statusCode, g.body).toBe(200);
      expect(g.body).not.toContain('what happened at home');
      expect((await supervisor.get(`/api/v1/counselling-notes/${kept.id}`)).statusCode).toBe(200);
      expect((await admin.post(`/api/v1/counselling-notes/${kept.id}/grants/${supervisor.userId}/revoke`)).statusCode).toBe(200);
      expectProblem(await supervisor.get(`/api/v1/counselling-notes/${kept.id}`), 404);

      const notBooked = await anotherPatient(w, 'A-NB-2');
      expectProblem(await counsellor.post(`/api/v1/encounters/${visit}/counselling-notes`, { patientId: notBooked, body: 'x' }), 400, 'not_booked', 'body.patientId');
      const signed = await counsellor.post(`/api/v1/counselling-notes/${kept.id}/sign`, { version: 1 });
      expect(signed.statusCode, signed.body).toBe(200);
      expect((signed.json() as KeptNote).state).toBe('signed');
      expectProblem(await counsellor.patch(`/api/v1/counselling-notes/${kept.id}`, { version: 2, body: 'changed' }), 409, 'signed');
      await expect(w.database.query("update counselling_notes set body = 'changed' where id = $1", [kept.id])).rejects.toThrow(/append-only/);
    });
  });
});
