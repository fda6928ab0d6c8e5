// `waypoint meetings import|export` (issue 15, docs/meetings.md "Sources and import", "Export").
// Opens the database like `waypoint migrate`; the programme is --program (name or id), or the
// only one when the installation has one. Every heavy import happens inside the action.
import type { Command } from 'commander';
import { commandGroup, guarded, InputError, readJson, withProgramme, writeJson } from './io.ts';

type Common = { program?: string; source?: string };

export function register(program: Command): void {
  const group = commandGroup(program, 'meetings', 'The meeting directory: import and export feeds');
  group
    .command('import')
    .description('Import a Meeting Guide or BMLT file into a source (created on first use); prints { added, updated, inactivated, rejected }')
    .requiredOption('--format <format>', 'meeting-guide | bmlt')
    .requiredOption('--file <file>', 'the feed (JSON)')
    .option('--source <name>', 'the source to import into (default: the file name)')
    .option('--formats <file>', 'BMLT only: the server’s GetFormats answer (JSON)')
    .option('--time-zone <tz>', 'the time zone of records that name none, for a new source (default: the programme’s)')
    .option('--program <name>', 'the programme (name or id); needed when there are several')
    .action(
      guarded(async (o: Common & { format: string; file: string; formats?: string; timeZone?: string }) => {
        if (o.format !== 'meeting-guide' && o.format !== 'bmlt') throw new InputError([`--format must be meeting-guide or bmlt (got ${JSON.stringify(o.format)})`]);
        if (o.formats !== undefined && o.format !== 'bmlt') throw new InputError(['--formats is for --format bmlt only']);
        const feed = await readJson(o.file, 'file');
        const formats = o.formats === undefined ? undefined : await readJson(o.formats, '--formats');
        const { basename } = await import('node:path');
        const name = o.source ?? basename(o.file).replace(/\.json$/i, '');
        const result = await withProgramme(o.program, async (db, ids) => {
          const { inTransaction } = await import('../platform/db/database.ts');
          const { systemCtx } = await import('../platform/http/context.ts');
          const { sourceByName, createSource } = await import('../modules/meetings/sources.ts');
          const { importFeed } = await import('../modules/meetings/import.ts');
          const { programs } = await import('../modules/programs/programs.tables.ts');
          const { eq } = await import('drizzle-orm');
          const ctx = systemCtx({ ...ids, requestId: 'cli-meetings-import' });
          return inTransaction(db, async (tx) => {
            let source = await sourceByName(tx, ids.programId, name);
            if (source && source.format !== o.format) throw new InputError([`--source ${name} is a ${source.format} source, not ${o.format}`]);
            if (!source) {
              const [p] = await tx.select({ timeZone: programs.timeZone }).from(programs).where(eq(programs.id, ids.programId));
              await createSource({ tx, ctx }, { name, format: o.format as 'meeting-guide' | 'bmlt', defaultTimeZone: o.timeZone ?? p!.timeZone });
              source = (await sourceByName(tx, ids.programId, name))!;
            }
            return importFeed({ tx, ctx }, source.id, feed, formats);
          });
        });
        await writeJson({ added: result.added, updated: result.updated, inactivated: result.inactivated, rejected: result.rejected });
      }),
    );
  group
    .command('export')
    .description('Print a source’s active meetings as a Meeting Guide feed (JSON)')
    .requiredOption('--source <name>', 'the source')
    .option('--program <name>', 'the programme (name or id); needed when there are several')
    .action(
      guarded(async (o: Common & { source: string }) => {
        const feed = await withProgramme(o.program, async (db, ids) => {
          const { inTransaction } = await import('../platform/db/database.ts');
          const { systemCtx } = await import('../platform/http/context.ts');
          const { sourceByName, exportMeetings } = await import('../modules/meetings/sources.ts');
          return inTransaction(db, async (tx) => {
            const source = await sourceByName(tx, ids.programId, o.source);
            if (!source) throw new InputError([`--source ${o.source}: no such source`]);
            return exportMeetings({ tx, ctx: systemCtx({ ...ids, requestId: 'cli-meetings-export' }) }, source.id);
          });
        });
        await writeJson(feed);
      }),
    );
}
