// The words of the funders' monthly report (issue 17, docs/outcomes.md "The funders' monthly
// report"), in English and Spanish with the same keys (test/outcomes/report.test.ts checks). The
// PDF is made on the server, so its words live here rather than in the console's catalogues.
// Plain, non-stigmatising language: "negative screen", "left treatment", never "clean" or "dirty".
import type { LEVELS_OF_CARE } from '../../../contracts/patients.ts';
import type { REPORT_LANGS } from '../../../contracts/outcomes-report.ts';

export type ReportLang = (typeof REPORT_LANGS)[number];

const en = {
  title: 'Monthly programme report',
  month: 'Month',
  generated: 'Generated',
  smallCells: 'To protect privacy, counts from 1 to 10 are shown as <11, and a percentage, or a cost per patient or per screen, is not shown when a count behind it is hidden.',
  notRecorded: 'Not recorded',
  notShown: 'Not shown',
  censusTitle: 'Patients in treatment',
  censusInTreatment: 'Patients in treatment during the month',
  censusAdmissions: 'Admissions in the month',
  censusDischarges: 'Discharges in the month',
  censusNote: 'A patient is in treatment during the month when an episode of care was open on any day of it.',
  retentionTitle: 'Retention in treatment',
  retentionNote:
    'Admissions from {{from}} to {{to}}, followed to {{asOf}}. The share still in treatment 30, 90 and 180 days after admission (Kaplan–Meier estimate); a patient with no contact for more than 30 days has left treatment.',
  levelOfCare: 'Level of care',
  allLevels: 'All levels of care',
  admissions: 'Admissions',
  leftTreatment: 'Left treatment',
  stillInTreatment: 'Still in treatment',
  day: 'Day {{day}}',
  followed: 'followed {{day}} days',
  screensTitle: 'Negative opioid screens',
  screensNote:
    'One screen a week is expected of each patient in treatment. Two ways of counting: a week with no screen counted as positive, or left out. Methadone or buprenorphine the patient is prescribed is not counted as positive.',
  screensMonth: 'Weeks that started in the month',
  missingPositive: 'No screen counted as positive',
  missingExcluded: 'No screen left out',
  negativeWeeks: 'Negative',
  positiveWeeks: 'Positive',
  missingWeeks: 'No screen',
  weeksCounted: 'Weeks counted',
  percentNegative: '% negative',
  trendTitle: 'The first 12 weeks after admission',
  trendNote: 'Admissions from {{from}} to {{to}}: the % of negative opioid screens in each week since admission.',
  week: 'Week',
  admissionsWithWeek: 'Admissions',
  chartLabel: '% negative',
  none: 'No admissions in this period.',
  cmTitle: 'What contingency management cost',
  cmNote:
    'Contingency management (CM) rewards patients with vouchers and prize draws, for example for negative screens. Counted: the CM enrolments that started from {{from}} to {{to}}. Vouchers and prizes are counted when patients earn them, less any voided in error, as recorded on {{recordedOn}}; redeemed is the part patients have already spent on goods and gift cards. Weeks in treatment are counted to {{asOf}}, as for retention.',
  cmEnrolments: 'CM enrolments that started',
  cmPatients: 'Patients enrolled',
  cmEarned: 'Earned by patients',
  cmRedeemed: 'Redeemed by patients',
  cmSource: 'Funding source',
  cmNoSource: 'No funding source',
  cmEarnedColumn: 'Earned',
  cmRedeemedColumn: 'Redeemed',
  cmBudget: 'Budget',
  cmBudgetUsed: '% of budget used',
  cmPerPatient: 'Cost per patient enrolled',
  cmPerNegativeScreen: 'Cost per negative CM screen',
  cmPerWeek: 'Cost per week in treatment',
  cmNone: 'No CM enrolments started in this period.',
} as const;

export type ReportWords = { readonly [K in keyof typeof en]: string };

