// Rows written through one JSON parameter (insertFromJson, ADR 059) read back exactly as
// drizzle's own insert writes them: every column type the recording's tables use (uuid,
// text, timestamps, dates, booleans, integers, a database-filled identity, doubles, JSON
// objects and arrays, nulls), a property named apart from its column, one row or several,
// a property left out (null), and none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { bigint, boolean, date, doublePrecision, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { testDatabase } from '../support/db.ts';
import { insertFromJson, jsonRows } from '../../server/platform/db/json-rows.ts';
import type { Database } from '../../server/platform/db/database.ts';

const rowsTable = pgTable('json_rows_test', {
  id: uuid('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  label: text('label').notNull(),
  note: text('note'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  day: date('day').notNull(),
  flag: boolean('flag').notNull(),
  count: integer('count'),
  temperature: doublePrecision('temperature'),
  detail: jsonb('detail').$type<Record<string, unknown>>(),
  reasons: jsonb('reasons').$type<string[]>().notNull(),
  /** a property named apart from its column, as most of the recording's are */
  recordedBy: uuid('recorded_by'),
});

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
  await database.query(`create table json_rows_test (
    id uuid primary key, seq bigint generated always as identity, label text not null, note text, at timestamptz not null, day date not null,
    flag boolean not null, count integer, temperature double precision, detail jsonb, reasons jsonb not null, recorded_by uuid)`);
});
afterAll(async () => {
  await database?.close();
});

type Row = typeof rowsTable.$inferSelect;
const row = (i: number, over: Partial<Row> = {}): Omit<Row, 'seq'> => ({
  id: randomUUID(),
  label: `row ${i} — "quoted", ü, 💊`,
  note: i % 2 ? null : 'line one\nline two',
  at: new Date(Date.UTC(2026, 2, 2, 14, 0, 0, 123 + i)),
  day: '2026-03-02',
  flag: i % 2 === 0,
  count: i % 3 ? i : null,
  temperature: i % 2 ? 34.25 : null,
  detail: i % 2 ? { results: [{ analyte: 'cocaine', result: 'negative', valueNgMl: 12.5 }], nested: { empty: [], none: null } } : null,
  reasons: i % 2 ? [] : ['temperature out of range', 'creatinine low'],
  recordedBy: i % 2 ? randomUUID() : null,
  ...over,
});

const insert = (rows: ReadonlyArray<Omit<Row, 'seq'>>) =>
  database.db
    .with(database.db.$with('written', {}).as(insertFromJson(rowsTable, sql`${jsonRows(rowsTable, rows)}`, ['seq'])))
    .select({ one: sql`1` })
    .from(sql`(select 1) as one`);
const readBack = async (ids: readonly string[]) => (await database.db.select().from(rowsTable).orderBy(asc(rowsTable.seq))).filter((r) => ids.includes(r.id)).map(({ seq: _, ...r }) => r);

describe('insertFromJson', () => {
  it('writes each column as drizzle does, for one row and for several', async () => {
    const one = [row(0)];
    await insert(one);
    const several = [row(1), row(2), row(3), row(4)];
    await insert(several);
    // the same rows through drizzle's own insert read back the same
    const same = [row(5), row(6)];
    await database.db.insert(rowsTable).values(same);
    expect(await readBack(one.map((r) => r.id))).toEqual(one);
    expect(await readBack(several.map((r) => r.id))).toEqual(several);
    expect(await readBack(same.map((r) => r.id))).toEqual(same);
  });

  it('leaves the identity to the database, numbering rows in order', async () => {
    const rows = [row(7), row(8), row(9)];
    await insert(rows);
    const seqs = (await database.db.select({ id: rowsTable.id, seq: rowsTable.seq }).from(rowsTable)).filter((r) => rows.some((x) => x.id === r.id));
    const ordered = rows.map((r) => seqs.find((s) => s.id === r.id)!.seq);
    expect([...ordered].sort((a, b) => a - b)).toEqual(ordered);
  });

  it('writes null for a property left out', async () => {
    const { note: _, count: __, ...partial } = row(10, { note: 'left out', count: 7 });
    await insert([partial as Omit<Row, 'seq'>]);
    expect(await readBack([partial.id])).toEqual([{ ...partial, note: null, count: null }]);
  });

  it('writes nothing for an empty list', async () => {
    const before = (await database.db.select().from(rowsTable)).length;
    await insert([]);
    expect((await database.db.select().from(rowsTable)).length).toBe(before);
  });
});
