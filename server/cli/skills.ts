// `waypoint skills lint [--dir DIR]` — checks the skills modules (content/skills by default)
// and prints one JSON line per module: { id, languages, screens, exercises, readingGrade: { en },
// sources }. Invalid content: the problems of each module on stderr and exit 2.
import type { Command } from 'commander';
import { commandGroup, guarded, InputError } from './io.ts';

export function register(program: Command): void {
  const skills = commandGroup(program, 'skills', 'Skills modules: the content lint');

  skills
    .command('lint')
    .description('Check every module (complete in English and Spanish, short screens, reading grade, known exercises, sources cited); one JSON line per module')
    .option('--dir <dir>', 'the directory of module files (default: content/skills)')
    .action(
      guarded(async (opts: { dir?: string }) => {
        const { lintDirectory, CONTENT_DIR } = await import('../modules/skills/library.ts');
        const dir = opts.dir ?? CONTENT_DIR;
        let files;
        try {
          files = lintDirectory(dir);
        } catch (e) {
          throw new InputError([`${dir}: cannot read (${(e as { code?: string }).code ?? 'error'})`]);
        }
        if (files.length === 0) throw new InputError([`${dir}: no module files (*.json)`]);
        const problems: string[] = [];
        for (const f of files) {
          if (f.result.summary) process.stdout.write(`${JSON.stringify(f.result.summary)}\n`);
          for (const p of f.result.problems) problems.push(`${f.file}: ${p}`);
        }
        if (problems.length > 0) throw new InputError(problems);
      }),
    );
}
