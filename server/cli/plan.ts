// `waypoint plan recommend --context FILE` — ranked psychosocial recommendations with
// rationale (clinician text, and patient text in English and Spanish), evidence and cautions,
// as JSON. The planner is imported inside the action. Bad input → every problem on stderr,
// exit 2, no stack trace.
import type { Command } from 'commander';
import { commandGroup, guarded, InputError, readJson, writeJson } from './io.ts';

export function register(program: Command): void {
  const plan = commandGroup(program, 'plan', 'Treatment planning: stage-matched psychosocial recommendations');

  plan
    .command('recommend')
    .description('Print { recommendations: [{ intervention, priority, rationale: { clinician, patient: { en, es } }, evidence, rules }], cautions: [{ code, text }] } as JSON')
    .requiredOption(
      '--context <file>',
      'JSON patient context (stage, moud, prefersNonMedication, substances, phq9, phq9Item9, gad7, recentOverdose, family, needs, mutualHelp, prefersSecular, cmAvailable); missing fields mean unknown',
    )
    .action(
      guarded(async (opts: { context: string }) => {
        const { parseContext, PlanningInputError, recommend } = await import('../../core/planning/index.ts');
        const raw = await readJson(opts.context, 'context');
        let context;
        try {
          context = parseContext(raw);
        } catch (e) {
          if (e instanceof PlanningInputError) throw new InputError(e.problems.map((p) => `context ${opts.context}: ${p.path}: ${p.message}`));
          throw e;
        }
        await writeJson(recommend(context));
      }),
    );
}
