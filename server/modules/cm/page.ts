// Keyset pagination for the CM collections, like the rest of the API: `limit` (default 50,
// max 200) and an opaque `cursor` → `{ items, nextCursor }`. The cursor is the sort key of
// the last item (base64url JSON); each part is checked before it reaches SQL.
import { invalid } from '../../platform/errors.ts';

export type Page = { limit: number; cursor?: string | undefined };
export type CursorPart = 'text' | 'uuid' | 'time';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ok: Record<CursorPart, (v: string) => boolean> = {
  text: (v) => v.length <= 200,
  uuid: (v) => UUID.test(v),
  time: (v) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) && !Number.isNaN(Date.parse(v)),
};

export const encodeCursor = (parts: readonly string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The decoded sort key, or null for the first page; a cursor of the wrong shape is 400 naming query.cursor. */
export function decodeCursor(cursor: string | undefined, shape: readonly CursorPart[]): string[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === shape.length && v.every((x, i) => typeof x === 'string' && ok[shape[i]!](x))) return v as string[];
  } catch {
    /* fall through */
  }
  throw invalid('query.cursor', 'is not valid; start again from the first page');
}

/** Rows fetched with limit + 1 → the page and the cursor of its last item (null on the last page). */
export function pageOf<T, U = T>(rows: T[], limit: number, key: (row: T) => readonly string[], map?: (row: T) => U): { items: U[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return {
    items: map ? page.map(map) : (page as unknown as U[]),
    nextCursor: more && page.length > 0 ? encodeCursor(key(page[page.length - 1]!)) : null,
  };
}

/**
 * A page of a list that is computed whole and ordered by a rule (a work list sorted by how
 * overdue each item is): the items after the one the cursor names (by `id`), `limit` of them.
 * The cursor is that item's id; when it has left the list since, the cursor is 400 (start
 * again from the first page), as for any cursor that no longer fits.
 */
export function pageOfList<T>(sorted: readonly T[], page: Page, id: (item: T) => string): { items: T[]; nextCursor: string | null } {
  const after = decodeCursor(page.cursor, ['text']);
  let start = 0;
  if (after) {
    const at = sorted.findIndex((x) => id(x) === after[0]);
    if (at < 0) throw invalid('query.cursor', 'is not valid; start again from the first page');
    start = at + 1;
  }
  return pageOf(sorted.slice(start, start + page.limit + 1), page.limit, (x) => [id(x)]);
}
