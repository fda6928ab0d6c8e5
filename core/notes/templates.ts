// Progress-note templates (issue 14, ADR 041): the sections of each template, defined once,
// each with a short prompt in the spirit of motivational interviewing — the person's own
// words, their reasons and their choices, never labels. The server validates notes against
// these and the console draws its form from them.

export const TEMPLATES = ['dap', 'soap', 'birp', 'group', 'group-member'] as const;
export type Template = (typeof TEMPLATES)[number];

export type Section = {
  key: string;
  label: { en: string; es: string };
  prompt: { en: string; es: string };
};

const s = (key: string, en: string, es: string, promptEn: string, promptEs: string): Section => ({ key, label: { en, es }, prompt: { en: promptEn, es: promptEs } });

const PLAN = s('plan', 'Plan', 'Plan', 'What will the person try before the next session, and what will we do?', '¿Qué intentará la persona antes de la próxima sesión y qué haremos nosotros?');

export const TEMPLATE_SECTIONS: Record<Template, readonly Section[]> = {
  dap: [
    s('data', 'Data', 'Datos', 'What did the person say they want to change, in their own words?', '¿Qué dijo la persona que quiere cambiar, con sus propias palabras?'),
    s('assessment', 'Assessment', 'Valoración', 'What strengths and reasons for change did you hear?', '¿Qué fortalezas y razones para el cambio escuchó?'),
    PLAN,
  ],
  soap: [
    s('subjective', 'Subjective', 'Subjetivo', 'How does the person describe the past week, in their own words?', '¿Cómo describe la persona la última semana, con sus propias palabras?'),
    s('objective', 'Objective', 'Objetivo', 'What did you observe, and what do screens or check-ins show?', '¿Qué observó y qué muestran los análisis o los registros diarios?'),
    s('assessment', 'Assessment', 'Valoración', 'Where is the person with the change they want, and what supports it?', '¿En qué punto está la persona con el cambio que quiere y qué lo apoya?'),
    PLAN,
  ],
  birp: [
    s('behaviour', 'Behaviour', 'Conducta', 'What did the person bring today, and how did they describe it?', '¿Qué trajo hoy la persona y cómo lo describió?'),
    s('intervention', 'Intervention', 'Intervención', 'What did you offer (reflections, a skill, information with permission)?', '¿Qué ofreció (reflexiones, una habilidad, información con permiso)?'),
    s('response', 'Response', 'Respuesta', 'How did the person respond, and what did they choose to take from it?', '¿Cómo respondió la persona y qué eligió llevarse?'),
    PLAN,
  ],
  group: [
    s('topic', 'Topic', 'Tema', 'What was the group’s topic or skill today?', '¿Cuál fue el tema o la habilidad del grupo hoy?'),
    s('process', 'Group process', 'Proceso del grupo', 'How did members support one another, and what themes came up?', '¿Cómo se apoyaron los miembros y qué temas surgieron?'),
    s('interventions', 'Interventions', 'Intervenciones', 'What did the facilitators offer the group?', '¿Qué ofrecieron los facilitadores al grupo?'),
  ],
  'group-member': [
    s('participation', 'Participation', 'Participación', 'How did the person take part, in their own way?', '¿Cómo participó la persona, a su manera?'),
    s('response', 'Response', 'Respuesta', 'What did the person say about their own goals or reasons for change?', '¿Qué dijo la persona sobre sus propias metas o razones para el cambio?'),
    PLAN,
  ],
};

/** The templates a note on a visit may use: a group visit has a shared part (no patient) and a part per member. */
export function templatesFor(opts: { group: boolean; shared: boolean }): readonly Template[] {
  if (opts.group) return opts.shared ? ['group'] : ['group-member'];
  return opts.shared ? [] : ['dap', 'soap', 'birp'];
}

export const MAX_SECTION_CHARS = 10_000;
export const MAX_GOALS = 30;

export type Sections = Record<string, string>;
export type Problem = { field: string; message: string };

/** The sections as stored: every section of the template, trimmed (a missing one is empty). */
export function tidySections(template: Template, sections: Sections): Sections {
  return Object.fromEntries(TEMPLATE_SECTIONS[template].map((sec) => [sec.key, (sections[sec.key] ?? '').trim()]));
}

/** What is wrong with a note's sections (field names are the section keys): unknown sections, too long, and — to sign — an empty one. */
export function sectionProblems(template: Template, sections: Sections, opts: { signing: boolean }): Problem[] {
  const known = new Set(TEMPLATE_SECTIONS[template].map((x) => x.key));
  const out: Problem[] = [];
  for (const key of Object.keys(sections)) if (!known.has(key)) out.push({ field: key, message: `is not a section of the ${template} template` });
  for (const sec of TEMPLATE_SECTIONS[template]) {
    const v = (sections[sec.key] ?? '').trim();
    if (v.length > MAX_SECTION_CHARS) out.push({ field: sec.key, message: `must be at most ${MAX_SECTION_CHARS} characters` });
    else if (opts.signing && v.length === 0) out.push({ field: sec.key, message: 'must be written before the note is signed' });
  }
  return out;
}
