import { describe, expect, it } from 'vitest';
import { isOrganizationPermission, mayActOnAccount, ORGANIZATION_ROLE_PERMISSIONS, PERMISSIONS, ROLE_PERMISSIONS, type AccountRoles } from './roles.ts';

const A = 'program-a';
const B = 'program-b';
const account = (programRoles: Array<[string, string]>, organizationRoles: string[] = []): AccountRoles => ({
  programRoles: programRoles.map(([programId, role]) => ({ programId, role })),
  organizationRoles,
});

describe('mayActOnAccount: a programme administrator acts only on accounts wholly within the programmes they administer', () => {
  const adminOfA = account([[A, 'administrator']]);
  const adminOfAB = account([
    [A, 'administrator'],
    [B, 'administrator'],
  ]);
  const orgAdmin = account([], ['organization-administrator']);

  it('allows an account whose every role is in a programme the actor administers', () => {
    expect(
      mayActOnAccount(
        adminOfA,
        account([
          [A, 'counsellor'],
          [A, 'prescriber'],
        ]),
      ),
    ).toBe(true);
    expect(
      mayActOnAccount(
        adminOfAB,
        account([
          [A, 'counsellor'],
          [B, 'administrator'],
        ]),
      ),
    ).toBe(true);
    expect(mayActOnAccount(adminOfA, adminOfA)).toBe(true); // themselves
  });

  it('refuses an account that also has a role in another programme, whatever the role', () => {
    expect(
      mayActOnAccount(
        adminOfA,
        account([
          [A, 'counsellor'],
          [B, 'administrator'],
        ]),
      ),
    ).toBe(false);
    expect(
      mayActOnAccount(
        adminOfA,
        account([
          [A, 'administrator'],
          [B, 'front-desk'],
        ]),
      ),
    ).toBe(false);
    expect(mayActOnAccount(adminOfA, account([[B, 'counsellor']]))).toBe(false);
  });

  it('a role other than administrator in a programme does not count as administering it', () => {
    const adminAcounsellorB = account([
      [A, 'administrator'],
      [B, 'counsellor'],
    ]);
    expect(
      mayActOnAccount(
        adminAcounsellorB,
        account([
          [A, 'counsellor'],
          [B, 'peer-specialist'],
        ]),
      ),
    ).toBe(false);
  });

  it('refuses an organisation administrator to a programme administrator, even of every programme', () => {
    expect(mayActOnAccount(adminOfAB, account([[A, 'counsellor']], ['organization-administrator']))).toBe(false);
  });

  it('an organisation administrator may act on any account of the organisation', () => {
    expect(
      mayActOnAccount(
        orgAdmin,
        account([
          [A, 'counsellor'],
          [B, 'administrator'],
        ]),
      ),
    ).toBe(true);
    expect(mayActOnAccount(orgAdmin, account([], ['organization-administrator']))).toBe(true);
  });
});

describe('organisation permissions', () => {
  it('only the organisation administrator holds manage:organization; no programme role does', () => {
    expect(ORGANIZATION_ROLE_PERMISSIONS['organization-administrator']).toEqual(['manage:organization']);
    expect(isOrganizationPermission('manage:organization')).toBe(true);
    expect((PERMISSIONS as readonly string[]).includes('manage:organization')).toBe(false);
    for (const perms of Object.values(ROLE_PERMISSIONS)) expect(perms.some((p) => isOrganizationPermission(p))).toBe(false);
  });
});
