// The audit trail: written in the same transaction as the work (a failed use case
// leaves neither), append-only in the database, hash-chained per programme with
// tampering and removal detected at the first broken link, safe under concurrent
// sealers, and browsable / exportable by auditors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAll, sealChain, verifyChains } from '../../server/platform/audit.ts';
import { newAuditSigner } from '../../server/platform/audit-key.ts';
import { openDatabase } from '../../server/platform/db/database.ts';
import { onPostgres } from '../support/db.ts';
import { count, expectProblem, newPatient } from '../support/http.ts';
import { makeWorld, type Client, type World } from '../support/world.ts';

/** The installation's audit signing key (ADR 024). */
const key = newAuditSigner();
const verify = (db = w.database.db) => verifyChains(db, { verifier: key });

let w: World;
let admin: Client;
let auditor: Client;
let orgAdmin: Client;
beforeAll(async () => {
  w = await makeWorld();
  admin = await w.client('administrator');
  auditor = await w.client('auditor', {});
  orgAdmin = await w.client('orgAdmin');
});
afterAll(async () => {
  await w?.close();
});

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => w.database.query<T>(sql, params);
const auditCount = async () => count(await q<{ n: string }>('select count(*) as n from audit_events'));
const lastAudit = async () =>
  (await q<{ action: string; entity: string; patient_id: string | null; actor_id: string | null; outcome: string; request_id: string }>('select * from audit_events order by id desc limit 1'))[0]!;

/** Runs SQL with the append-only trigger switched off, as an attacker with table owner rights would. */
async function asTamperer(sql: string, params: unknown[] = []) {
  await q('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  try {
    await q(sql, params);
  } finally {
    await q('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  }
}

describe('every read and change is audited, in the same transaction', () => {
  it('writes one event for each read, search, change, sign-in and admin action', async () => {
    const cases: Array<[string, () => Promise<{ statusCode: number }>, string, string]> = [
      ['view patient', () => admin.get(`/api/v1/patients/${w.patientA}`), 'read', 'patient'],
      ['search', () => admin.post('/api/v1/patients/search', { q: 'alder' }), 'search', 'patient'],
      ['create', () => admin.post('/api/v1/patients', newPatient('aud1')), 'create', 'patient'],
      ['update', () => admin.patch(`/api/v1/patients/${w.patientA}`, { version: 1, pronouns: 'she/her' }), 'update', 'patient'],
      ['medications', () => admin.get(`/api/v1/patients/${w.patientA}/medications`), 'read', 'medication'],
      ['episodes', () => admin.get(`/api/v1/patients/${w.patientA}/episodes`), 'read', 'episode'],
      ['care team', () => admin.get(`/api/v1/patients/${w.patientA}/care-team`), 'read', 'care-team'],
      ['staff list', () => admin.get('/api/v1/staff'), 'search', 'staff'],
      ['settings', () => orgAdmin.put('/api/v1/organization/settings', { idleTimeoutMinutes: 15, sessionLifetimeHours: 12, mfaRequired: false }), 'update', 'organization'],
      ['audit browse', () => auditor.get('/api/v1/audit-events'), 'search', 'audit'],
    ];
    for (const [name, run, action, entity] of cases) {
      const before = await auditCount();
      const r = await run();
      expect(r.statusCode, name).toBe(200);
      expect(await auditCount(), name).toBe(before + 1);
      expect(await lastAudit(), name).toMatchObject({ action, entity, outcome: 'success' });
    }
    const before = await auditCount();
    await w.signIn(w.emailOf('counsellor'));
    expect(await auditCount()).toBe(before + 1);
    expect(await lastAudit()).toMatchObject({ action: 'sign-in', actor_id: w.users.counsellor, outcome: 'success' });
  });

  it('a use case that fails after writing leaves neither the change nor its audit row', async () => {
    const p = (await admin.post('/api/v1/patients', newPatient('atom1'))).json() as { id: string };
    expect((await admin.patch(`/api/v1/patients/${p.id}`, { version: 1, preferredName: 'One' })).statusCode).toBe(200);
    const before = await auditCount();
    const stale = await admin.patch(`/api/v1/patients/${p.id}`, { version: 1, preferredName: 'Two' });
    expectProblem(stale, 409, 'stale_version');
    expect(await auditCount()).toBe(before);
    // an MRN change that collides fails after nothing; an admission on a patient with an open episode
    // fails after its checks — neither leaves a row
    expect((await admin.post(`/api/v1/patients/${p.id}/episodes`, { levelOfCare: 'otp', admittedOn: '2026-01-01' })).statusCode).toBe(200);
    const before2 = await auditCount();
    expectProblem(await admin.post(`/api/v1/patients/${p.id}/episodes`, { levelOfCare: 'otp', admittedOn: '2026-01-02' }), 409, 'episode_open');
    expect(await auditCount()).toBe(before2);
    const rows = await q<{ preferred_name: string; version: number }>('select preferred_name, version from patients where id = $1', [p.id]);
    expect(rows[0]).toEqual({ preferred_name: 'One', version: 2 });
  });

  it('a staff creation whose audit row cannot be written rolls back the account too', async () => {
    // make the audit insert fail inside the use case's transaction
    await q(`CREATE FUNCTION wp_test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.entity = 'user' AND NEW.action = 'create' THEN RAISE EXCEPTION 'audit unavailable'; END IF; RETURN NEW; END $$`);
    await q('CREATE TRIGGER wp_test_fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION wp_test_fail_audit()');
    try {
      const r = await admin.post('/api/v1/staff', { email: 'atomic-staff@test.example', displayName: 'Atomic Staff', roles: ['auditor'] });
      expect(r.statusCode).toBe(500);
      expectProblem(r, 500, 'internal_error');
      expect(await q("select 1 from users where email = 'atomic-staff@test.example'")).toHaveLength(0);
    } finally {
      await q('DROP TRIGGER wp_test_fail_audit ON audit_events');
      await q('DROP FUNCTION wp_test_fail_audit()');
    }
  });
});

describe('append-only', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE of audit events and seals', async () => {
    await sealAll(w.database.db, key, w.clock.now);
    for (const sql of [
      "UPDATE audit_events SET action = 'nothing' WHERE id = (SELECT min(id) FROM audit_events)",
      'DELETE FROM audit_events WHERE id = (SELECT min(id) FROM audit_events)',
      'TRUNCATE audit_events CASCADE',
      "UPDATE audit_seals SET hash = 'x' WHERE seq = 1",
      'DELETE FROM audit_seals',
      'TRUNCATE audit_seals',
    ]) {
      await expect(q(sql), sql).rejects.toThrow(/append-only/);
    }
  });
});

