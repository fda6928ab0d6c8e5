// Waypoint records as FHIR R4 resources. Every resource carries the 42 CFR Part 2
// security labels (restricted confidentiality, ETH sensitivity, 42CFRPart2 policy).
import type { AdministrativeSex, GenderIdentity, Sex } from '../../../contracts/patients.ts';
import type { Band, InstrumentId } from '../../../core/instruments/index.ts';
import { answerCoding, questionnaireOf, type Questionnaire, type QuestionnaireItem } from '../assessments/questionnaires.ts';
import type { GoalC, PlanContent } from '../planning/care-plans.ts';

export type Resource = { resourceType: string; id?: string; meta?: Record<string, unknown>; [k: string]: unknown };

export const SECURITY_LABELS = [
  { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' },
  { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH', display: 'substance abuse information sensitivity' },
  { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '42CFRPart2', display: '42 CFR Part2' },
] as const;

export const WAYPOINT = 'http://waypoint.health/fhir';
export const US_CORE_SCREENING_ASSESSMENT = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment';
const US_CORE_PATIENT = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';

const meta = (extra: Record<string, unknown> = {}) => ({ ...extra, security: SECURITY_LABELS.map((l) => ({ ...l })) });
const patientRef = (id: string) => ({ reference: `Patient/${id}` });

// --- Patient -----------------------------------------------------------------------
// Sex and gender follow US Core 6.1.0 (ADR 023): Patient.gender is the administrative sex
// (required, `unknown` when not recorded); the US Core Sex extension carries USCDI v3 "Sex"
// (a code from VSAC 2.16.840.1.113762.1.4.1099.53, required binding); the US Core Gender
// Identity extension carries gender identity (CodeableConcept, extensible binding to VSAC
// 2.16.840.1.113762.1.4.1021.32). Neither extension is sent when nothing was recorded.
export const US_CORE_SEX = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex';
export const US_CORE_GENDER_IDENTITY = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity';
const SNOMED = 'http://snomed.info/sct';
const DATA_ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';

/** SNOMED CT codes of the US Core Sex extension. The value set has no "declined": it is sent as "Patient sex unknown". */
export const SEX_CODE: Record<Sex, string> = {
  female: '248152002', // Female (finding)
  male: '248153007', // Male (finding)
  unknown: '184115007', // Patient sex unknown (finding)
  'asked-declined': '184115007',
};

export const GENDER_IDENTITY_CONCEPT: Record<GenderIdentity, { coding: Array<{ system: string; code: string; display: string }>; text: string }> = {
  female: { coding: [{ system: SNOMED, code: '446141000124107', display: 'Identifies as female gender (finding)' }], text: 'Female gender identity' },
  male: { coding: [{ system: SNOMED, code: '446151000124109', display: 'Identifies as male gender (finding)' }], text: 'Male gender identity' },
  'non-binary': { coding: [{ system: SNOMED, code: '33791000087105', display: 'Identifies as nonbinary gender (finding)' }], text: 'Non-binary gender identity' },
  other: { coding: [{ system: NULL_FLAVOR, code: 'OTH', display: 'other' }], text: 'Another gender identity' },
  'asked-declined': { coding: [{ system: DATA_ABSENT, code: 'asked-declined', display: 'Asked But Declined' }], text: 'Asked but declined' },
  unknown: { coding: [{ system: DATA_ABSENT, code: 'unknown', display: 'Unknown' }], text: 'Unknown' },
};

export type PatientForFhir = {
  programId: string;
  id: string;
  mrn: string;
  legalGivenName: string;
  legalFamilyName: string;
  preferredName: string | null;
  birthDate: string;
  administrativeSex: AdministrativeSex;
  sex: Sex | null;
  genderIdentity: GenderIdentity | null;
};

export function patientResource(p: PatientForFhir): Resource {
  const name: Array<Record<string, unknown>> = [{ use: 'official', family: p.legalFamilyName, given: [p.legalGivenName] }];
  if (p.preferredName) name.push({ use: 'usual', family: p.legalFamilyName, given: [p.preferredName] });
  const extension: Array<Record<string, unknown>> = [];
  if (p.sex) extension.push({ url: US_CORE_SEX, valueCode: SEX_CODE[p.sex] });
  if (p.genderIdentity) {
    const concept = GENDER_IDENTITY_CONCEPT[p.genderIdentity];
    extension.push({ url: US_CORE_GENDER_IDENTITY, valueCodeableConcept: { coding: concept.coding.map((c) => ({ ...c })), text: concept.text } });
  }
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: meta({ profile: [US_CORE_PATIENT] }),
    ...(extension.length > 0 ? { extension } : {}),
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }], text: 'MRN' },
        system: `${WAYPOINT}/sid/mrn/${p.programId}`,
        value: p.mrn,
      },
    ],
    name,
    gender: p.administrativeSex,
    birthDate: p.birthDate,
  };
}

