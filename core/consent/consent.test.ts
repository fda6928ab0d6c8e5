// The consent rules (issue 16): what a consent must say (§2.31), when it is in effect, and the
// decision before every disclosure — as properties over any consents and any requests.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { covers, DATA_CLASSES, decide, PURPOSES, statusAt, termsProblems, TPO_PURPOSES, type ConsentState, type ConsentTerms, type DataClass, type Purpose, type Recipient } from './consent.ts';
import { consentText, DATA_CLASS_LABELS, PURPOSE_LABELS, TEMPLATES, templateProblems } from './templates.ts';
import { fleschKincaidGrade } from '../readability.ts';

const familyIds = ['f1', 'f2'];
const recipient: fc.Arbitrary<Recipient> = fc.oneof(
  fc.constantFrom(...familyIds).map((id) => ({ kind: 'family-member' as const, familyMemberId: id, name: `Name ${id}` })),
  fc.constantFrom('Riverside Clinic', ' riverside  clinic ', 'County ED').map((name) => ({ kind: 'organization' as const, name })),
  fc.constantFrom('Dr. Example').map((name) => ({ kind: 'individual' as const, name })),
  fc.constant({ kind: 'tpo-designation' as const }),
);
const subset = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
const terms: fc.Arbitrary<ConsentTerms> = fc.record({
  discloser: fc.constant('Harbor Program (fictional)'),
  recipient,
  purposes: subset(PURPOSES),
  dataClasses: subset(DATA_CLASSES.filter((d) => d !== 'counselling-notes')),
  dataDescription: fc.constant('What is checked.'),
  expiry: fc.constant({ kind: 'end-of-treatment' as const }),
  language: fc.constantFrom('en' as const, 'es' as const),
});
const request = fc.record({ recipient, purpose: fc.constantFrom(...PURPOSES), dataClasses: subset(DATA_CLASSES) });

describe('decide', () => {
  it('allows a disclosure only when one consent covers recipient, purpose and every kind of information', () => {
    fc.assert(
      fc.property(fc.array(terms, { maxLength: 5 }), request, (consents, req) => {
        const withIds = consents.map((c, i) => ({ ...c, id: `c${i}`, signedAt: new Date(2026, 0, i + 1) }));
        const d = decide(withIds, req);
        const anyCovers = withIds.some((c) => covers(c, req).ok);
        expect(d.ok).toBe(anyCovers);
        if (d.ok) {
          // the consent chosen names the purpose and every class asked for
          expect(d.consent.purposes).toContain(req.purpose);
          for (const dc of req.dataClasses) expect(d.consent.dataClasses).toContain(dc);
          // and a family member is never covered by someone else's consent or the TPO designation
          if (req.recipient.kind === 'family-member') expect(d.consent.recipient).toEqual(expect.objectContaining({ familyMemberId: req.recipient.familyMemberId }));
        }
      }),
    );
  });

  it('never allows with no consents, and asking for less never turns an allowed disclosure into a refusal', () => {
    fc.assert(
      fc.property(fc.array(terms, { maxLength: 4 }), request, fc.nat(), (consents, req, k) => {
        const withIds = consents.map((c, i) => ({ ...c, id: `c${i}`, signedAt: new Date(2026, 0, i + 1) }));
        expect(decide([], req).ok).toBe(false);
        const fewer = { ...req, dataClasses: req.dataClasses.slice(0, 1 + (k % req.dataClasses.length)) };
        if (decide(withIds, req).ok) expect(decide(withIds, fewer).ok).toBe(true);
      }),
    );
  });

  it('the TPO designation covers a named organisation for treatment, payment and operations only', () => {
    const tpo: ConsentTerms = {
      discloser: 'P',
      recipient: { kind: 'tpo-designation' },
      purposes: [...TPO_PURPOSES],
      dataClasses: ['medication'],
      dataDescription: 'x',
      expiry: { kind: 'none' },
      language: 'en',
    };
    const org: Recipient = { kind: 'organization', name: 'Any Clinic' };
    expect(covers(tpo, { recipient: org, purpose: 'treatment', dataClasses: ['medication'] }).ok).toBe(true);
    expect(covers(tpo, { recipient: { kind: 'family-member', familyMemberId: 'f1', name: 'x' }, purpose: 'treatment', dataClasses: ['medication'] })).toEqual({ ok: false, reason: 'recipient' });
    expect(covers(tpo, { recipient: { kind: 'individual', name: 'Someone' }, purpose: 'treatment', dataClasses: ['medication'] })).toEqual({ ok: false, reason: 'recipient' });
    expect(covers(tpo, { recipient: org, purpose: 'family-support', dataClasses: ['medication'] })).toEqual({ ok: false, reason: 'purpose' });
    expect(covers(tpo, { recipient: org, purpose: 'treatment', dataClasses: ['screens'] })).toEqual({ ok: false, reason: 'data' });
  });
});

