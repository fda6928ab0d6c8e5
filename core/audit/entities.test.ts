// Every kind of record the server writes audit rows about has a plain name and a group in
// both languages of the console, so an auditor never meets a bare code like `cm-draws`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ORGANIZATION_PERMISSIONS } from '../access/roles.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, AUDIT_PURPOSES, AUDIT_ENTITY_GROUPS, auditEntitiesIn, entityOfPermission, isAuditEntity } from './entities.ts';

const root = join(import.meta.dirname, '..', '..');
const locales = ['en', 'es'].map((l) => [l, JSON.parse(readFileSync(join(root, 'web', 'src', 'i18n', `${l}.json`), 'utf8')) as { audit: Record<string, Record<string, unknown>> }] as const);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('audit record kinds', () => {
  it('every record kind written by the server is in the catalogue (source scan)', () => {
    const written = new Set<string>();
    for (const file of sources(join(root, 'server'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bentity: '([^']+)'/g)) written.add(m[1]!);
      // `cm-${input.kind}` check-ins: attendance and dose
      if (/\bentity: `cm-\$\{input\.kind\}`/.test(text)) for (const k of ['attendance', 'dose']) written.add(`cm-${k}`);
    }
    expect(written.size).toBeGreaterThan(30);
    expect([...written].filter((e) => !isAuditEntity(e))).toEqual([]);
  });

  it('every permission’s record kind (what a refusal names) is in the catalogue', () => {
    const missing = [...PERMISSIONS, ...ORGANIZATION_PERMISSIONS].map(entityOfPermission).filter((e) => !isAuditEntity(e));
    expect(missing).toEqual([]);
    expect(entityOfPermission('approve:redemption')).toBe('redemption');
    expect(entityOfPermission('manage:organization')).toBe('organization');
  });

  it('every record kind, group, action, purpose and outcome has an English and a Spanish name', () => {
    for (const [lang, m] of locales) {
      const missing = [
        ...Object.keys(AUDIT_ENTITIES)
          .filter((e) => typeof m.audit.entities?.[e] !== 'string')
          .map((e) => `entities.${e}`),
        ...AUDIT_ENTITY_GROUPS.filter((g) => typeof m.audit.groups?.[g] !== 'string').map((g) => `groups.${g}`),
        ...AUDIT_ACTIONS.filter((a) => typeof m.audit.actions?.[a] !== 'string').map((a) => `actions.${a}`),
        ...AUDIT_PURPOSES.filter((p) => typeof m.audit.purposes?.[p] !== 'string').map((p) => `purposes.${p}`),
        ...['success', 'failure', 'denied'].filter((o) => typeof m.audit.outcomes?.[o] !== 'string').map((o) => `outcomes.${o}`),
      ];
      expect(missing, `${lang}.json audit.*`).toEqual([]);
    }
  });

  it('names are distinct within a language, so two kinds never read alike in the filter', () => {
    for (const [lang, m] of locales) {
      const names = Object.keys(AUDIT_ENTITIES).map((e) => String(m.audit.entities?.[e]));
      expect(
        names.filter((n, i) => names.indexOf(n) !== i),
        lang,
      ).toEqual([]);
    }
  });

  it('every group holds at least one kind, and every kind is in exactly one group', () => {
    const grouped = AUDIT_ENTITY_GROUPS.flatMap(auditEntitiesIn);
    expect(AUDIT_ENTITY_GROUPS.every((g) => auditEntitiesIn(g).length > 0)).toBe(true);
    expect(grouped.sort()).toEqual(Object.keys(AUDIT_ENTITIES).sort());
  });
});
