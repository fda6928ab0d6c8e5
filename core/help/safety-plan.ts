// The personal safety plan (Stanley & Brown's Safety Planning Intervention): six parts the
// patient and their counsellor fill in together. Pure rules: the parts and their limits,
// the field problems of a plan (each naming the field, with the limit), tidying a plan for
// storage, and the version check that stops one edit from silently overwriting another.
// docs/help-now.md; ADR 037.

/** The six parts, in the order the plan is worked through. */
export const SAFETY_PLAN_SECTIONS = ['warningSigns', 'copingStrategies', 'distractions', 'helpers', 'professionals', 'safeEnvironment'] as const;
export type SafetyPlanSection = (typeof SAFETY_PLAN_SECTIONS)[number];

/** Parts that are lists of short texts. */
export const TEXT_SECTIONS = ['warningSigns', 'copingStrategies', 'distractions', 'safeEnvironment'] as const satisfies readonly SafetyPlanSection[];
/** Parts that are lists of people (or services) with a phone number. */
export const CONTACT_SECTIONS = ['helpers', 'professionals'] as const satisfies readonly SafetyPlanSection[];

export type SafetyPlanContact = { name: string; phone: string };
export type SafetyPlanContent = {
  warningSigns: string[];
  copingStrategies: string[];
  distractions: string[];
  helpers: SafetyPlanContact[];
  professionals: SafetyPlanContact[];
  safeEnvironment: string[];
};

export const SAFETY_PLAN_LIMITS = {
  /** Lines in one part. */
  items: 12,
  /** Characters in one line. */
  text: 280,
  /** Characters in a name. */
  name: 80,
  /** Characters in a phone number as typed. */
  phone: 30,
} as const;

export const EMPTY_SAFETY_PLAN: SafetyPlanContent = { warningSigns: [], copingStrategies: [], distractions: [], helpers: [], professionals: [], safeEnvironment: [] };

/** `kind` lets a screen say it in the reader's language; `message` is the API's English. */
export type FieldProblem = { field: string; kind: 'too-many' | 'too-long' | 'missing' | 'phone'; message: string; limit?: number };

