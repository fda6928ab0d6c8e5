// Fictional patient vignettes with the recommendations and cautions a clinician would expect
// from the seeds' guidance. `top` is the expected start of the ranked list, in order.
import { describe, expect, it } from 'vitest';
import { parseContext, recommend, type CautionCode, type InterventionCode, type PatientContext } from './index.ts';

interface Vignette {
  name: string;
  context: PatientContext;
  top: InterventionCode[];
  includes?: InterventionCode[];
  excludes?: InterventionCode[];
  cautions: CautionCode[];
  patientTextIncludes?: Partial<Record<InterventionCode, string>>;
  clinicianTextIncludes?: Partial<Record<InterventionCode, string>>;
}

const VIGNETTES: Vignette[] = [
  {
    name: '1. On methadone, still using opioids, not yet considering change; clinic offers CM',
    context: { stage: 'precontemplation', moud: 'methadone', substances: ['opioids'], cmAvailable: true },
    top: ['naloxone', 'motivational-interviewing', 'contingency-management', 'addiction-counseling'],
    excludes: ['moud-evaluation', 'cbt'],
    cautions: [],
    clinicianTextIncludes: { 'contingency-management': '10,444' },
  },
  {
    name: '2. Thinking about change, no medication, using opioids; CM offered',
    context: { stage: 'contemplation', moud: 'none', substances: ['opioids'], cmAvailable: true },
    top: ['moud-evaluation', 'naloxone', 'motivational-interviewing', 'contingency-management'],
    cautions: ['opioid-abstinence-cm-overdose-risk'],
  },
  {
    name: '3. On buprenorphine, making changes, goes to NA and feels judged for medication',
    context: { stage: 'action', moud: 'buprenorphine', substances: [], mutualHelp: { attends: ['NA'], stigmaReported: true } },
    top: ['cbt', 'wraparound-services', 'mutual-help-moud-friendly', 'community-reinforcement', 'peer-support'],
    excludes: ['twelve-step-facilitation', 'moud-evaluation'],
    cautions: ['moud-stigma-in-groups'],
  },
  {
    name: '4. Stable on methadone for years, maintaining change',
    context: { stage: 'maintenance', moud: 'methadone', substances: [] },
    top: ['mutual-help-moud-friendly', 'peer-support', 'addiction-counseling', 'naloxone', 'cbt'],
    cautions: [],
  },
  {
    name: '5. Overdose last month, no medication, using fentanyl, mother involved',
    context: { moud: 'none', substances: ['opioids'], recentOverdose: true, family: { involved: true } },
    top: ['moud-evaluation', 'naloxone', 'peer-support', 'contingency-management', 'motivational-interviewing'],
    includes: ['craft', 'family-counseling', 'network-therapy'],
    cautions: ['opioid-abstinence-cm-overdose-risk'],
    clinicianTextIncludes: { 'peer-support': '32.5%', 'contingency-management': 'not recorded' },
  },
  {
    name: '6. On buprenorphine, taking action, PHQ-9 18 with item 9 positive',
    context: { stage: 'action', moud: 'buprenorphine', phq9: 18, phq9Item9: 2 },
    top: ['psychotherapy-co-occurring', 'cbt', 'wraparound-services'],
    cautions: ['suicide-risk', 'psychotherapy-not-main-treatment'],
  },
  {
    name: '7. On methadone, contemplating, GAD-7 14',
    context: { stage: 'contemplation', moud: 'methadone', gad7: 14 },
    top: ['motivational-interviewing', 'psychotherapy-co-occurring', 'contingency-management'],
    cautions: ['psychotherapy-not-main-treatment'],
  },
  {
    name: '8. Prefers treatment without medication, preparing to change, no current use',
    context: { stage: 'preparation', moud: 'none', prefersNonMedication: true, substances: [] },
    top: ['moud-evaluation', 'cbt', 'wraparound-services', 'motivational-interviewing', 'community-reinforcement', 'addiction-counseling', 'twelve-step-facilitation'],
    excludes: ['contingency-management'],
    cautions: [],
    patientTextIncludes: { 'moud-evaluation': 'We respect that' },
  },
  {
    name: '9. Prefers no medication and secular help, maintaining change',
    context: { stage: 'maintenance', moud: 'none', prefersNonMedication: true, prefersSecular: true, substances: [] },
    top: ['moud-evaluation', 'motivational-interviewing', 'community-reinforcement', 'smart-recovery', 'addiction-counseling', 'peer-support'],
    excludes: ['twelve-step-facilitation'],
    cautions: [],
  },
  {
    name: '10. On naltrexone, taking action, partner involved',
    context: { stage: 'action', moud: 'naltrexone', family: { involved: true, partner: true } },
    top: ['cbt', 'wraparound-services', 'naloxone', 'family-counseling', 'behavioral-couples-therapy', 'community-reinforcement'],
    includes: ['craft', 'network-therapy', 'mutual-help-moud-friendly', 'peer-support'],
    cautions: [],
    clinicianTextIncludes: { 'family-counseling': '124 men' },
  },
  {
    name: '11. On methadone, taking action, using stimulants; CM offered',
    context: { stage: 'action', moud: 'methadone', substances: ['stimulants'], cmAvailable: true },
    top: ['contingency-management', 'cbt', 'wraparound-services'],
    includes: ['motivational-interviewing'],
    cautions: [],
    clinicianTextIncludes: { 'contingency-management': 'stimulant' },
  },
  {
    name: '12. No medication, using opioids, contemplating; programme cannot offer CM',
    context: { stage: 'contemplation', moud: 'none', substances: ['opioids'], cmAvailable: false },
    top: ['moud-evaluation', 'naloxone', 'motivational-interviewing'],
    excludes: ['contingency-management'],
    cautions: [],
  },
  {
    name: '13. Nothing known yet (first contact)',
    context: {},
    top: ['moud-evaluation', 'motivational-interviewing', 'naloxone'],
    cautions: [],
  },
  {
    name: '14. On buprenorphine, contemplating, needs housing and work',
    context: { stage: 'contemplation', moud: 'buprenorphine', needs: ['housing', 'employment'] },
    top: ['motivational-interviewing', 'contingency-management', 'wraparound-services'],
    cautions: [],
    patientTextIncludes: { 'wraparound-services': 'housing and work' },
  },
  {
    name: '15. On methadone, maintaining change, attends AA (no stigma reported)',
    context: { stage: 'maintenance', moud: 'methadone', mutualHelp: { attends: ['AA'], stigmaReported: false } },
    top: ['mutual-help-moud-friendly', 'peer-support', 'addiction-counseling'],
    cautions: ['moud-stigma-in-groups'],
  },
  {
    name: '16. Medication status unknown, taking action, using opioids; CM offered',
    context: { stage: 'action', substances: ['opioids'], cmAvailable: true },
    top: ['moud-evaluation', 'naloxone', 'contingency-management', 'cbt', 'wraparound-services'],
    includes: ['mutual-help-moud-friendly'],
    cautions: ['opioid-abstinence-cm-overdose-risk'],
  },
  {
    name: '17. Not considering change, no medication, using opioids, sister involved',
    context: { stage: 'precontemplation', moud: 'none', substances: ['opioids'], family: { involved: true } },
    top: ['moud-evaluation', 'naloxone', 'motivational-interviewing', 'contingency-management', 'craft'],
    cautions: ['opioid-abstinence-cm-overdose-risk'],
  },
  {
    name: '18. PHQ-9 6 but item 9 positive',
    context: { moud: 'methadone', phq9: 6, phq9Item9: 1 },
    top: ['psychotherapy-co-occurring'],
    cautions: ['suicide-risk', 'psychotherapy-not-main-treatment'],
  },
  {
    name: '19. On naltrexone, maintaining change, attends SMART, prefers secular help',
    context: { stage: 'maintenance', moud: 'naltrexone', prefersSecular: true, mutualHelp: { attends: ['SMART'] } },
    top: ['mutual-help-moud-friendly', 'smart-recovery', 'peer-support'],
    excludes: ['twelve-step-facilitation'],
    cautions: [],
  },
  {
    name: '20. Prefers no medication, using opioids, contemplating; CM offered',
    context: { stage: 'contemplation', moud: 'none', prefersNonMedication: true, substances: ['opioids'], cmAvailable: true },
    top: ['moud-evaluation', 'naloxone', 'motivational-interviewing', 'contingency-management', 'community-reinforcement'],
    includes: ['addiction-counseling', 'twelve-step-facilitation', 'residential'],
    cautions: ['opioid-abstinence-cm-overdose-risk'],
  },
  {
    name: '21. On methadone, stage not assessed, using benzodiazepines',
    context: { stage: 'unknown', moud: 'methadone', substances: ['benzodiazepines'] },
    top: ['addiction-counseling', 'motivational-interviewing', 'naloxone'],
    cautions: [],
  },
  {
    name: '22. On buprenorphine, contemplating, partner involved',
    context: { stage: 'contemplation', moud: 'buprenorphine', family: { involved: true, partner: true } },
    top: ['motivational-interviewing', 'contingency-management', 'craft', 'naloxone', 'behavioral-couples-therapy', 'network-therapy', 'family-counseling'],
    cautions: [],
  },
];

describe('recommendation vignettes', () => {
  it('there are at least 20', () => expect(VIGNETTES.length).toBeGreaterThanOrEqual(20));

  it.each(VIGNETTES.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    // Every vignette goes through the same validation as the CLI/API.
    const result = recommend(parseContext(JSON.parse(JSON.stringify(v.context))));
    const codes = result.recommendations.map((r) => r.intervention);
    expect(codes.slice(0, v.top.length)).toEqual(v.top);
    for (const c of v.includes ?? []) expect(codes).toContain(c);
    for (const c of v.excludes ?? []) expect(codes).not.toContain(c);
    expect(result.cautions.map((c) => c.code)).toEqual(v.cautions);
    for (const [code, text] of Object.entries(v.patientTextIncludes ?? {})) {
      expect(result.recommendations.find((r) => r.intervention === code)?.rationale.patient.en).toContain(text);
    }
    for (const [code, text] of Object.entries(v.clinicianTextIncludes ?? {})) {
      expect(result.recommendations.find((r) => r.intervention === code)?.rationale.clinician).toContain(text);
    }
  });
});
