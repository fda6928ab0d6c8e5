// Placeholder: filled in by the outcomes work (issue 17).
export function FunderReportSection() {
  return null;
}