/** A phone number as people type it: digits with spaces, dashes, dots, brackets and a leading +; 3 to 15 digits. */
export function isPhoneLike(s: string): boolean {
  if (!/^\+?[0-9()\-. ]+$/.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 3 && digits <= 15;
}

/** Trims every text and drops empty lines and empty contacts (a row left blank in a form). */
export function tidySafetyPlan(plan: SafetyPlanContent): SafetyPlanContent {
  const texts = (xs: readonly string[]) => xs.map((x) => x.trim()).filter((x) => x.length > 0);
  const contacts = (xs: readonly SafetyPlanContact[]) => xs.map((c) => ({ name: c.name.trim(), phone: c.phone.trim() })).filter((c) => c.name.length > 0 || c.phone.length > 0);
  return {
    warningSigns: texts(plan.warningSigns),
    copingStrategies: texts(plan.copingStrategies),
    distractions: texts(plan.distractions),
    helpers: contacts(plan.helpers),
    professionals: contacts(plan.professionals),
    safeEnvironment: texts(plan.safeEnvironment),
  };
}

/**
 * What is wrong with a (tidied) plan, each problem naming its field relative to the plan
 * (`helpers.0.phone`). Empty means it may be saved. A person to call needs a name and a
 * phone number that looks like one.
 */
export function safetyPlanProblems(plan: SafetyPlanContent): FieldProblem[] {
  const L = SAFETY_PLAN_LIMITS;
  const out: FieldProblem[] = [];
  for (const section of SAFETY_PLAN_SECTIONS) {
    const list = plan[section] as readonly unknown[];
    if (list.length > L.items) out.push({ field: section, kind: 'too-many', message: `has more than ${L.items} lines`, limit: L.items });
  }
  for (const section of TEXT_SECTIONS) {
    plan[section].forEach((text, i) => {
      if (text.length > L.text) out.push({ field: `${section}.${i}`, kind: 'too-long', message: `is longer than ${L.text} characters`, limit: L.text });
    });
  }
  for (const section of CONTACT_SECTIONS) {
    plan[section].forEach((c, i) => {
      if (c.name.length === 0) out.push({ field: `${section}.${i}.name`, kind: 'missing', message: 'is missing' });
      else if (c.name.length > L.name) out.push({ field: `${section}.${i}.name`, kind: 'too-long', message: `is longer than ${L.name} characters`, limit: L.name });
      if (c.phone.length === 0) out.push({ field: `${section}.${i}.phone`, kind: 'missing', message: 'is missing' });
      else if (c.phone.length > L.phone || !isPhoneLike(c.phone)) out.push({ field: `${section}.${i}.phone`, kind: 'phone', message: 'is not a phone number' });
    });
  }
  return out;
}

/**
 * Optimistic concurrency: a save names the version it was made from. It is accepted only
 * when that is the current version (0 when there is no plan yet), and then becomes
 * current + 1. Anything else is stale: someone else saved in between, and their change
 * must not be lost.
 */
export function nextVersion(current: number, basedOn: number): { ok: true; version: number } | { ok: false; current: number } {
  return basedOn === current ? { ok: true, version: current + 1 } : { ok: false, current };
}

/** The 988 Suicide & Crisis Lifeline, listed first among professionals and agencies on every plan. */
export const CRISIS_LINE = { name: '988 Suicide & Crisis Lifeline', phone: '988' } as const;

/** The professionals and agencies as shown: 988 first, always, and once (a typed 988 is not repeated). */
export function professionalsWithCrisisLine(list: readonly SafetyPlanContact[]): SafetyPlanContact[] {
  return [{ ...CRISIS_LINE }, ...list.filter((c) => c.phone.replace(/\D/g, '') !== '988')];
}

/** Which parts changed between two versions (names only, never the words). */
export function changedSections(before: SafetyPlanContent | null, after: SafetyPlanContent): SafetyPlanSection[] {
  return SAFETY_PLAN_SECTIONS.filter((s) => JSON.stringify(before?.[s] ?? []) !== JSON.stringify(after[s]));
}

/**
 * After a refused (stale) save: the other person's newer plan with this person's own edits
 * put back on top, so neither is lost and nothing is overwritten silently. Per part, a
 * three-way merge of lines against the version the edit began from (`base`): lines this
 * person added are appended (unless already there), lines they removed are removed, and
 * everything the other person added stays. The result is shown to be checked and saved
 * again; it is never saved by itself.
 */
export function mergeSafetyPlan(base: SafetyPlanContent, mine: SafetyPlanContent, theirs: SafetyPlanContent): SafetyPlanContent {
  const key = (x: unknown) => JSON.stringify(x);
  const merge = <T>(b: readonly T[], m: readonly T[], t: readonly T[]): T[] => {
    const inBase = new Set(b.map(key));
    const inMine = new Set(m.map(key));
    const removed = new Set([...inBase].filter((k) => !inMine.has(k)));
    const out = t.filter((x) => !removed.has(key(x)));
    const have = new Set(out.map(key));
    for (const x of m) {
      if (inBase.has(key(x)) || have.has(key(x))) continue;
      out.push(x);
      have.add(key(x));
    }
    return out;
  };
  return {
    warningSigns: merge(base.warningSigns, mine.warningSigns, theirs.warningSigns),
    copingStrategies: merge(base.copingStrategies, mine.copingStrategies, theirs.copingStrategies),
    distractions: merge(base.distractions, mine.distractions, theirs.distractions),
    helpers: merge(base.helpers, mine.helpers, theirs.helpers),
    professionals: merge(base.professionals, mine.professionals, theirs.professionals),
    safeEnvironment: merge(base.safeEnvironment, mine.safeEnvironment, theirs.safeEnvironment),
  };
}
