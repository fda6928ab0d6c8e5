// Placeholder: filled in by the outcomes work (issue 17).
export function ResearchExportSection(_props: { from: string; to: string }) {
  return null;
}
