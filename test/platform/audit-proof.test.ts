// Audit you can prove (ADR 024): seals signed with a key the database does not hold, a
// signed checkpoint an auditor keeps, and verification against both. An attacker here has
// every right on the audit tables (triggers off), but not the signing key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTALLATION_CHAIN, eventHash, sealAll, sealMessage, verifyChains, type ChainReport } from '../../server/platform/audit.ts';
import { makeCheckpoint, readCheckpoint } from '../../server/platform/audit-checkpoint.ts';
import { newAuditSigner, signBytes } from '../../server/platform/audit-key.ts';
import { makeWorld, type World } from '../support/world.ts';

const key = newAuditSigner();
let w: World;
beforeAll(async () => {
  w = await makeWorld();
  const admin = await w.client('administrator');
  const adminB = await w.client('adminB');
  for (let i = 0; i < 6; i++) {
    await admin.get(`/api/v1/patients/${w.patientA}`);
    await adminB.get(`/api/v1/patients/${w.patientB}`);
  }
  // a sign-in with an unknown email: the installation's chain (its id is all zeros)
  await w.database.query("insert into audit_events (chain_id, at, action, entity, outcome) values ($1, now(), 'sign-in', 'session', 'failure')", [INSTALLATION_CHAIN]);
  await sealAll(w.database.db, key, w.clock.now);
});
afterAll(async () => {
  await w?.close();
});

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => w.database.query<T>(sql, params);
const chain = (reports: ChainReport[], id: string) => reports.find((r) => r.chainId === id)!;

