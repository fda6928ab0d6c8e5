// The de-identified research export over HTTP (issue 17, docs/outcomes.md "The de-identified
// research export"): who receives it and for which study, the admissions' period; answered with
// the export and its data dictionary as CSV and the k check. A disclosure under the research
// exception: one per patient included, in each patient's accounting of disclosures.
import { z } from 'zod';
import { IsoDate } from './common.ts';

export const ResearchExportCreate = z.strictObject({
  /** Admission dates from–to (inclusive). */
  from: IsoDate,
  to: IsoDate,
  /** The researcher or organisation that receives it. */
  recipient: z.string().trim().min(2).max(200),
  /** The study: what the data are for (recorded as the disclosure's reason). */
  purpose: z.string().trim().min(10).max(1000),
});

const Count = z.number().int().min(0);

export const ResearchExport = z.object({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  /** One line per admission (header first), CRLF line ends. */
  csv: z.string(),
  /** Every column with its meaning, type, unit and how it was de-identified. */
  dictionaryCsv: z.string(),
  rows: Count,
  /** The check: the least number of rows any class of quasi-identifiers may have, the smallest class released (0: none), the rows generalised and suppressed. */
  k: Count,
  quasiIdentifiers: z.array(z.string()),
  smallestClass: Count,
  classes: Count,
  generalisedRows: Count,
  suppressedRows: Count,
  /** Disclosures recorded: one per patient included. */
  disclosures: Count,
});

export type ResearchExportCreate = z.infer<typeof ResearchExportCreate>;
export type ResearchExport = z.infer<typeof ResearchExport>;
