// A CM protocol (CM-SPEC §1–§3, §6) as a zod 4 schema, plus the cross-field rules
// zod cannot see. parseProtocol reports EVERY problem with its JSON path.
import { z } from 'zod';
import { ANALYTES, isAnalyte } from './analytes.ts';

const analyte = z.enum(ANALYTES, {
  error: (iss) => `unknown analyte ${JSON.stringify(iss.input)} (known: ${ANALYTES.join(', ')})`,
});
const analyteList = z.array(analyte).min(1, { error: 'must list at least one analyte' });
const cents = z.number().int({ error: 'must be an integer number of cents' }).min(0, { error: 'must be ≥ 0' });
const nonNegInt = z.number().int({ error: 'must be an integer' }).min(0, { error: 'must be ≥ 0' });
const posInt = z.number().int({ error: 'must be an integer' }).min(1, { error: 'must be ≥ 1' });
const optNonNegInt = nonNegInt.nullable().optional();
const policy = z.enum(['failure', 'excused'], { error: 'must be "failure" or "excused"' });

export const EscalationSchema = z.strictObject({
  start: nonNegInt.optional(),
  step: optNonNegInt,
  stepEvery: optNonNegInt,
  max: optNonNegInt,
  bonusEvery: optNonNegInt,
  bonus: optNonNegInt,
  resetTo: z.literal('start', { error: 'must be "start" (the only value in this version)' }).nullable().optional(),
  recoverAfter: optNonNegInt,
});

export const PhaseSchema = z.strictObject({
  fromWeek: posInt,
  toWeek: posInt,
  escalation: EscalationSchema,
});

const NegativeTarget = z.strictObject({ kind: z.literal('negative'), analytes: analyteList });
const AttendanceTarget = z.strictObject({ kind: z.literal('attendance') });
const AdherenceTarget = z.strictObject({
  kind: z.literal('adherence'),
  source: z.enum(['dose', 'specimen'], { error: 'must be "dose" or "specimen"' }).optional(),
  analytes: analyteList.optional(),
});
const ModuleTarget = z.strictObject({ kind: z.literal('module') });

export const TargetSchema = z.discriminatedUnion('kind', [NegativeTarget, AttendanceTarget, AdherenceTarget, ModuleTarget], {
  error: 'target kind must be "negative", "attendance", "adherence" or "module"',
});

export const BonusTargetSchema = z.strictObject({
  target: NegativeTarget,
  extra: nonNegInt,
});

export const TrackSchema = z.strictObject({
  id: z.string().min(1, { error: 'must be a non-empty string' }),
  name: z.string().optional(),
  description: z.string().optional(),
  target: TargetSchema,
  payout: z.enum(['cents', 'draws', 'privilege'], { error: 'must be "cents", "draws" or "privilege"' }),
  levels: z.array(z.string().min(1, { error: 'must be a non-empty label' })).optional(),
  phases: z.array(PhaseSchema).min(1, { error: 'must have at least one phase' }),
  bonusTargets: z.array(BonusTargetSchema).optional(),
  missed: policy.optional(),
  invalid: policy.optional(),
});

export const SlipSchema = z.strictObject({
  tier: z.string().min(1, { error: 'must be a non-empty string' }),
  label: z.string().optional(),
  count: posInt,
  valueCents: cents,
});

export const BowlSchema = z.strictObject({
  slips: z.array(SlipSchema).min(1, { error: 'a bowl needs at least one slip' }),
});

export const CapsSchema = z.strictObject({
  fundingSource: z.string().nullable().optional(),
  noCash: z.boolean().nullable().optional(),
  perItemCents: cents.nullable().optional(),
  totalCents: cents.nullable().optional(),
  perMonthCents: cents.nullable().optional(),
  perYearCents: cents.nullable().optional(),
});

const windowDays = z.number().min(0, { error: 'must be ≥ 0 days' }).refine(Number.isFinite, { error: 'must be finite' }).nullable();

export const ProtocolSchema = z.strictObject({
  id: z.string().min(1, { error: 'must be a non-empty string' }),
  version: z.union([posInt, z.string().min(1)], { error: 'must be a positive integer or a non-empty string' }),
  name: z.string().min(1, { error: 'must be a non-empty string' }),
  citation: z.string(),
  description: z.string().optional(),
  weeks: posInt.optional(),
  bowl: BowlSchema.optional(),
  caps: CapsSchema.nullable().optional(),
  carryOverWindows: z.partialRecord(analyte, windowDays).optional(),
  clawback: z.boolean().optional(),
  tracks: z.array(TrackSchema).min(1, { error: 'a protocol needs at least one track' }),
});

export type Protocol = z.infer<typeof ProtocolSchema>;
export type Track = Protocol['tracks'][number];
export type Target = Track['target'];
export type Phase = Track['phases'][number];
export type Escalation = Phase['escalation'];
export type BonusTarget = NonNullable<Track['bonusTargets']>[number];

export interface Problem {
  /** JSON path, e.g. "tracks[0].phases[1].escalation.start" ("" for the whole document). */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; protocol: Protocol } | { ok: false; problems: Problem[] };