// --- Questionnaire -------------------------------------------------------------------
export function questionnaireResource(q: Questionnaire): Resource {
  const m = (q.meta as Record<string, unknown> | undefined) ?? {};
  return { ...q, meta: meta(m) };
}

// --- QuestionnaireResponse -----------------------------------------------------------
export type AssessmentRow = {
  id: string;
  patientId: string;
  instrument: string;
  questionnaireVersion: string;
  answers: unknown;
  targetBehavior: string | null;
  complete: boolean;
  mode: string;
  administeredAt: Date;
  administeredByName: string | null;
};

function responseItems(instrument: InstrumentId, items: QuestionnaireItem[], answers: Record<string, number | null>, target: string | null): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const it of items) {
    if (it.type === 'display') continue;
    if (it.type === 'group') {
      const children = responseItems(instrument, it.item ?? [], answers, target);
      if (children.length > 0) out.push({ linkId: it.linkId, ...(it.text ? { text: it.text } : {}), item: children });
      continue;
    }
    let answer: Record<string, unknown> | null = null;
    if (it.type === 'string') {
      if (it.linkId === 'target' && target) answer = { valueString: target };
    } else {
      const v = answers[it.linkId];
      if (typeof v === 'number') {
        if (it.type === 'choice') {
          const coding = answerCoding(instrument, it.linkId, v);
          if (coding) answer = { valueCoding: coding };
        } else {
          answer = { valueInteger: v };
        }
      }
    }
    if (answer) out.push({ linkId: it.linkId, ...(it.text ? { text: it.text } : {}), answer: [answer] });
  }
  return out;
}

export function questionnaireResponseResource(a: AssessmentRow): Resource {
  const instrument = a.instrument as InstrumentId;
  const q = questionnaireOf(instrument);
  const r: Resource = {
    resourceType: 'QuestionnaireResponse',
    id: a.id,
    meta: meta(),
    questionnaire: `${q.url}|${a.questionnaireVersion}`,
    // A partial administration that will not be continued is "stopped" (R4).
    status: a.complete ? 'completed' : 'stopped',
    subject: patientRef(a.patientId),
    authored: a.administeredAt.toISOString(),
    item: responseItems(instrument, q.item, a.answers as Record<string, number | null>, a.targetBehavior),
  };
  if (a.mode === 'patient-tablet') r.source = patientRef(a.patientId);
  else if (a.administeredByName) r.author = { display: a.administeredByName };
  if ((r.item as unknown[]).length === 0) delete r.item;
  return r;
}

// --- Observation (US Core screening assessment: panel + members) ----------------------
export type ObservationRow = {
  id: string;
  patientId: string;
  assessmentId: string;
  kind: string;
  scoreName: string | null;
  codeSystem: string;
  code: string;
  display: string;
  value: number | null;
  band: unknown;
  members: unknown;
  complete: boolean;
  effectiveAt: Date;
  instrument: string;
};

const MEAN_SCORES = new Set(['urica.precontemplation', 'urica.contemplation', 'urica.action', 'urica.maintenance', 'urica.readiness', 'opioid-craving.mean']);

export function observationResource(o: ObservationRow): Resource {
  const r: Resource = {
    resourceType: 'Observation',
    id: o.id,
    meta: meta({ profile: [US_CORE_SCREENING_ASSESSMENT] }),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] }],
    code: { coding: [{ system: o.codeSystem, code: o.code, display: o.display }], text: o.display },
    subject: patientRef(o.patientId),
    effectiveDateTime: o.effectiveAt.toISOString(),
  };
  if (o.kind === 'panel') {
    const members = (o.members as string[] | null) ?? [];
    if (members.length > 0) r.hasMember = members.map((m) => ({ reference: `Observation/${m}` }));
    else
      r.dataAbsentReason = {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown', display: 'Unknown' }],
        text: 'No score could be computed: required items were not answered.',
      };
    if (!o.complete) r.note = [{ text: 'Incomplete administration: scores that need unanswered items were not computed (see the QuestionnaireResponse).' }];
  } else if (o.value !== null) {
    const key = `${o.instrument}.${o.scoreName}`;
    if (MEAN_SCORES.has(key) || !Number.isInteger(o.value)) r.valueQuantity = { value: o.value, unit: '{score}', system: 'http://unitsofmeasure.org', code: '{score}' };
    else r.valueInteger = o.value;
    const band = o.band as Band | null;
    if (band) r.interpretation = [{ coding: [{ system: `${WAYPOINT}/CodeSystem/${o.instrument}-band`, code: band.code, display: band.label }], text: band.label }];
  }
  r.derivedFrom = [{ reference: `QuestionnaireResponse/${o.assessmentId}` }];
  return r;
}

