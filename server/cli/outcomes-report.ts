// `waypoint outcomes report` (issue 17, docs/outcomes.md "The funders' monthly report"): the
// funders' monthly report as a PDF file, for a programme to run from cron. The month defaults to
// the last full month in the programme's time zone; the same audit row as the download.
import type { Command } from 'commander';
import { guarded, InputError, withProgramme } from './io.ts';

export function registerReport(group: Command): void {
  group
    .command('report')
    .description("Write the funders' monthly report (PDF): census, retention, negative screens; counts 1–10 shown as <11")
    .requiredOption('--out <file>', 'the PDF file to write')
    .option('--month <month>', 'YYYY-MM, not after the month under way (default: the last full month)')
    .option('--lang <lang>', 'en (English) or es (Spanish)', 'en')
    .option('--program <name>', 'the programme (name or id); needed when there are several')
    .action(
      guarded(async (o: { out: string; month?: string; lang: string; program?: string }) => {
        const { MONTH_PATTERN } = await import('../../core/outcomes/report.ts');
        const problems: string[] = [];
        if (o.month !== undefined && !MONTH_PATTERN.test(o.month)) problems.push(`--month must be a month as YYYY-MM (got ${JSON.stringify(o.month)})`);
        if (o.lang !== 'en' && o.lang !== 'es') problems.push(`--lang must be en or es (got ${JSON.stringify(o.lang)})`);
        if (problems.length > 0) throw new InputError(problems);
        const lang = o.lang as 'en' | 'es';
        const report = await withProgramme(o.program, async (db, ids) => {
          const { inTransaction } = await import('../platform/db/database.ts');
          const { systemCtx } = await import('../platform/http/context.ts');
          const { AppError } = await import('../platform/errors.ts');
          const { funderReport } = await import('../modules/outcomes/report.ts');
          try {
            return await inTransaction(db, (tx) => funderReport({ tx, ctx: systemCtx({ ...ids, requestId: 'cli-outcomes-report' }) }, { month: o.month, lang }));
          } catch (e) {
            if (e instanceof AppError && e.status === 400) throw new InputError([`--month ${o.month ?? ''}: ${e.problems[0]?.message ?? e.message}`]);
            throw e;
          }
        });
        const { writeFile } = await import('node:fs/promises');
        try {
          await writeFile(o.out, report.pdf);
        } catch (e) {
          throw new InputError([`--out ${o.out}: cannot write (${(e as { code?: string }).code ?? 'error'})`]);
        }
        process.stderr.write(`wrote ${o.out}: the ${report.lang} report of ${report.month} (${report.pdf.length} bytes)\n`);
      }),
    );
}
