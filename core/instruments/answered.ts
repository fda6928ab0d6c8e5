/** An administration needs at least one answer: an instrument with none is not saved (staff-entered or on the tablet). */
export function hasAnyAnswer(answers: Record<string, number | null | undefined>): boolean {
  return Object.values(answers).some((v) => v !== null && v !== undefined);
}