describe('statusAt', () => {
  const base: ConsentState = {
    discloser: 'P',
    recipient: { kind: 'organization', name: 'X' },
    purposes: ['treatment'],
    dataClasses: ['medication'],
    dataDescription: 'x',
    expiry: { kind: 'end-of-treatment' },
    language: 'en',
    signedAt: new Date('2026-01-01T00:00:00Z'),
    revokedAt: null,
    supersededAt: null,
    endedAt: null,
  };
  const t = (iso: string) => new Date(iso);
  it('is in effect only when signed and not revoked, replaced, ended or past its expiry', () => {
    expect(statusAt(base, t('2026-02-01T00:00:00Z'), null)).toBe('active');
    expect(statusAt({ ...base, signedAt: null }, t('2026-02-01T00:00:00Z'), null)).toBe('awaiting-signature');
    expect(statusAt({ ...base, revokedAt: t('2026-01-15T00:00:00Z') }, t('2026-02-01T00:00:00Z'), null)).toBe('revoked');
    expect(statusAt({ ...base, revokedAt: t('2026-03-01T00:00:00Z') }, t('2026-02-01T00:00:00Z'), null)).toBe('active');
    expect(statusAt({ ...base, supersededAt: t('2026-01-15T00:00:00Z') }, t('2026-02-01T00:00:00Z'), null)).toBe('superseded');
    expect(statusAt({ ...base, endedAt: t('2026-01-15T00:00:00Z') }, t('2026-02-01T00:00:00Z'), null)).toBe('expired');
    expect(statusAt(base, t('2026-02-01T00:00:00Z'), t('2026-02-01T00:00:00Z'))).toBe('expired');
    expect(statusAt(base, t('2026-01-31T23:59:59Z'), t('2026-02-01T00:00:00Z'))).toBe('active');
  });
});

describe('termsProblems (§2.31)', () => {
  const ok: ConsentTerms = {
    discloser: 'Harbor',
    recipient: { kind: 'family-member', familyMemberId: 'f1', name: 'Sam' },
    purposes: ['family-support'],
    dataClasses: ['appointments'],
    dataDescription: 'Next visit.',
    expiry: { kind: 'date', on: '2026-12-31' },
    language: 'en',
  };
  const fields = (t: ConsentTerms) => termsProblems(t, '2026-03-04').map((p) => p.field);
  it('accepts a complete consent and names each missing or wrong element', () => {
    expect(fields(ok)).toEqual([]);
    expect(fields({ ...ok, discloser: ' ' })).toEqual(['discloser']);
    expect(fields({ ...ok, purposes: [] })).toEqual(['purposes']);
    expect(fields({ ...ok, dataClasses: [] })).toEqual(['dataClasses']);
    expect(fields({ ...ok, dataDescription: '' })).toEqual(['dataDescription']);
    expect(fields({ ...ok, dataClasses: ['appointments', 'counselling-notes'] })).toEqual(['dataClasses']);
    expect(fields({ ...ok, expiry: { kind: 'none' } })).toEqual(['expiry']);
    expect(fields({ ...ok, expiry: { kind: 'date', on: '2026-03-03' } })).toEqual(['expiry.on']);
    expect(fields({ ...ok, expiry: { kind: 'condition', text: ' ' } })).toEqual(['expiry.text']);
    expect(fields({ ...ok, recipient: { kind: 'organization', name: '' }, purposes: ['care-coordination'] })).toEqual(['recipient.name']);
    expect(fields({ ...ok, recipient: { kind: 'tpo-designation' }, purposes: ['family-support'], expiry: { kind: 'none' } })).toEqual(['purposes']);
    expect(fields({ ...ok, purposes: ['payment'] })).toEqual(['purposes']);
  });
  it('counselling notes only alone, and never under the TPO designation', () => {
    expect(fields({ ...ok, recipient: { kind: 'individual', name: 'Dr. X' }, purposes: ['treatment'], dataClasses: ['counselling-notes'] })).toEqual([]);
    expect(fields({ ...ok, recipient: { kind: 'tpo-designation' }, purposes: ['treatment'], dataClasses: ['counselling-notes'], expiry: { kind: 'none' } })).toEqual(['dataClasses']);
  });
});

describe('templates and words', () => {
  it('every template file is complete in English and Spanish', () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(4);
    expect(TEMPLATES.flatMap(templateProblems)).toEqual([]);
  });
  it('every purpose and kind of information has both languages, different from each other', () => {
    for (const l of [...Object.values(DATA_CLASS_LABELS), ...Object.values(PURPOSE_LABELS)]) {
      expect(l.en.trim()).not.toBe('');
      expect(l.es.trim()).not.toBe('');
      expect(l.es).not.toBe(l.en);
    }
  });
  it('the consent a patient reads has every §2.31 element, in plain English (grade ≤ 8)', () => {
    for (const t of TEMPLATES) {
      const text = consentText({
        template: t.key,
        patientName: 'Alex Example',
        discloser: 'Harbor Program',
        recipient:
          t.recipientKinds[0] === 'family-member'
            ? { kind: 'family-member', familyMemberId: 'f', name: 'Sam' }
            : t.recipientKinds[0] === 'tpo-designation'
              ? { kind: 'tpo-designation' }
              : { kind: 'organization', name: 'Riverside Clinic' },
        purposes: t.purposes as Purpose[],
        dataClasses: t.dataClasses as DataClass[],
        dataDescription: t.dataDescription.en,
        expiry: t.expiryKind === 'date' ? { kind: 'date', on: '2026-12-31' } : t.expiryKind === 'condition' ? { kind: 'condition', text: 'x' } : { kind: t.expiryKind },
        language: 'en',
        signedOn: null,
        signerName: null,
        signerRole: null,
      });
      expect(text.filter((s) => s.heading).map((s) => s.heading)).toEqual([
        'Patient',
        'Who may share',
        'What may be shared',
        'Who may get it',
        'Why',
        'Taking it back',
        'When it ends',
        'My choice',
        'Signature',
      ]);
      const prose = text
        .slice(5, 8)
        .map((s) => s.body)
        .join(' ');
      expect(fleschKincaidGrade(prose)).toBeLessThanOrEqual(8);
    }
  });
});