const es: ReportWords = {
  title: 'Informe mensual del programa',
  month: 'Mes',
  generated: 'Generado el',
  smallCells:
    'Para proteger la privacidad, los recuentos de 1 a 10 se muestran como <11, y no se muestra un porcentaje, ni un costo por paciente o por análisis, cuando uno de sus recuentos está oculto.',
  notRecorded: 'Sin registro',
  notShown: 'No se muestra',
  censusTitle: 'Pacientes en tratamiento',
  censusInTreatment: 'Pacientes en tratamiento durante el mes',
  censusAdmissions: 'Admisiones del mes',
  censusDischarges: 'Altas del mes',
  censusNote: 'Un paciente está en tratamiento durante el mes si tuvo un episodio de atención abierto algún día del mes.',
  retentionTitle: 'Permanencia en el tratamiento',
  retentionNote:
    'Admisiones del {{from}} al {{to}}, con seguimiento hasta el {{asOf}}. La proporción que sigue en tratamiento 30, 90 y 180 días después de la admisión (estimación de Kaplan–Meier); un paciente sin ningún contacto durante más de 30 días ha dejado el tratamiento.',
  levelOfCare: 'Nivel de atención',
  allLevels: 'Todos los niveles de atención',
  admissions: 'Admisiones',
  leftTreatment: 'Dejaron el tratamiento',
  stillInTreatment: 'Siguen en tratamiento',
  day: 'Día {{day}}',
  followed: 'con seguimiento de {{day}} días',
  screensTitle: 'Análisis de opioides negativos',
  screensNote:
    'Se espera un análisis por semana de cada paciente en tratamiento. Dos formas de contar: una semana sin análisis se cuenta como positiva, o se deja fuera. La metadona o la buprenorfina que el paciente tiene recetada no se cuenta como positiva.',
  screensMonth: 'Semanas que empezaron en el mes',
  missingPositive: 'Sin análisis contado como positivo',
  missingExcluded: 'Sin análisis dejado fuera',
  negativeWeeks: 'Negativas',
  positiveWeeks: 'Positivas',
  missingWeeks: 'Sin análisis',
  weeksCounted: 'Semanas contadas',
  percentNegative: '% negativos',
  trendTitle: 'Las primeras 12 semanas después de la admisión',
  trendNote: 'Admisiones del {{from}} al {{to}}: el % de análisis de opioides negativos en cada semana desde la admisión.',
  week: 'Semana',
  admissionsWithWeek: 'Admisiones',
  chartLabel: '% negativos',
  none: 'No hubo admisiones en este período.',
  cmTitle: 'Lo que costó el manejo de contingencias',
  cmNote:
    'El manejo de contingencias (MC) premia a los pacientes con vales y sorteos de premios, por ejemplo por análisis negativos. Se cuentan las inscripciones en MC que empezaron del {{from}} al {{to}}. Los vales y los premios se cuentan cuando el paciente los gana, sin los anulados por error, según lo registrado el {{recordedOn}}; lo canjeado es la parte que los pacientes ya usaron en artículos y tarjetas de regalo. Las semanas en tratamiento se cuentan hasta el {{asOf}}, como en la permanencia.',
  cmEnrolments: 'Inscripciones en MC que empezaron',
  cmPatients: 'Pacientes inscritos',
  cmEarned: 'Ganado por los pacientes',
  cmRedeemed: 'Canjeado por los pacientes',
  cmSource: 'Fuente de financiamiento',
  cmNoSource: 'Sin fuente de financiamiento',
  cmEarnedColumn: 'Ganado',
  cmRedeemedColumn: 'Canjeado',
  cmBudget: 'Presupuesto',
  cmBudgetUsed: '% del presupuesto usado',
  cmPerPatient: 'Costo por paciente inscrito',
  cmPerNegativeScreen: 'Costo por análisis negativo de MC',
  cmPerWeek: 'Costo por semana en tratamiento',
  cmNone: 'Ninguna inscripción en MC empezó en este período.',
};

export const REPORT_WORDS: Record<ReportLang, ReportWords> = { en, es };

/** The words of `lang`, with {{name}} filled from `values`. */
export function wordsOf(lang: ReportLang) {
  const w = REPORT_WORDS[lang];
  return (key: keyof ReportWords, values: Record<string, string | number> = {}) => w[key].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ''));
}

/** The names of the levels of care, as the report prints them (the key itself when unknown). */
export const LEVEL_OF_CARE_WORDS: Record<ReportLang, Record<(typeof LEVELS_OF_CARE)[number], string>> = {
  en: {
    otp: 'Opioid treatment programme (OTP)',
    'office-based': 'Office-based treatment',
    'intensive-outpatient': 'Intensive outpatient',
    residential: 'Residential',
    'therapeutic-community': 'Therapeutic community',
  },
  es: {
    otp: 'Programa de tratamiento de opioides (OTP)',
    'office-based': 'Tratamiento en consulta',
    'intensive-outpatient': 'Ambulatorio intensivo',
    residential: 'Residencial',
    'therapeutic-community': 'Comunidad terapéutica',
  },
};
