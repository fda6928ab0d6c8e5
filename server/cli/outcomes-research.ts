// `waypoint outcomes research-export` (issue 17, docs/outcomes.md "The de-identified research
// export"): writes export.csv and dictionary.csv to --out and prints the check as JSON. Opens the
// database like `waypoint migrate`; the disclosures (one per patient, research exception) and the
// audit row are recorded by the system (no signed-in person: the CLI's user agent and request id).
// Every heavy import happens inside the action.
import type { Command } from 'commander';
import { guarded, InputError, withProgramme, writeJson } from './io.ts';

type Opts = { from: string; to: string; recipient: string; purpose: string; out: string; program?: string };

export function registerResearchExport(group: Command): void {
  group
    .command('research-export')
    .description('Make the de-identified research export of the admissions of a period: writes export.csv and dictionary.csv to --out; prints the k check (JSON)')
    .requiredOption('--from <date>', 'first admission date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last admission date (YYYY-MM-DD)')
    .requiredOption('--recipient <name>', 'the researcher or organisation that receives it')
    .requiredOption('--purpose <text>', 'the study: recorded as the reason of each disclosure')
    .requiredOption('--out <dir>', 'the directory to write export.csv and dictionary.csv to (created if missing)')
    .option('--program <name>', 'the programme (name or id); needed when there are several')
    .action(
      guarded(async (o: Opts) => {
        const { ResearchExportCreate } = await import('../../contracts/outcomes-research.ts');
        const parsed = ResearchExportCreate.safeParse({ from: o.from, to: o.to, recipient: o.recipient, purpose: o.purpose });
        if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'input')}: ${i.message}`));
        const result = await withProgramme(o.program, async (db, ids) => {
          const { inTransaction } = await import('../platform/db/database.ts');
          const { systemCtx } = await import('../platform/http/context.ts');
          const { AppError } = await import('../platform/errors.ts');
          const { researchExport } = await import('../modules/outcomes/research-export.ts');
          try {
            return await inTransaction(db, (tx) => researchExport({ tx, ctx: systemCtx({ ...ids, requestId: 'cli-outcomes-research-export' }) }, parsed.data));
          } catch (e) {
            if (e instanceof AppError && e.status === 400)
              throw new InputError((e.problems.length > 0 ? e.problems : [{ field: 'input', message: e.message }]).map((p) => `--${p.field.replace(/^body\./, '')}: ${p.message}`));
            throw e;
          }
        });
        const { mkdir, writeFile } = await import('node:fs/promises');
        const { join } = await import('node:path');
        await mkdir(o.out, { recursive: true });
        await writeFile(join(o.out, 'export.csv'), result.csv);
        await writeFile(join(o.out, 'dictionary.csv'), result.dictionaryCsv);
        const { csv: _csv, dictionaryCsv: _dict, ...check } = result;
        await writeJson({ ...check, files: [join(o.out, 'export.csv'), join(o.out, 'dictionary.csv')] });
      }),
    );
}