/** Formats a path as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else {
      const key = String(k);
      out += /^[A-Za-z_$][\w$]*$/.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

function zodProblems(error: z.ZodError): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ path: formatPath([...issue.path, k]), message: 'unknown field' });
    } else if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      out.push({ path: formatPath(issue.path), message: 'is required' });
    } else if (issue.code === 'invalid_type' && issue.expected === 'int') {
      out.push({ path: formatPath(issue.path), message: 'must be an integer' });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Rules across fields, checked on the raw document wherever its parts have the right shape. */
function crossFieldProblems(raw: unknown): Problem[] {
  const out: Problem[] = [];
  if (!isObj(raw)) return out;
  const hasBowl = isObj(raw.bowl);
  if (hasBowl && Array.isArray((raw.bowl as Obj).slips)) {
    const slips = (raw.bowl as Obj).slips as unknown[];
    const seen = new Map<string, number>();
    let total = 0;
    slips.forEach((s, i) => {
      if (!isObj(s)) return;
      if (typeof s.tier === 'string') {
        const prev = seen.get(s.tier);
        if (prev !== undefined) out.push({ path: `bowl.slips[${i}].tier`, message: `duplicate tier "${s.tier}" (also bowl.slips[${prev}])` });
        else seen.set(s.tier, i);
      }
      if (isInt(s.count) && s.count > 0) total += s.count;
    });
    if (total > 2 ** 48) out.push({ path: 'bowl.slips', message: 'a bowl may hold at most 2^48 slips' });
  }
  if (!Array.isArray(raw.tracks)) return out;
  const ids = new Map<string, number>();
  raw.tracks.forEach((t, i) => {
    if (!isObj(t)) return;
    const at = `tracks[${i}]`;
    if (typeof t.id === 'string') {
      const prev = ids.get(t.id);
      if (prev !== undefined) out.push({ path: `${at}.id`, message: `duplicate track id "${t.id}" (also tracks[${prev}])` });
      else ids.set(t.id, i);
    }
    const payout = t.payout;
    const target = isObj(t.target) ? t.target : undefined;
    // privilege ↔ levels
    if (payout === 'privilege') {
      if (!Array.isArray(t.levels) || t.levels.length === 0) out.push({ path: `${at}.levels`, message: 'a privilege track needs a non-empty list of levels' });
    } else if (t.levels !== undefined && (payout === 'cents' || payout === 'draws')) {
      out.push({ path: `${at}.levels`, message: 'levels are only for privilege tracks' });
    }
    if (payout === 'draws' && !hasBowl) out.push({ path: `${at}.payout`, message: 'a draws track needs the protocol to have a bowl' });
    // adherence source ↔ analytes
    if (target && target.kind === 'adherence') {
      const source = target.source ?? 'dose';
      if (source === 'specimen' && target.analytes === undefined) out.push({ path: `${at}.target.analytes`, message: 'adherence from specimens must list its analytes' });
      if (source === 'dose' && target.analytes !== undefined) out.push({ path: `${at}.target.analytes`, message: 'analytes are only read when source is "specimen"' });
    }
    if (target && (target.kind === 'negative' || (target.kind === 'adherence' && target.source === 'specimen')) && Array.isArray(target.analytes)) {
      dupAnalytes(target.analytes, `${at}.target.analytes`, out);
    }
    // bonus targets only on specimen-reading tracks
    const readsSpecimens = target !== undefined && (target.kind === 'negative' || (target.kind === 'adherence' && target.source === 'specimen'));
    if (Array.isArray(t.bonusTargets)) {
      if (t.bonusTargets.length > 0 && target !== undefined && !readsSpecimens) {
        out.push({ path: `${at}.bonusTargets`, message: 'bonus targets apply only to tracks that read specimens (negative, or adherence with source "specimen")' });
      }
      t.bonusTargets.forEach((b, j) => {
        if (isObj(b) && isObj(b.target) && Array.isArray(b.target.analytes)) dupAnalytes(b.target.analytes, `${at}.bonusTargets[${j}].target.analytes`, out);
      });
    }
    // phases
    if (Array.isArray(t.phases)) {
      t.phases.forEach((p, j) => {
        if (!isObj(p)) return;
        const pat = `${at}.phases[${j}]`;
        if (isInt(p.fromWeek) && isInt(p.toWeek) && p.fromWeek > p.toWeek) {
          out.push({ path: `${pat}.toWeek`, message: `toWeek (${p.toWeek}) must be ≥ fromWeek (${p.fromWeek})` });
        }
        const e = isObj(p.escalation) ? p.escalation : undefined;
        if (e && (payout === 'cents' || payout === 'draws') && e.start === undefined) {
          out.push({ path: `${pat}.escalation.start`, message: `start is required on a ${payout} track` });
        }
      });
    }
  });
  return out;
}

function dupAnalytes(list: unknown[], path: string, out: Problem[]): void {
  const seen = new Set<string>();
  list.forEach((a, k) => {
    if (!isAnalyte(a)) return;
    if (seen.has(a)) out.push({ path: `${path}[${k}]`, message: `duplicate analyte "${a}"` });
    seen.add(a);
  });
}

/** Validates a protocol document; on failure returns every problem (schema problems first, then cross-field rules). */
export function parseProtocol(json: unknown): ParseResult {
  const parsed = ProtocolSchema.safeParse(json);
  const problems = parsed.success ? [] : zodProblems(parsed.error);
  problems.push(...crossFieldProblems(json));
  if (problems.length === 0 && parsed.success) return { ok: true, protocol: parsed.data };
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ok: false, problems: unique };
}
