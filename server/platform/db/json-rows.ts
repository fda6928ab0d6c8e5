// Rows passed as one JSON parameter (ADR 059): `insertFromJson` inserts what
// json_to_recordset makes of it, so a statement that writes any number of rows keeps one
// shape and can be prepared once (a drizzle `.values(rows)` statement has one parameter per
// value, so its text changes with the row count and is built on every call). The record's
// fields are the table's properties with their columns' SQL types, both from the schema, so
// the rows go as they are: `jsonRows` is JSON.stringify, typed by the table.
import { getTableColumns, sql, type SQL, type SQLChunk, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

type Row<T extends PgTable> = T['$inferSelect'];

/**
 * `insert into <table> (<columns>) select <properties> from json_to_recordset(<rows>::json) as r(<property> <type>, …)`
 * over every column of the table but `omit` (a column the database fills, such as an identity).
 */
export function insertFromJson<T extends PgTable>(table: T, rows: SQLWrapper, omit: ReadonlyArray<keyof Row<T> & string> = []): SQL {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => !omit.includes(key as keyof Row<T> & string));
  const list = (each: (column: (typeof columns)[number]) => SQLChunk) => sql.join(columns.map(each), sql`, `);
  const names = list(([, column]) => sql.identifier(column.name));
  const fields = list(([key]) => sql.identifier(key));
  const record = list(([key, column]) => sql`${sql.identifier(key)} ${sql.raw(column.getSQLType())}`);
  return sql`insert into ${table} (${names}) select ${fields} from json_to_recordset(${rows}::json) as r(${record})`;
}

/**
 * Rows as the JSON `insertFromJson` reads: the rows themselves, keyed by property. Every
 * column is given (a property left out is null, not the column's default); dates become ISO
 * timestamps, and JSON columns nest as JSON.
 */
export function jsonRows<T extends PgTable>(_table: T, rows: ReadonlyArray<Partial<Row<T>>>): string {
  return JSON.stringify(rows);
}
