// The funders' monthly report over HTTP (issue 17, docs/outcomes.md "The funders' monthly
// report"): which month, in which language. The answer is a PDF (application/pdf), aggregates
// only, small cells suppressed.
import { z } from 'zod';
import { MONTH_PATTERN } from '../core/outcomes/report.ts';

/** The languages the report is written in. */
export const REPORT_LANGS = ['en', 'es'] as const;

export const FunderReportQuery = z.strictObject({
  month: z
    .string()
    .regex(MONTH_PATTERN, { message: 'must be a month as YYYY-MM' })
    .optional()
    .describe('YYYY-MM, not after the month under way (default: the last full month, in the programme’s time zone)'),
  lang: z.enum(REPORT_LANGS).default('en').describe('en: English; es: Spanish'),
});

export type FunderReportQuery = z.infer<typeof FunderReportQuery>;
