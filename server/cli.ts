// `waypoint …` — the command line. Each command group lives in server/cli/<group>.ts
// and is imported only when used, so `waypoint cm replay` never loads the server.
import { Command } from 'commander';

const program = new Command('waypoint').description('Waypoint: psychosocial treatment for opioid use disorder').showHelpAfterError();

type Registrar = (program: Command) => void | Promise<void>;
const groups: Array<() => Promise<{ register: Registrar }>> = [
  () => import('./cli/platform.ts'),
  () => import('./cli/cm.ts'),
  () => import('./cli/assess.ts'),
  () => import('./cli/plan.ts'),
  () => import('./cli/skills.ts'),
  () => import('./cli/meetings.ts'),
  () => import('./cli/outcomes.ts'),
];

for (const load of groups) {
  const mod = await load();
  await mod.register(program);
}

await program.parseAsync(process.argv);
