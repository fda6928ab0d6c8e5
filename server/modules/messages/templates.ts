// Message templates (content/messages/templates.json): data, validated by this schema when
// read and by a test. Rendered in the patient's language at delivery.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const MESSAGE_LANGUAGES = ['en', 'es'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

const Text = z.object({ subject: z.string().max(120), text: z.string().min(1).max(320) }).strict();
export const TemplateFile = z
  .object({
    about: z.string(),
    templates: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.object({ en: Text, es: Text }).strict()),
  })
  .strict();
export type TemplateFile = z.infer<typeof TemplateFile>;

export const TEMPLATE_FILE = new URL('../../../content/messages/templates.json', import.meta.url);

let loaded: TemplateFile | undefined;
export function templates(): TemplateFile['templates'] {
  loaded ??= TemplateFile.parse(JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8')));
  return loaded.templates;
}

export const isTemplate = (id: string): boolean => Object.hasOwn(templates(), id);

/** The language of a message to someone whose preferred language is `preferred` (a BCP 47 tag): Spanish or English. */
export function messageLanguage(preferred: string | null | undefined): MessageLanguage {
  return preferred?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** The names of the values a template is filled in with at delivery ({code}, {link}). */
export const templateParams = (id: string): string[] => [...new Set([...(templates()[id]?.en.text.matchAll(/\{([a-z]+)\}/g) ?? [])].map((m) => m[1]!))];

/** A template in a language; with `params`, each {name} filled in (a missing value is an error, never an empty gap). */
export function render(id: string, language: MessageLanguage, params?: Record<string, string>): { subject: string; text: string } {
  const t = templates()[id];
  if (!t) throw new Error(`No message template ${id}.`);
  if (!params) return t[language];
  const fill = (s: string) =>
    s.replace(/\{([a-z]+)\}/g, (_m, k: string) => {
      const v = params[k];
      if (v === undefined) throw new Error(`Message template ${id} needs a value for ${k}.`);
      return v;
    });
  return { subject: fill(t[language].subject), text: fill(t[language].text) };
}
