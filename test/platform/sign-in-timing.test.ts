// Same timing for unknown emails (issue 11), shown without a stopwatch: what a sign-in
// costs is its argon2id verification, so every answer — a wrong or right password, an
// unknown email, an inactive account, a locked account or a locked unknown email — must
// run exactly one, with the same parameters (memory, iterations, parallelism) as a real
// account's hash. argon2's verify is wrapped here to count the calls and read the
// parameters of the hash each was given.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCKOUT_THRESHOLD } from '../../server/modules/identity/sign-in.ts';
import { PASSWORD, type World } from '../support/world.ts';

const seen = vi.hoisted(() => ({ params: [] as string[] }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: (hash: string, password: string) => {
      // "$argon2id$v=19$m=…,t=…,p=…$salt$hash" → the algorithm, version and cost parameters
      seen.params.push(hash.split('$').slice(1, 4).join('$'));
      return real.verify(hash, password);
    },
  };
});

describe('every sign-in answer costs one argon2id verification with an account hash’s parameters', () => {
  let w: World;
  let accountParams: string;
  beforeAll(async () => {
    // Test files share a worker's modules (ADR 066): the server's may have been loaded with
    // the real argon2 by an earlier file. Loaded afresh here, they import the wrapper above.
    vi.resetModules();
    const { makeWorld } = await import('../support/world.ts');
    w = await makeWorld();
    const [row] = await w.database.query<{ password_hash: string }>('select password_hash from users where id = $1', [w.users['front-desk']]);
    accountParams = row!.password_hash.split('$').slice(1, 4).join('$');
    expect(accountParams).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
    await w.database.query('update users set active = false where id = $1', [w.users['specimen-collector']]);
  });
  afterAll(async () => {
    await w?.close();
  });

  const costOf = async (email: string, password: string) => {
    seen.params.length = 0;
    const r = await w.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
    return { status: r.statusCode, verifications: [...seen.params] };
  };

  it('wrong and right passwords, unknown emails, inactive accounts, and while locked', async () => {
    const real = w.emailOf('front-desk');
    const unknown = 'no-account-here@test.example';
    const inactive = w.emailOf('specimen-collector');
    const one = [accountParams];
    expect(await costOf(real, 'wrong-password-timing')).toEqual({ status: 401, verifications: one });
    expect(await costOf(unknown, 'wrong-password-timing')).toEqual({ status: 401, verifications: one });
    expect(await costOf(inactive, PASSWORD)).toEqual({ status: 401, verifications: one });
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++) {
      await costOf(real, 'wrong-password-timing');
      await costOf(unknown, 'wrong-password-timing');
    }
    expect(await costOf(real, PASSWORD)).toEqual({ status: 423, verifications: one });
    expect(await costOf(unknown, PASSWORD)).toEqual({ status: 423, verifications: one });
    w.clock.advance(16 * 60_000);
    expect(await costOf(real, PASSWORD)).toEqual({ status: 200, verifications: one });
  });
});