// --- CarePlan and Goal -----------------------------------------------------------------
export type PlanRow = {
  id: string;
  patientId: string;
  version: number;
  content: PlanContent;
  createdAt: Date;
  updatedAt: Date;
  authorName: string | null;
  staff: Record<string, string>;
  agreement: { agreedBy: string; method: string; agreedAt: Date; version: number } | null;
};

const PLAN_STATUS: Record<string, string> = { draft: 'draft', active: 'active', completed: 'completed', revoked: 'revoked' };
const ACTIVITY_STATUS: Record<string, string> = { planned: 'not-started', 'in-progress': 'in-progress', completed: 'completed', stopped: 'stopped' };

export function carePlanResource(p: PlanRow): Resource {
  const c = p.content;
  const extension: Array<Record<string, unknown>> = [{ url: `${WAYPOINT}/StructureDefinition/review-date`, valueDate: c.reviewDate }];
  if (p.agreement) {
    extension.push({
      url: `${WAYPOINT}/StructureDefinition/patient-agreement`,
      extension: [
        { url: 'agreedBy', valueCode: p.agreement.agreedBy },
        { url: 'method', valueCode: p.agreement.method },
        { url: 'agreedAt', valueDateTime: p.agreement.agreedAt.toISOString() },
        { url: 'version', valueInteger: p.agreement.version },
      ],
    });
  }
  const r: Resource = {
    resourceType: 'CarePlan',
    id: p.id,
    meta: meta({ versionId: String(p.version), lastUpdated: p.updatedAt.toISOString() }),
    extension,
    status: PLAN_STATUS[c.status] ?? 'unknown',
    intent: 'plan',
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' }] }],
    title: c.title,
    subject: patientRef(p.patientId),
    period: { start: p.createdAt.toISOString() },
    created: p.createdAt.toISOString(),
  };
  if (p.authorName) r.author = { display: p.authorName };
  if (c.problems.length > 0) r.addresses = c.problems.map((x) => ({ display: x.text }));
  if (c.goals.length > 0) r.goal = c.goals.map((g) => ({ reference: `Goal/${g.id}` }));
  if (c.interventions.length > 0) {
    r.activity = c.interventions.map((v) => {
      const detail: Record<string, unknown> = {
        code: v.code ? { coding: [{ system: `${WAYPOINT}/CodeSystem/intervention`, code: v.code }], text: v.text } : { text: v.text },
        status: ACTIVITY_STATUS[v.status] ?? 'unknown',
        scheduledString: v.frequency,
        description: v.text,
      };
      if (v.goalIds.length > 0) detail.goal = v.goalIds.map((g) => ({ reference: `Goal/${g}` }));
      if (v.responsibleStaffIds.length > 0) detail.performer = v.responsibleStaffIds.map((s) => ({ display: p.staff[s] ?? 'Staff member' }));
      return { detail };
    });
  }
  return r;
}

const LIFECYCLE: Record<string, string> = { proposed: 'proposed', active: 'active', achieved: 'completed', 'not-achieved': 'completed', cancelled: 'cancelled' };

export function goalResource(g: { goal: GoalC; patientId: string; problems: Record<string, string>; updatedAt: Date }): Resource {
  const goal = g.goal;
  const target: Record<string, unknown> = { measure: { text: goal.measure }, dueDate: goal.dueDate };
  if (goal.targetValue !== null) {
    const q: Record<string, unknown> = { value: goal.targetValue };
    if (goal.targetComparator && goal.targetComparator !== '=') q.comparator = goal.targetComparator;
    if (goal.targetUnit) q.unit = goal.targetUnit;
    target.detailQuantity = q;
  } else if (goal.targetText) {
    target.detailString = goal.targetText;
  }
  const r: Resource = {
    resourceType: 'Goal',
    id: goal.id,
    meta: meta({ lastUpdated: g.updatedAt.toISOString() }),
    lifecycleStatus: LIFECYCLE[goal.status] ?? 'active',
    description: { text: goal.description },
    subject: patientRef(g.patientId),
    target: [target],
  };
  if (goal.status === 'achieved' || goal.status === 'not-achieved') {
    r.achievementStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: goal.status, display: goal.status === 'achieved' ? 'Achieved' : 'Not Achieved' }] };
  }
  if (goal.targetValue !== null && goal.targetText) r.note = [{ text: goal.targetText }];
  const addresses = goal.problemIds.map((id) => g.problems[id]).filter((t): t is string => !!t);
  if (addresses.length > 0) r.addresses = addresses.map((t) => ({ display: t }));
  return r;
}