describe('hash chain', () => {
  it('seals and verifies intact; reports an altered event and a removed one at their seq', async () => {
    await admin.get(`/api/v1/patients/${w.patientA}`);
    await sealAll(w.database.db, key, w.clock.now);
    let reports = await verify();
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.every((r) => r.ok && r.unsealed === 0)).toBe(true);
    const chainA = reports.find((r) => r.chainId === w.programA)!;
    expect(chainA.sealed).toBeGreaterThan(5);

    // alter the 3rd event of programme A's chain
    const [third] = await q<{ event_id: string }>('select event_id from audit_seals where chain_id = $1 and seq = 3', [w.programA]);
    await asTamperer("UPDATE audit_events SET outcome = 'failure' WHERE id = $1", [third!.event_id]);
    reports = await verify();
    expect(reports.find((r) => r.chainId === w.programA)).toMatchObject({ ok: false, firstBreak: { seq: 3, eventId: Number(third!.event_id), problem: 'the event was altered after it was sealed' } });
    expect(reports.filter((r) => r.chainId !== w.programA).every((r) => r.ok)).toBe(true);
    await asTamperer("UPDATE audit_events SET outcome = 'success' WHERE id = $1", [third!.event_id]);
    expect((await verify()).every((r) => r.ok)).toBe(true);

    // remove the 2nd event of programme B's chain
    const [second] = await q<{ event_id: string }>('select event_id from audit_seals where chain_id = $1 and seq = 2', [w.programB]);
    expect(second).toBeDefined();
    await asTamperer('DELETE FROM audit_events WHERE id = $1', [second!.event_id]);
    reports = await verify();
    expect(reports.find((r) => r.chainId === w.programB)).toMatchObject({ ok: false, firstBreak: { seq: 2, problem: 'the event was removed' } });
    expect(reports.find((r) => r.chainId === w.programA)?.ok).toBe(true);
  });

  it('detects a detail changed in a way JSON would not notice (key order is canonical, values are not)', async () => {
    const [row] = await q<{ id: string; seq: number }>(
      "select e.id, s.seq from audit_events e join audit_seals s on s.event_id = e.id where e.chain_id = $1 and e.detail ? 'count' order by s.seq desc limit 1",
      [w.programA],
    );
    await asTamperer("UPDATE audit_events SET detail = jsonb_set(detail, '{count}', to_jsonb((detail->>'count')::int + 1)) WHERE id = $1", [row!.id]);
    const r = (await verify()).find((x) => x.chainId === w.programA)!;
    expect(r.ok).toBe(false);
    expect(r.firstBreak).toMatchObject({ seq: Number(row!.seq), problem: 'the event was altered after it was sealed' });
  });
});

