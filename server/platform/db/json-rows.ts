// Rows passed as one JSON parameter (ADR 059): `insertFromJson` inserts what
// json_populate_recordset makes of it, so a statement that writes any number of rows keeps
// one shape and can be prepared once (a drizzle `.values(rows)` statement has one
// parameter per value, so its text changes with the row count and is built on every call).
// The column list comes from the table's schema; `jsonRows` keys each row by column name.
import { getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

type Row<T extends PgTable> = T['$inferSelect'];

/**
 * `insert into <table> (<columns>) select <columns> from json_populate_recordset(null::<table>, <rows>::json)`
 * over every column of the table but `omit` (a column the database fills, such as an identity).
 */
export function insertFromJson<T extends PgTable>(table: T, rows: SQLWrapper, omit: ReadonlyArray<keyof Row<T> & string> = []): SQL {
  const columns = sql.join(
    Object.entries(getTableColumns(table))
      .filter(([key]) => !omit.includes(key as keyof Row<T> & string))
      .map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  );
  return sql`insert into ${table} (${columns}) select ${columns} from json_populate_recordset(null::${table}, ${rows}::json)`;
}

/**
 * Rows as the JSON `insertFromJson` reads: each keyed by column name. Every column is given
 * (a value left out would be null, not the column's default); dates become ISO timestamps,
 * and JSON columns nest as JSON.
 */
export function jsonRows<T extends PgTable>(table: T, rows: ReadonlyArray<Partial<Row<T>>>): string {
  const columns = columnNames(table);
  return JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, name] of columns) out[name] = (row as Record<string, unknown>)[key] ?? null;
      return out;
    }),
  );
}

/** [property, column name] of each column of a table, worked out once per table. */
const columnNamesOf = new WeakMap<PgTable, Array<[string, string]>>();
function columnNames(table: PgTable): Array<[string, string]> {
  let names = columnNamesOf.get(table);
  if (!names) columnNamesOf.set(table, (names = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name])));
  return names;
}