/** Runs statements with the append-only triggers off, as someone with owner rights on the tables would. */
async function asTamperer(run: () => Promise<unknown>) {
  for (const t of ['audit_events', 'audit_seals']) await q(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
  try {
    await run();
  } finally {
    for (const t of ['audit_events', 'audit_seals']) await q(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
  }
}

type SealRow = { seq: string; event_id: string; prev_hash: string; hash: string };
const sealsOf = (chainId: string) => q<SealRow>('select seq, event_id, prev_hash, hash from audit_seals where chain_id = $1 order by seq', [chainId]);

/**
 * Removes the newest `n` events of a chain with their seals and moves the chain head back,
 * leaving a chain that is consistent from genesis to its (new) end.
 */
async function truncate(chainId: string, n: number) {
  const seals = await sealsOf(chainId);
  const keep = seals.slice(0, seals.length - n);
  const gone = seals.slice(seals.length - n);
  await asTamperer(async () => {
    await q('delete from audit_seals where chain_id = $1 and seq > $2', [chainId, keep.length]);
    await q('delete from audit_events where id = any($1::bigint[])', [gone.map((s) => s.event_id)]);
    await q('update audit_chain_heads set seq = $2, hash = $3 where chain_id = $1', [chainId, keep.length, keep.at(-1)!.hash]);
  });
  return { before: seals.length, after: keep.length };
}

describe('signed seals', () => {
  it('every seal carries an Ed25519 signature and the key fingerprint; an untouched trail verifies', async () => {
    const rows = await q<{ n: string; signed: string; fps: string[] }>('select count(*) as n, count(signature) as signed, array_agg(distinct key_fingerprint) as fps from audit_seals');
    expect(Number(rows[0]!.n)).toBeGreaterThan(10);
    expect(rows[0]!.signed).toBe(rows[0]!.n);
    expect(rows[0]!.fps).toEqual([key.fingerprint]);
    const reports = await verifyChains(w.database.db, { verifier: key });
    expect(reports.every((r) => r.ok && r.unsigned === 0)).toBe(true);
    expect(chain(reports, w.programA).sealed).toBeGreaterThan(5);
  });

  it('a trail checked with another public key fails at its first seal', async () => {
    const other = newAuditSigner();
    const r = chain(await verifyChains(w.database.db, { verifier: other }), w.programA);
    expect(r).toMatchObject({ ok: false, firstBreak: { seq: 1 } });
    expect(r.firstBreak!.problem).toContain('signed with another key');
  });

  it('a checkpoint is signed; a changed checkpoint, or one checked with another key, cannot be used', async () => {
    const cp = makeCheckpoint(await verifyChains(w.database.db, { verifier: key }), key, w.clock.now);
    const a = cp.chains.find((c) => c.chainId === w.programA)!;
    expect(a.seq).toBe(chain(await verifyChains(w.database.db, { verifier: key }), w.programA).sealed);
    const { marks } = readCheckpoint(JSON.stringify(cp), key);
    expect(marks.get(w.programA)).toEqual({ seq: a.seq, eventId: a.eventId, hash: a.hash });
    expect(marks.get(INSTALLATION_CHAIN)?.seq).toBe(1);
    const lowered = { ...cp, chains: cp.chains.map((c) => (c.chainId === w.programA ? { ...c, seq: 1 } : c)) };
    expect(() => readCheckpoint(JSON.stringify(lowered), key)).toThrow(/signature does not match/);
    expect(() => readCheckpoint(JSON.stringify(cp), newAuditSigner())).toThrow(/signed with key/);
    expect(() => readCheckpoint('{"format":"waypoint-audit-checkpoint/1"}', key)).toThrow(/createdAt/);
  });
});

describe('tampering that recomputes the chain', () => {
  it('deleting the newest events with their seals (and moving the head back): the checkpoint reports truncation', async () => {
    const cp = makeCheckpoint(await verifyChains(w.database.db, { verifier: key }), key, w.clock.now);
    const { marks } = readCheckpoint(JSON.stringify(cp), key);
    const { before, after } = await truncate(w.programB, 3);
    // Without a checkpoint, the shortened chain is consistent from genesis to its new end.
    expect(chain(await verifyChains(w.database.db, { verifier: key }), w.programB).ok).toBe(true);
    const reports = await verifyChains(w.database.db, { verifier: key, checkpoint: marks });
    const b = chain(reports, w.programB);
    expect(b.ok).toBe(false);
    expect(b.firstBreak!.problem).toBe(`the chain ends at ${after} but the checkpoint saw ${before}: the newest events were removed`);
    expect(reports.filter((r) => r.chainId !== w.programB).every((r) => r.ok)).toBe(true);
  });

  it('deleting the newest events with their seals but leaving the head: the head reports truncation', async () => {
    const seals = await sealsOf(w.programA);
    const newest = seals.at(-1)!;
    await asTamperer(async () => {
      await q('delete from audit_seals where chain_id = $1 and seq = $2', [w.programA, newest.seq]);
      await q('delete from audit_events where id = $1', [newest.event_id]);
    });
    const a = chain(await verifyChains(w.database.db, { verifier: key }), w.programA);
    expect(a.ok).toBe(false);
    expect(a.firstBreak!.problem).toBe(`the chain ends at ${seals.length - 1} but its head row says ${seals.length}: the newest events were removed`);
    // put the chain back in a consistent state for the next test: the head follows the removal
    await asTamperer(() => q('update audit_chain_heads set seq = $2, hash = $3 where chain_id = $1', [w.programA, seals.length - 1, seals.at(-2)!.hash]));
    expect(chain(await verifyChains(w.database.db, { verifier: key }), w.programA).ok).toBe(true);
  });

  it('rewriting an event and recomputing every later hash and seal without the key: the signature check fails there', async () => {
    const seals = await sealsOf(w.programA);
    const target = 3;
    const forger = newAuditSigner(); // the attacker's own key: ours is not in the database
    await asTamperer(async () => {
      await q("update audit_events set outcome = 'denied' where id = $1", [seals[target - 1]!.event_id]);
      let prev = seals[target - 2]!.hash;
      for (const s of seals.slice(target - 1)) {
        const [event] = await w.database.db.query.auditEvents.findMany({ where: (e, { eq }) => eq(e.id, Number(s.event_id)) });
        const hash = eventHash(prev, event!);
        const link = { chainId: w.programA, seq: Number(s.seq), eventId: Number(s.event_id), prevHash: prev, hash };
        // a forged signature that claims our key's fingerprint
        await q('update audit_seals set prev_hash = $3, hash = $4, signature = $5, key_fingerprint = $6 where chain_id = $1 and seq = $2', [
          w.programA,
          s.seq,
          prev,
          hash,
          signBytes(forger, sealMessage(link)),
          key.fingerprint,
        ]);
        prev = hash;
      }
      await q('update audit_chain_heads set hash = $2 where chain_id = $1', [w.programA, prev]);
    });
    const a = chain(await verifyChains(w.database.db, { verifier: key }), w.programA);
    expect(a.ok).toBe(false);
    expect(a.firstBreak).toMatchObject({ seq: target, eventId: Number(seals[target - 1]!.event_id) });
    expect(a.firstBreak!.problem).toBe("the seal's signature does not match: the seal was rewritten without the signing key");

    // the same rewrite with the signatures removed instead is reported too
    await asTamperer(() => q('update audit_seals set signature = null, key_fingerprint = null where chain_id = $1 and seq >= $2', [w.programA, target]));
    const again = chain(await verifyChains(w.database.db, { verifier: key }), w.programA);
    expect(again.firstBreak).toMatchObject({ seq: target });
    expect(again.firstBreak!.problem).toMatch(/not signed/);
  });
});
