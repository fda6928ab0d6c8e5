// A programme's help settings (Help now in the patient app): its crisis and after-hours
// lines (a label in English and Spanish, an E.164 number), the clinic's main number, and
// the places to get naloxone, in the order the programme wants them shown. Pure rules: the
// limits and the field problems. docs/help-now.md; ADR 037.

export type HelpLine = { labelEn: string; labelEs: string; phone: string };
export type NaloxonePlace = { name: string; address: string; hours: string; phone: string | null; note: string | null };
export type HelpSettings = {
  /** The clinic's main number (E.164), or null until an administrator sets it. */
  clinicPhone: string | null;
  crisisLines: HelpLine[];
  afterHoursLines: HelpLine[];
  naloxonePlaces: NaloxonePlace[];
};

export const HELP_LIMITS = { lines: 6, places: 20, label: 80, name: 120, address: 200, hours: 120, note: 280 } as const;

export const EMPTY_HELP_SETTINGS: HelpSettings = { clinicPhone: null, crisisLines: [], afterHoursLines: [], naloxonePlaces: [] };

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const isE164 = (s: string): boolean => /^\+[1-9][0-9]{6,14}$/.test(s);

export type SettingsProblem = { field: string; message: string };

/** What is wrong with a programme's help settings, each naming its field (`crisisLines.0.phone`). */
export function helpSettingsProblems(s: HelpSettings): SettingsProblem[] {
  const L = HELP_LIMITS;
  const out: SettingsProblem[] = [];
  const text = (field: string, v: string, max: number, required = true) => {
    if (required && v.trim().length === 0) out.push({ field, message: 'is missing' });
    else if (v.length > max) out.push({ field, message: `is longer than ${max} characters` });
  };
  const phone = (field: string, v: string) => {
    if (!isE164(v)) out.push({ field, message: 'must be a phone number in E.164 form, e.g. +15555550123' });
  };
  if (s.clinicPhone !== null) phone('clinicPhone', s.clinicPhone);
  for (const list of ['crisisLines', 'afterHoursLines'] as const) {
    if (s[list].length > L.lines) out.push({ field: list, message: `has more than ${L.lines} numbers` });
    s[list].forEach((line, i) => {
      text(`${list}.${i}.labelEn`, line.labelEn, L.label);
      text(`${list}.${i}.labelEs`, line.labelEs, L.label);
      phone(`${list}.${i}.phone`, line.phone);
    });
  }
  if (s.naloxonePlaces.length > L.places) out.push({ field: 'naloxonePlaces', message: `has more than ${L.places} places` });
  s.naloxonePlaces.forEach((p, i) => {
    text(`naloxonePlaces.${i}.name`, p.name, L.name);
    text(`naloxonePlaces.${i}.address`, p.address, L.address);
    text(`naloxonePlaces.${i}.hours`, p.hours, L.hours);
    if (p.phone !== null) phone(`naloxonePlaces.${i}.phone`, p.phone);
    if (p.note !== null) text(`naloxonePlaces.${i}.note`, p.note, L.note, false);
  });
  return out;
}

/** Trims labels and texts; an empty optional phone or note becomes null. */
export function tidyHelpSettings(s: HelpSettings): HelpSettings {
  const opt = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
  const line = (l: HelpLine): HelpLine => ({ labelEn: l.labelEn.trim(), labelEs: l.labelEs.trim(), phone: l.phone.trim() });
  return {
    clinicPhone: opt(s.clinicPhone),
    crisisLines: s.crisisLines.map(line),
    afterHoursLines: s.afterHoursLines.map(line),
    naloxonePlaces: s.naloxonePlaces.map((p) => ({ name: p.name.trim(), address: p.address.trim(), hours: p.hours.trim(), phone: opt(p.phone), note: opt(p.note) })),
  };
}

/** A number for a tel: or sms: link: digits and a leading + only. */
export const dialable = (phone: string): string => phone.replace(/[^0-9+]/g, '');
