// Phases of a residential or therapeutic-community stay (issue 14, ADR 044): a programme's
// phase template is data — an ordered list of phases, each with the privileges it earns —
// and a stay moves one phase up (advance) or down (reduce), always with a reason. The
// default template is a four-phase therapeutic community (orientation, primary treatment,
// re-entry, aftercare), the shape most TC programmes describe.

export type Phase = {
  /** Lower-case words joined by hyphens, unique in the template. */
  code: string;
  label: { en: string; es: string };
  /** What this phase earns, in plain words (e.g. "Weekend day pass"). */
  privileges: string[];
};

export type PhaseTemplate = { name: string; phases: Phase[] };

export const PHASE_CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const MAX_PHASES = 12;
export const MAX_PRIVILEGES = 20;
export const MAX_TEXT = 200;

export const DEFAULT_TC_TEMPLATE: PhaseTemplate = {
  name: 'Therapeutic community (four phases)',
  phases: [
    {
      code: 'orientation',
      label: { en: 'Orientation', es: 'Orientación' },
      privileges: ['Supervised phone call, 10 minutes a week', 'Visitors on site on Sunday afternoon'],
    },
    {
      code: 'primary',
      label: { en: 'Primary treatment', es: 'Tratamiento primario' },
      privileges: ['Phone time, 20 minutes a day', 'Visitors on site at weekends', 'Accompanied outing once a week'],
    },
    {
      code: 're-entry',
      label: { en: 'Re-entry', es: 'Reinserción' },
      privileges: ['Own phone in the evening', 'Weekend day pass', 'Job search or school during the day'],
    },
    {
      code: 'aftercare',
      label: { en: 'Aftercare', es: 'Seguimiento' },
      privileges: ['Own phone', 'Overnight weekend pass', 'Work or school', 'Outpatient groups in the community'],
    },
  ],
};

export type TemplateProblem = { field: string; message: string };

/** What is wrong with a template (field paths relative to it), empty when it is usable. */
export function templateProblems(t: PhaseTemplate): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  if (t.name.trim() === '') out.push({ field: 'name', message: 'is required' });
  if (t.name.length > MAX_TEXT) out.push({ field: 'name', message: `is longer than ${MAX_TEXT} characters` });
  if (t.phases.length === 0) out.push({ field: 'phases', message: 'needs at least one phase' });
  if (t.phases.length > MAX_PHASES) out.push({ field: 'phases', message: `has more than ${MAX_PHASES} phases` });
  const seen = new Set<string>();
  t.phases.forEach((p, i) => {
    if (!PHASE_CODE.test(p.code)) out.push({ field: `phases[${i}].code`, message: 'must be lower-case words joined by hyphens' });
    else if (seen.has(p.code)) out.push({ field: `phases[${i}].code`, message: `repeats "${p.code}"` });
    seen.add(p.code);
    for (const lang of ['en', 'es'] as const) {
      if (p.label[lang].trim() === '') out.push({ field: `phases[${i}].label.${lang}`, message: 'is required' });
      if (p.label[lang].length > MAX_TEXT) out.push({ field: `phases[${i}].label.${lang}`, message: `is longer than ${MAX_TEXT} characters` });
    }
    if (p.privileges.length > MAX_PRIVILEGES) out.push({ field: `phases[${i}].privileges`, message: `has more than ${MAX_PRIVILEGES} privileges` });
    p.privileges.forEach((x, j) => {
      if (x.trim() === '' || x.length > MAX_TEXT) out.push({ field: `phases[${i}].privileges[${j}]`, message: `must be 1–${MAX_TEXT} characters` });
    });
  });
  return out;
}

export type PhaseDirection = 'advance' | 'reduce';

/**
 * The phase a stay moves to from phase `index` of a template with `count` phases: one up or
 * one down, or null when there is none (advancing from the last phase, reducing from the first).
 */
export function nextPhaseIndex(count: number, index: number, direction: PhaseDirection): number | null {
  const to = direction === 'advance' ? index + 1 : index - 1;
  return to >= 0 && to < count ? to : null;
}
