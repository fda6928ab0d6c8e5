// Small cells (issue 17, docs/outcomes.md): a count from 1 to 10 in anything that leaves the
// programme could point to a person, so it is suppressed (CMS's cell-size rule, also used by
// state substance-use data systems); and the check a de-identified export reports: the smallest
// group of rows that share the same quasi-identifiers (k in k-anonymity). Pure.

/** The smallest count that may leave the programme (counts 1–10 are suppressed; 0 may be shown). */
export const MIN_CELL = 11;

/** The count, or null when it is a small cell (1 to MIN_CELL − 1). */
export const suppressed = (n: number, min = MIN_CELL): number | null => (n > 0 && n < min ? null : n);

/**
 * The size of the smallest equivalence class: rows grouped by the values of `keys` (the
 * quasi-identifiers). 0 for no rows. An export whose smallest class is below MIN_CELL is not
 * released as is.
 */
export function smallestClass<R extends Record<string, unknown>>(rows: readonly R[], keys: readonly (keyof R)[]): { size: number; classes: number } {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = JSON.stringify(keys.map((k) => r[k] ?? null));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { size: counts.size === 0 ? 0 : Math.min(...counts.values()), classes: counts.size };
}
