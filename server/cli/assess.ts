// `waypoint assess score <instrument> --responses FILE` — score one administration of an
// instrument and print the result as JSON. `register` only defines the command; scoring is
// imported inside the action. Bad input → every problem on stderr, exit 2, no stack trace.
import type { Command } from 'commander';
import { commandGroup, guarded, InputError, readJson, writeJson } from './io.ts';

export function register(program: Command): void {
  const assess = commandGroup(program, 'assess', 'Assessment instruments: score responses (URICA, SOCRATES 8D, readiness rulers, PHQ-9, GAD-7, BAM, Opioid Craving Scale)');

  assess
    .command('score')
    .description('Score one administration and print { instrument, complete, missing, scores, band?, stage?, alerts } as JSON')
    .argument('<instrument>', 'urica | socrates-8d | readiness-ruler | phq-9 | gad-7 | bam | opioid-craving')
    .requiredOption('--responses <file>', 'JSON file: { "answers": { "<item number>": <value>, … } } (readiness-ruler also takes "targetBehavior")')
    .option('--stage-method <method>', 'URICA stage assignment: highest-subscale (default) | readiness-cutoffs | nearest-group-mean')
    .action(
      guarded(async (instrument: string, opts: { responses: string; stageMethod?: string }) => {
        const { INSTRUMENT_IDS, InstrumentInputError, UnknownInstrumentError, scoreInstrument, URICA_STAGE_METHODS } = await import('../../core/instruments/index.ts');
        if (!(INSTRUMENT_IDS as readonly string[]).includes(instrument)) {
          throw new InputError([`unknown instrument "${instrument}"; valid ids: ${INSTRUMENT_IDS.join(', ')}`]);
        }
        const method = opts.stageMethod;
        if (method !== undefined && !(URICA_STAGE_METHODS as readonly string[]).includes(method)) {
          throw new InputError([`--stage-method "${method}" is not one of: ${URICA_STAGE_METHODS.join(', ')}`]);
        }
        const input = await readJson(opts.responses, 'responses');
        try {
          const result = scoreInstrument(instrument, input, method === undefined ? {} : { uricaStageMethod: method as (typeof URICA_STAGE_METHODS)[number] });
          await writeJson(result);
        } catch (e) {
          if (e instanceof InstrumentInputError) {
            throw new InputError(e.problems.map((p) => `responses ${opts.responses}: item ${p.item}: ${p.message}`));
          }
          if (e instanceof UnknownInstrumentError) throw new InputError([e.message]);
          throw e;
        }
      }),
    );
}
