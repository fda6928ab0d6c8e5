// Consent templates (content/consent-templates/*.json): the words of each kind of consent in
// English and Spanish, with its defaults, and the consent as the patient reads it — every
// element §2.31 requires, in order, composed from the template and the consent's terms. The
// labels of purposes and kinds of information live here, once, for the console, the app, the
// tablet and the printout. Written for Waypoint from the rule (42 CFR §2.31, 2024), plain
// English at about 6th grade and Spanish ("usted").
import tpo from '../../content/consent-templates/tpo.json' with { type: 'json' };
import family from '../../content/consent-templates/family.json' with { type: 'json' };
import organization from '../../content/consent-templates/organization.json' with { type: 'json' };
import notesTemplate from '../../content/consent-templates/counselling-notes.json' with { type: 'json' };
import { DATA_CLASSES, PURPOSES, RECIPIENT_KINDS, EXPIRY_KINDS, type ConsentTerms, type DataClass, type Purpose, type Recipient } from './consent.ts';

export type Lang = 'en' | 'es';
type Both = { en: string; es: string };

export type ConsentTemplate = {
  key: string;
  version: string;
  title: Both;
  /** For staff: when to use it and what the rule says about it. */
  description: string;
  recipientKinds: Recipient['kind'][];
  purposes: Purpose[];
  dataClasses: DataClass[];
  dataDescription: Both;
  expiryKind: ConsentTerms['expiry']['kind'];
  /** Paragraphs particular to this kind of consent, shown after the elements. */
  paragraphs: { en: string[]; es: string[] };
};

export const TEMPLATES: readonly ConsentTemplate[] = [tpo, family, organization, notesTemplate] as ConsentTemplate[];
export const templateOf = (key: string): ConsentTemplate | undefined => TEMPLATES.find((t) => t.key === key);

/** Problems with a template file (run by a test over every template): the content's own schema. */
export function templateProblems(t: ConsentTemplate): string[] {
  const out: string[] = [];
  const both = (b: Both | undefined, what: string) => (!b?.en?.trim() || !b?.es?.trim() ? out.push(`${t.key}: ${what} needs English and Spanish`) : 0);
  both(t.title, 'title');
  both(t.dataDescription, 'dataDescription');
  if (!/^\d{4}-\d+$/.test(t.version)) out.push(`${t.key}: version must look like 2026-1`);
  if (t.recipientKinds.length === 0 || t.recipientKinds.some((k) => !RECIPIENT_KINDS.includes(k))) out.push(`${t.key}: recipientKinds`);
  if (t.purposes.length === 0 || t.purposes.some((p) => !PURPOSES.includes(p))) out.push(`${t.key}: purposes`);
  if (t.dataClasses.length === 0 || t.dataClasses.some((d) => !DATA_CLASSES.includes(d))) out.push(`${t.key}: dataClasses`);
  if (!EXPIRY_KINDS.includes(t.expiryKind)) out.push(`${t.key}: expiryKind`);
  if (t.paragraphs.en.length !== t.paragraphs.es.length) out.push(`${t.key}: paragraphs must be given in both languages`);
  return out;
}

export const FAMILY_RELATIONSHIPS = ['parent', 'partner', 'spouse', 'child', 'sibling', 'other-relative', 'friend', 'other'] as const;
export type FamilyRelationship = (typeof FAMILY_RELATIONSHIPS)[number];

export const DATA_CLASS_LABELS: Record<DataClass, Both> = {
  appointments: { en: 'My next visits', es: 'Mis próximas citas' },
  attendance: { en: 'Visits I came to or missed', es: 'Las citas a las que fui o falté' },
  'check-ins': { en: 'My daily check-ins (how many days in a row)', es: 'Mis registros diarios (cuántos días seguidos)' },
  'cm-progress': { en: 'My rewards progress', es: 'Mi progreso de premios' },
  screens: { en: 'My drug test results', es: 'Los resultados de mis pruebas de drogas' },
  medication: { en: 'My medicine and dose', es: 'Mi medicina y dosis' },
  'care-plan': { en: 'My care plan and goals', es: 'Mi plan de atención y mis metas' },
  assessments: { en: 'My screening scores', es: 'Los puntajes de mis evaluaciones' },
  'safety-plan': { en: 'My safety plan', es: 'Mi plan de seguridad' },
  'progress-notes': { en: 'Notes from my visits', es: 'Las notas de mis citas' },
  demographics: { en: 'My name, birth date and contact details', es: 'Mi nombre, fecha de nacimiento y datos de contacto' },
  'family-work': { en: 'Our trust talk calendar and the doses my team saw', es: 'Nuestro calendario de charlas de confianza y las dosis que vio mi equipo' },
  'counselling-notes': { en: 'My counseling notes', es: 'Mis notas de consejería' },
};

export const PURPOSE_LABELS: Record<Purpose, Both> = {
  treatment: { en: 'My treatment', es: 'Mi tratamiento' },
  payment: { en: 'Payment for my care', es: 'El pago de mi atención' },
  'health-care-operations': { en: 'Running the health care I get', es: 'El funcionamiento de la atención que recibo' },
  'family-support': { en: 'So they can support me in my recovery', es: 'Para que me apoyen en mi recuperación' },
  'care-coordination': { en: 'So my care can be planned together', es: 'Para coordinar mi atención' },
  'at-patient-request': { en: 'Because I asked for it', es: 'Porque yo lo pedí' },
};

