// The patient app's skills calls (issue 13): the list of modules (assigned first), the screens
// reached, exercise entries and completions — all under /api/patient with the patient's cookie —
// and a module's content, which is public and the same for everyone (contentUrl, immutable per
// version; the service worker keeps a copy so a module opens offline).
import type { z } from 'zod';
import type { AppCompletion, AppCompletionResult, AppEntry, AppEntryResult, AppScreen, AppScreenResult, AppSkills } from '../../../../contracts/skills.ts';
import type { SkillsModule } from '../../../../core/skills/module.ts';
import { call } from '../api.ts';

export type AppSkillsT = z.infer<typeof AppSkills>;
export type AppModuleT = AppSkillsT['modules'][number];
export type AppCommentT = AppSkillsT['comments'][number];
export type AppScreenT = z.infer<typeof AppScreen>;
export type AppEntryT = z.infer<typeof AppEntry>;
export type AppCompletionT = z.infer<typeof AppCompletion>;
export type AppCompletionResultT = z.infer<typeof AppCompletionResult>;

export const skillsApi = {
  list: () => call<AppSkillsT>('GET', '/skills'),
  screen: (body: AppScreenT) => call<z.infer<typeof AppScreenResult>>('POST', '/skills/screens', body),
  entry: (body: AppEntryT) => call<z.infer<typeof AppEntryResult>>('POST', '/skills/entries', body),
  complete: (body: AppCompletionT) => call<AppCompletionResultT>('POST', '/skills/completions', body),
};

/** The content read this session, by URL (it never changes for a URL). */
const contents = new Map<string, SkillsModule>();

/** A module's content: from memory, else the network (through the service worker's copy when offline). */
export async function loadContent(url: string): Promise<SkillsModule> {
  const known = contents.get(url);
  if (known) return known;
  // no-store: the browser's own HTTP cache (which sign-out cannot empty) keeps no copy; the service worker's does, and the wipe deletes it
  const res = await fetch(url, { credentials: 'omit', cache: 'no-store' });
  if (!res.ok) throw new Error(`content ${res.status}`);
  const doc = (await res.json()) as SkillsModule;
  contents.set(url, doc);
  return doc;
}

/** Asks for the content of these modules, so the service worker keeps a copy for offline use. Failures are ignored. */
export function prefetchContent(urls: string[]): void {
  for (const url of urls) if (!contents.has(url)) void loadContent(url).catch(() => undefined);
}
