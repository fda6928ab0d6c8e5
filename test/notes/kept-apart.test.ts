// SUD counselling notes are kept apart (ADR 041): no code outside the notes module reads
// their tables — not exports, FHIR, the patient app's API, the audit browser or any disclosure.
// The demo seed writes them through the module's use cases; schema.ts re-exports tables.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const ALLOWED = new Set(['server/modules/notes/notes.tables.ts', 'server/modules/notes/counselling-notes.ts', 'server/db/schema.ts']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'migrations' ? [] : files(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

describe('counselling notes kept apart', () => {
  it('only the notes module names their tables', () => {
    const offenders = ['server', 'contracts', 'core'] // the web has no database: its API calls are the routes'
      .flatMap((d) => files(join(ROOT, d)))
      .map((p) => relative(ROOT, p))
      .filter((p) => !ALLOWED.has(p))
      .filter((p) => /counsellingNotes\b|counsellingNoteGrants\b|counselling_notes|counselling_note_grants/.test(readFileSync(join(ROOT, p), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