describe('seal horizon', () => {
  it('an audit event gets its transaction id before its own id (what the horizon relies on)', async () => {
    const [d] = await q<{ expr: string }>(
      "select pg_get_expr(adbin, adrelid) as expr from pg_attrdef where adrelid = 'audit_events'::regclass and adnum = (select attnum from pg_attribute where attrelid = 'audit_events'::regclass and attname = 'id')",
    );
    expect(d!.expr.replace(/\s+/g, ' ').trim()).toBe("CASE WHEN (pg_current_xact_id() IS NOT NULL) THEN nextval('audit_events_id_seq'::regclass) ELSE NULL::bigint END");
  });

  it('moves past sealed events, so a pass reads only newer ones', async () => {
    await admin.get(`/api/v1/patients/${w.patientA}`);
    const [newest] = await q<{ id: string }>('select max(id) as id from audit_events');
    // It takes a few passes, and on PostgreSQL it also waits for any transaction on the
    // server that began before the newest event (a neighbouring test file's, in another database).
    await expect
      .poll(async () => {
        await sealAll(w.database.db, key, w.clock.now);
        return horizon();
      })
      .toBe(Number(newest!.id));
  });
});

/** How far the sealing passes have read: every event up to it is sealed. */
async function horizon() {
  return Number((await q<{ n: string }>('select sealed_through as n from audit_seal_horizon'))[0]!.n);
}

/** A second pool on the test database: another server. */
async function secondServer() {
  const [{ db: name }] = (await q<{ db: string }>('select current_database() as db')) as [{ db: string }];
  const u = new URL(process.env.TEST_DATABASE_URL!);
  u.pathname = `/${name}`;
  return openDatabase({ databaseUrl: u.toString(), migrate: false, poolSize: 8 });
}

