import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayAddAddendum, mayCosign, mayEdit, maySign, noteState, type NoteFacts } from './lifecycle.ts';
import { MAX_SECTION_CHARS, sectionProblems, TEMPLATE_SECTIONS, TEMPLATES, templatesFor, tidySections } from './templates.ts';

const users = ['u1', 'u2', 'u3'];
const facts: fc.Arbitrary<NoteFacts> = fc
  .record({
    status: fc.constantFrom('draft' as const, 'signed' as const),
    authorId: fc.constantFrom(...users),
    version: fc.integer({ min: 1, max: 5 }),
    cosignerId: fc.option(fc.constantFrom(...users), { nil: null }),
    cosignedBy: fc.option(fc.constantFrom(...users), { nil: null }),
  })
  // a draft has no co-signature; a co-signature is by the named co-signer
  .map((n) => (n.status === 'draft' ? { ...n, cosignerId: null, cosignedBy: null } : { ...n, cosignedBy: n.cosignerId === null ? null : n.cosignedBy === null ? null : n.cosignerId }));

describe('templates', () => {
  it('every template has sections with a key, labels and a prompt in both languages, keys unique', () => {
    for (const t of TEMPLATES) {
      const keys = TEMPLATE_SECTIONS[t].map((x) => x.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const sec of TEMPLATE_SECTIONS[t]) for (const v of [sec.label.en, sec.label.es, sec.prompt.en, sec.prompt.es]) expect(v.length).toBeGreaterThan(0);
    }
  });

  it('a group visit has a shared part and member parts; an individual visit has DAP, SOAP or BIRP for a patient', () => {
    expect(templatesFor({ group: true, shared: true })).toEqual(['group']);
    expect(templatesFor({ group: true, shared: false })).toEqual(['group-member']);
    expect(templatesFor({ group: false, shared: false })).toEqual(['dap', 'soap', 'birp']);
    expect(templatesFor({ group: false, shared: true })).toEqual([]);
  });

  it('tidying keeps exactly the template’s sections, trimmed, and is idempotent; a tidy note has only known sections', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATES), fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 })), (t, raw) => {
        const once = tidySections(t, raw);
        expect(Object.keys(once)).toEqual(TEMPLATE_SECTIONS[t].map((x) => x.key));
        expect(tidySections(t, once)).toEqual(once);
        expect(sectionProblems(t, once, { signing: false })).toEqual([]);
        for (const p of sectionProblems(t, raw, { signing: false })) expect(Object.keys(raw)).toContain(p.field);
      }),
    );
  });

  it('signing needs every section written; a draft may be empty; a section may not be too long', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATES), fc.nat({ max: 5 }), (t, which) => {
        const keys = TEMPLATE_SECTIONS[t].map((x) => x.key);
        const full = Object.fromEntries(keys.map((k) => [k, 'written']));
        expect(sectionProblems(t, full, { signing: true })).toEqual([]);
        const gap = keys[which % keys.length]!;
        expect(sectionProblems(t, { ...full, [gap]: '   ' }, { signing: true }).map((p) => p.field)).toEqual([gap]);
        expect(sectionProblems(t, {}, { signing: false })).toEqual([]);
        expect(sectionProblems(t, { ...full, [gap]: 'x'.repeat(MAX_SECTION_CHARS + 1) }, { signing: false }).map((p) => p.field)).toEqual([gap]);
      }),
    );
  });
});

describe('the lifecycle', () => {
  it('a signed note is never edited or signed again, by anyone, from any version', () => {
    fc.assert(
      fc.property(facts, fc.constantFrom(...users), fc.integer({ min: 0, max: 6 }), (n, u, v) => {
        if (n.status !== 'signed') return;
        expect(mayEdit(n, u, v)).toEqual({ ok: false, code: 'signed' });
        expect(maySign(n, u, v, null).ok).toBe(false);
      }),
    );
  });

  it('only the author edits a draft, and only from its current version', () => {
    fc.assert(
      fc.property(facts, fc.constantFrom(...users), fc.integer({ min: 0, max: 6 }), (n, u, v) => {
        if (n.status !== 'draft') return;
        expect(mayEdit(n, u, v).ok).toBe(u === n.authorId && v === n.version);
      }),
    );
  });

  it('a co-signer is someone else, and only they co-sign, once, a signed note that asked for it', () => {
    fc.assert(
      fc.property(facts, fc.constantFrom(...users), (n, u) => {
        expect(maySign({ ...n, status: 'draft', cosignerId: null, cosignedBy: null }, n.authorId, n.version, n.authorId)).toEqual({ ok: false, code: 'own_note' });
        const ok = mayCosign(n, u).ok;
        expect(ok).toBe(n.status === 'signed' && n.cosignerId === u && n.cosignedBy === null);
        if (ok) expect(noteState(n)).toBe('awaiting-cosignature');
        if (ok) expect(mayCosign({ ...n, cosignedBy: u }, u)).toEqual({ ok: false, code: 'already_cosigned' });
      }),
    );
  });

  it('addenda only after signing; the state follows the facts', () => {
    fc.assert(
      fc.property(facts, (n) => {
        expect(mayAddAddendum(n).ok).toBe(n.status === 'signed');
        const st = noteState(n);
        if (n.status === 'draft') expect(st).toBe('draft');
        else if (n.cosignerId === null) expect(st).toBe('signed');
        else expect(st).toBe(n.cosignedBy ? 'cosigned' : 'awaiting-cosignature');
      }),
    );
  });
});