const RECIPIENT_WORDS = {
  en: { 'tpo-designation': 'My treating health care providers, my health plans and others who pay for my care, and people who help run this program' },
  es: { 'tpo-designation': 'Los proveedores de salud que me atienden, mis planes de salud y otros que pagan mi atención, y las personas que ayudan a operar este programa' },
} as const;

export const recipientLabel = (r: Recipient, lang: Lang): string => (r.kind === 'tpo-designation' ? RECIPIENT_WORDS[lang]['tpo-designation'] : r.name);

const WORDS = {
  en: {
    patient: 'Patient',
    discloser: 'Who may share',
    what: 'What may be shared',
    recipient: 'Who may get it',
    why: 'Why',
    revoke: 'Taking it back',
    revokeBody:
      'I can take back (revoke) this consent at any time, in writing or by telling the staff, or in the Waypoint app. It stops sharing from then on. It cannot undo what was already shared while it was in effect.',
    ends: 'When it ends',
    endsNone: 'It has no end date. It lasts until I take it back.',
    endsTreatment: 'When my treatment at this program ends, or sooner if I take it back.',
    endsDate: (d: string) => `On ${d}, or sooner if I take it back.`,
    endsCondition: (c: string) => `When this happens: ${c}. Or sooner if I take it back.`,
    choice: 'My choice',
    choiceBody:
      'I do not have to sign this. My treatment, payment, enrollment and benefits do not depend on it. Once shared, my information may be shared again by the person who gets it, and federal privacy law may not protect it anymore; this is why the notice against sharing it again goes with it.',
    signature: 'Signature',
    unsigned: 'Not signed yet.',
    signed: (name: string, role: string, date: string) => `Signed by ${name}${role === 'patient' ? '' : ` (${role})`} on ${date}.`,
  },
  es: {
    patient: 'Paciente',
    discloser: 'Quién puede compartir',
    what: 'Qué se puede compartir',
    recipient: 'Quién puede recibirlo',
    why: 'Para qué',
    revoke: 'Retirar el consentimiento',
    revokeBody:
      'Puedo retirar (revocar) este consentimiento en cualquier momento, por escrito, diciéndoselo al personal o en la aplicación Waypoint. Desde ese momento ya no se comparte. No puede deshacer lo que ya se compartió mientras estaba vigente.',
    ends: 'Cuándo termina',
    endsNone: 'No tiene fecha de fin. Dura hasta que yo lo retire.',
    endsTreatment: 'Cuando termine mi tratamiento en este programa, o antes si lo retiro.',
    endsDate: (d: string) => `El ${d}, o antes si lo retiro.`,
    endsCondition: (c: string) => `Cuando pase esto: ${c}. O antes si lo retiro.`,
    choice: 'Mi decisión',
    choiceBody:
      'No tengo que firmar esto. Mi tratamiento, el pago, la inscripción y los beneficios no dependen de ello. Una vez compartida, la persona que reciba mi información puede volver a compartirla y es posible que la ley federal de privacidad ya no la proteja; por eso va con ella el aviso que prohíbe volver a compartirla.',
    signature: 'Firma',
    unsigned: 'Todavía no está firmado.',
    signed: (name: string, role: string, date: string) => `Firmado por ${name}${role === 'patient' ? '' : ` (${role})`} el ${date}.`,
  },
} as const;

export type ConsentForText = ConsentTerms & { template: string; patientName: string; signedOn: string | null; signerName: string | null; signerRole: string | null };

/** The consent as the patient reads and signs it, in its language: every §2.31 element, in order, then the template's own paragraphs. */
export function consentText(c: ConsentForText): { heading: string; body: string }[] {
  const w = WORDS[c.language];
  const t = templateOf(c.template);
  const list = (xs: string[]) => xs.join('; ');
  const ends = c.expiry.kind === 'none' ? w.endsNone : c.expiry.kind === 'end-of-treatment' ? w.endsTreatment : c.expiry.kind === 'date' ? w.endsDate(c.expiry.on) : w.endsCondition(c.expiry.text);
  const out = [
    { heading: w.patient, body: c.patientName },
    { heading: w.discloser, body: c.discloser },
    { heading: w.what, body: `${list(c.dataClasses.map((d) => DATA_CLASS_LABELS[d][c.language]))}. ${c.dataDescription}` },
    { heading: w.recipient, body: recipientLabel(c.recipient, c.language) },
    { heading: w.why, body: list(c.purposes.map((p) => PURPOSE_LABELS[p][c.language])) },
    { heading: w.revoke, body: w.revokeBody },
    { heading: w.ends, body: ends },
    { heading: w.choice, body: w.choiceBody },
    ...(t?.paragraphs[c.language] ?? []).map((p) => ({ heading: '', body: p })),
    { heading: w.signature, body: c.signedOn && c.signerName ? w.signed(c.signerName, c.signerRole ?? 'patient', c.signedOn) : w.unsigned },
  ];
  return out;
}
