// `waypoint outcomes …` (issue 17, docs/outcomes.md): the programme's outcomes from the command line.
import type { Command } from 'commander';
import { commandGroup } from './io.ts';
import { registerReport } from './outcomes-report.ts';
import { registerResearchExport } from './outcomes-research.ts';

export function register(program: Command): void {
  const group = commandGroup(program, 'outcomes', "The programme's outcomes: the funders' monthly report and the de-identified research export");
  registerReport(group);
  registerResearchExport(group);
}