describe.skipIf(!onPostgres())('concurrent sealers (PostgreSQL)', () => {
  it('never produce duplicate seqs or forks', async () => {
    // several servers sealing at once
    const other = await secondServer();
    try {
      const c = await w.client('front-desk');
      for (let round = 0; round < 5; round++) {
        await Promise.all(Array.from({ length: 20 }, () => c.get(`/api/v1/patients/${w.patientA}`)));
        await Promise.all([
          ...Array.from({ length: 4 }, () => sealChain(w.database.db, key, w.programA, new Date(), 7)),
          ...Array.from({ length: 4 }, () => sealChain(other.db, key, w.programA, new Date(), 7)),
          sealAll(w.database.db, key, new Date()),
          sealAll(other.db, key, new Date()),
        ]);
      }
      await sealAll(other.db, key, new Date());
      const dup = await q('select chain_id, seq from audit_seals group by 1, 2 having count(*) > 1');
      expect(dup).toEqual([]);
      const forks = await q('select prev_hash from audit_seals where chain_id = $1 group by 1 having count(*) > 1', [w.programA]);
      expect(forks).toEqual([]);
      const doubly = await q('select event_id from audit_seals group by 1 having count(*) > 1');
      expect(doubly).toEqual([]);
      const a = (await verify()).find((r) => r.chainId === w.programA)!;
      expect(a.unsealed).toBe(0);
      // (the earlier tamper tests broke chain A on purpose; check the new links follow on)
      const [gap] = await q<{ n: string }>('select count(*) - max(seq) as n from audit_seals where chain_id = $1', [w.programA]);
      expect(Number(gap!.n)).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('an event whose transaction stays open across sealing passes is sealed once it commits', async () => {
    const other = await secondServer();
    const held = await (other.db as unknown as { $client: import('pg').Pool }).$client.connect();
    const isSealed = async (id: number) => (await q('select 1 from audit_seals where event_id = $1', [id])).length === 1;
    try {
      // a slow request: its event's id is handed out now, its transaction commits later
      await held.query('begin');
      const late = Number(
        (
          await held.query<{ id: string }>("insert into audit_events (chain_id, org_id, program_id, at, action, entity, outcome) values ($1, $2, $1, $3, 'read', 'patient', 'success') returning id", [
            w.programA,
            w.orgId,
            w.clock.now,
          ])
        ).rows[0]!.id,
      );
      // meanwhile newer events commit and are sealed, pass after pass
      const c = await w.client('front-desk');
      for (let pass = 0; pass < 3; pass++) {
        await c.get(`/api/v1/patients/${w.patientA}`);
        await sealAll(w.database.db, key, new Date());
      }
      const [newest] = await q<{ id: string }>('select max(id) as id from audit_events');
      expect(await isSealed(Number(newest!.id))).toBe(true);
      expect(await horizon()).toBeLessThan(late); // the horizon waits for the open transaction
      await held.query('commit');
      await sealAll(w.database.db, key, new Date());
      expect(await isSealed(late)).toBe(true);
      // with nothing of ours left open, the horizon moves past every event sealed so far (once
      // any transaction a neighbouring test file has open on the server has ended too)
      await expect
        .poll(async () => {
          await sealAll(w.database.db, key, new Date());
          return horizon();
        })
        .toBeGreaterThanOrEqual(Number(newest!.id));
      const a = (await verify()).find((r) => r.chainId === w.programA)!;
      expect(a.unsealed).toBe(0);
    } finally {
      held.release();
      await other.close();
    }
  });
});

describe('auditor browsing and export', () => {
  it('filters by actor, patient, action and outcome, newest first, paginated', async () => {
    const fd = await w.client('front-desk');
    await fd.get(`/api/v1/patients/${w.patientA}`);
    await fd.get('/api/v1/audit-events'); // denied, audited
    const byActor = await auditor.get(`/api/v1/audit-events?actorId=${w.users['front-desk']}&limit=200`);
    expect(byActor.statusCode).toBe(200);
    const items = (byActor.json() as { items: Array<{ id: number; actorId: string; action: string; outcome: string; actorName: string }> }).items;
    expect(items.length).toBeGreaterThanOrEqual(2); // the read and the denial (sign-ins are on the organisation's chain)
    expect(items.every((i) => i.actorId === w.users['front-desk'])).toBe(true);
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((a, b) => b - a));
    expect(items[0]!.actorName).toBe('Test front-desk');
    const denied = (await auditor.get('/api/v1/audit-events?outcome=denied&action=access-denied')).json() as { items: Array<{ actorId: string }> };
    expect(denied.items.some((i) => i.actorId === w.users['front-desk'])).toBe(true);
    const byPatient = (await auditor.get(`/api/v1/audit-events?patientId=${w.patientA}&action=read&entity=patient`)).json() as { items: Array<{ patientId: string }> };
    expect(byPatient.items.length).toBeGreaterThan(0);
    expect(byPatient.items.every((i) => i.patientId === w.patientA)).toBe(true);
    // pages
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = (await auditor.get(`/api/v1/audit-events?limit=5${cursor ? `&cursor=${cursor}` : ''}&from=2026-03-02&to=2026-03-02`)).json() as {
        items: Array<{ id: number }>;
        nextCursor: string | null;
      };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(10);
    expectProblem(await auditor.get('/api/v1/audit-events?from=2026-03-05&to=2026-03-01'), 400, 'invalid_input', 'query.to');
    expect((await auditor.get('/api/v1/audit-events?from=2026-03-03')).json()).toMatchObject({ items: [] });
  });

  it('exports CSV with a header row, RFC 4180 quoting and neutralised formulas', async () => {
    const fd = await w.client('front-desk');
    await fd.request({ method: 'GET', url: `/api/v1/patients/${w.patientA}`, headers: { 'user-agent': '=HYPERLINK("http://evil.example","click"), "quoted"' } });
    const r = await auditor.get('/api/v1/audit-events.csv?action=read&entity=patient');
    expect(r.statusCode).toBe(200);
    expect(String(r.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(r.headers['content-disposition'])).toMatch(/attachment; filename="audit-events\.csv"/);
    const lines = r.body.split('\r\n');
    expect(lines[0]).toBe('id,at,actorId,actorName,actorRole,action,entity,entityId,patientId,outcome,purpose,ip,userAgent,requestId,detail,sealed');
    expect(lines.at(-1)).toBe('');
    const evil = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(evil).toBeDefined();
    expect(evil).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), ""quoted"""`);
    expect(evil).not.toMatch(/(^|,)=/);
    // the export itself is audited
    expect(await lastAudit()).toMatchObject({ action: 'export', entity: 'audit', actor_id: w.users.auditor });
  });
});
