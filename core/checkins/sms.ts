// A forgiving reader for SMS check-in replies. The daily text asks for three numbers:
// craving (0–10), any use (0 = no, 1 = yes), medication (1 = taken, 0 = missed,
// 2 or "na" = not on medication). Replies come as "7 0 1", "7,0,1", "7-0-1",
// "craving 7 no use took meds", or in Spanish ("antojo 7 no usé tomé medicina").
// "not safe" / "no estoy a salvo" is read as "I am not safe right now". Never throws.
import type { CheckInAnswers, MedicationAnswer } from './answers.ts';

export type SmsProblem = 'empty' | 'no-answers' | 'craving-out-of-range' | 'use-unclear' | 'medication-unclear' | 'too-many-numbers' | 'too-long';
export type SmsParse = { ok: true; answers: CheckInAnswers } | { ok: false; problems: SmsProblem[] };

const MAX_LENGTH = 320;

/** Lower case, accents removed, punctuation to spaces. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const NOT_SAFE = [/\bnot safe\b/, /\bunsafe\b/, /\bno estoy a salvo\b/, /\bno estoy segur[oa]\b/, /\bno me siento segur[oa]\b/];
const CRAVING_WORDS = '(?:craving|cravings|crave|urge|urges|antojo|antojos|ansia|ansias|deseo|deseos)';
const USE_NO = [
  /\bno use\b/,
  /\bnot used\b/,
  /\bdid not use\b/,
  /\bdidnt use\b/,
  /\bclean\b/,
  /\bno (?:he )?usado\b/,
  /\bno use\b/,
  /\bno consumi\b/,
  /\bsin consumo\b/,
  /\bno uso\b/,
  /\bnada de uso\b/,
];
const USE_YES = [/\bused\b/, /\bi use\b/, /\buse yes\b/, /\bsi use\b/, /\bconsumi\b/, /\bhe usado\b/, /\bsi uso\b/, /\bslip\b/, /\brelapse\b/, /\brecaida\b/];
const MED_TAKEN = [/\btook (?:my )?(?:meds|med|medicine|medication|dose)\b/, /\btaken\b/, /\bmeds? (?:yes|ok|taken)\b/, /\btome (?:mi |la )?(?:medicina|medicamento|dosis)\b/, /\bmedicina si\b/];
const MED_MISSED = [/\bmissed\b/, /\bno meds\b/, /\bdid not take\b/, /\bdidnt take\b/, /\bno tome\b/, /\bsin medicina\b/, /\bolvide\b/, /\bmeds? no\b/, /\bmedicina no\b/];
const MED_NA = [/\bno medication\b/, /\bnot on meds\b/, /\bno aplica\b/, /\bn a\b/, /\bna\b/];

const any = (res: RegExp[], s: string) => res.some((r) => r.test(s));

function medicationOf(n: number): MedicationAnswer | null {
  if (n === 1) return 'taken';
  if (n === 0) return 'missed';
  if (n === 2) return 'not-applicable';
  return null;
}

export function parseSmsCheckIn(text: string): SmsParse {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, problems: ['empty'] };
  if (text.length > MAX_LENGTH) return { ok: false, problems: ['too-long'] };
  let s = fold(text);
  const answers: CheckInAnswers = {};
  const problems: SmsProblem[] = [];

  if (any(NOT_SAFE, s)) {
    answers.notSafe = true;
    for (const r of NOT_SAFE) s = s.replace(r, ' ');
  }

  // words first: "craving 7", "antojo 7"
  const cravingWord = new RegExp(`\\b${CRAVING_WORDS} (?:is |es |de |a |at )?(\\d+)\\b`).exec(s);
  if (cravingWord) {
    const n = Number(cravingWord[1]);
    if (n > 10) problems.push('craving-out-of-range');
    else answers.craving = n;
    s = s.replace(cravingWord[0], ' ');
  }
  const naFirst = any(MED_NA, s);
  if (any(MED_MISSED, s) && !naFirst) answers.medication = 'missed';
  else if (any(MED_TAKEN, s)) answers.medication = 'taken';
  else if (naFirst) answers.medication = 'not-applicable';
  if (any(USE_NO, s)) answers.use = { any: false };
  else if (any(USE_YES, s)) answers.use = { any: true, substances: [] };
  for (const r of [...MED_MISSED, ...MED_TAKEN, ...MED_NA, ...USE_NO, ...USE_YES]) s = s.replace(new RegExp(r.source, 'g'), ' ');

  // then bare numbers, in the asked order, filling what the words did not say
  const numbers = (s.match(/\b\d+\b/g) ?? []).map(Number);
  const words = s.replace(/\b\d+\b/g, ' ').trim();
  const yesNo = words.split(/\s+/).filter((w) => ['yes', 'y', 'si', 'no', 'n'].includes(w));
  const slots: Array<'craving' | 'use' | 'medication'> = (['craving', 'use', 'medication'] as const).filter(
    (k) => answers[k] === undefined && !(k === 'craving' && problems.includes('craving-out-of-range')),
  );
  if (numbers.length > slots.length) problems.push('too-many-numbers');
  else {
    numbers.forEach((n, i) => {
      const slot = slots[i]!;
      if (slot === 'craving') {
        if (n > 10) problems.push('craving-out-of-range');
        else answers.craving = n;
      } else if (slot === 'use') {
        if (n === 0) answers.use = { any: false };
        else if (n === 1) answers.use = { any: true, substances: [] };
        else problems.push('use-unclear');
      } else {
        const m = medicationOf(n);
        if (m) answers.medication = m;
        else problems.push('medication-unclear');
      }
    });
    // a lone "yes"/"no" after the numbers answers the next open question (use, then medication)
    if (yesNo.length > 0 && numbers.length < slots.length && yesNo.length === 1) {
      const slot = slots[numbers.length]!;
      const yes = yesNo[0] === 'yes' || yesNo[0] === 'y' || yesNo[0] === 'si';
      if (slot === 'use') answers.use = yes ? { any: true, substances: [] } : { any: false };
      if (slot === 'medication') answers.medication = yes ? 'taken' : 'missed';
    }
  }

  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };
  if (answers.craving === undefined && answers.use === undefined && answers.medication === undefined && answers.notSafe !== true) return { ok: false, problems: ['no-answers'] };
  return { ok: true, answers };
}
