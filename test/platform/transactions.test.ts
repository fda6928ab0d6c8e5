// The Tx brand (server/platform/db/database.ts): the compiler refuses the pool where a use
// case wants a transaction (the @ts-expect-error lines fail `npm run typecheck` if that
// ever stops being an error), and inTransaction commits together or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { inTransaction, oneStatement, type Database, type Db, type Tx } from '../../server/platform/db/database.ts';
import { testDatabase } from '../support/db.ts';

const wantsTx = (tx: Tx) => tx;

describe('transactions', () => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await testDatabase();
    db = database.db;
    await db.execute(sql`create table tx_probe (n int not null)`);
  });
  afterAll(() => database.close());

  it('the pool is not a Tx; inTransaction and oneStatement make one', async () => {
    // @ts-expect-error — a Db (the pool) is not a transaction
    expect(wantsTx(db)).toBe(db);
    await inTransaction(db, async (tx) => {
      expect(wantsTx(tx)).toBe(tx);
    });
    expect(wantsTx(oneStatement(db))).toBe(db);
  });

  it('inTransaction commits every write, or none when the function throws', async () => {
    await inTransaction(db, async (tx) => {
      await tx.execute(sql`insert into tx_probe values (1)`);
      await tx.execute(sql`insert into tx_probe values (2)`);
    });
    await expect(
      inTransaction(db, async (tx) => {
        await tx.execute(sql`insert into tx_probe values (3)`);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    const result = (await db.execute(sql`select n from tx_probe order by n`)) as unknown as { rows: Array<{ n: number }> };
    expect(result.rows.map((r) => r.n)).toEqual([1, 2]);
  });
});
