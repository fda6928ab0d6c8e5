// `waypoint cm presets` and `waypoint cm forecast`: the CM protocol presets with
// their citations and costs, and the Monte Carlo budget forecast. Registered by
// server/cli/cm.ts; every heavy import happens inside an action handler.
import type { Command } from 'commander';
import { guarded, InputError, loadProtocol } from './io.ts';

function parseWhole(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new InputError([`${name} must be a whole number (got ${JSON.stringify(raw)})`]);
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InputError([`${name} must be from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (got ${raw})`]);
  return n;
}

function parseProbability(name: string, raw: string): number {
  const t = raw.trim();
  const n = Number(t);
  if (t === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InputError([`${name}: each probability must be a number from 0 to 1 (got ${JSON.stringify(raw)})`]);
  return n;
}

function parseCurve(name: string, raw: string): number[] {
  const parts = raw.split(',');
  if (parts.length === 0 || raw.trim() === '') throw new InputError([`${name} needs at least one probability, e.g. 0.4,0.5,0.6`]);
  return parts.map((p) => parseProbability(name, p));
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const money = (cents: number): string => {
  const c = Math.round(cents);
  const abs = Math.abs(c);
  return `${c < 0 ? '-' : ''}$${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
};
/** Cents rounded to hundredths of a cent for JSON (no float noise like 45247.200000000004). */
const r2 = (cents: number): number => Math.round(cents * 100) / 100;

function table(rows: string[][], rightAlign: ReadonlySet<number>): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (rightAlign.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function progressBar(): ((f: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (f: number) => {
    const pct = Math.floor(f * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round(f * width);
    process.stderr.write(`\rSimulating [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(pct).padStart(3)}%`);
    if (f >= 1) process.stderr.write('\r\x1b[2K');
  };
}

interface ForecastOptions {
  protocol?: string;
  preset?: string;
  patients: string;
  weeks?: string;
  success: string;
  attendance: string;
  bonus: string;
  seed: string;
  iterations?: string;
  perWeek?: string[];
  start?: string;
  json?: boolean;
}

export function registerPresetCommands(cm: Command): void {
  cm.command('presets')
    .description('List the CM protocol presets: citation, weeks, maximum and expected cost per patient')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }) => {
      const { presetSummaries } = await import('../../core/cm/presets.ts');
      const list = presetSummaries();
      if (opts.json) {
        const out = list.map((s) => ({
          name: s.name,
          title: s.title,
          citation: s.citation,
          targets: s.targets,
          weeks: s.weeks,
          schedule: s.schedule,
          maxCents: s.maxCents,
          allSuccessExpectedCents: r2(s.allSuccessExpectedCents),
          maxDraws: s.maxDraws,
          drawEvCents: s.drawEvCents === null ? null : r2(s.drawEvCents),
          voucherMaxCents: s.cost.voucherMaxCents,
          maxLimitedBy: s.cost.maxLimitedBy,
          cautions: s.cautions.map((c) => c.code),
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const rows = [['preset', 'weeks', 'max / patient', 'all-success expected', 'draws', 'EV / draw', 'rewards']];
      for (const s of list) {
        rows.push([
          s.name,
          String(s.weeks),
          money(s.maxCents),
          money(s.allSuccessExpectedCents),
          s.maxDraws ? String(s.maxDraws) : '-',
          s.drawEvCents === null ? '-' : `$${(s.drawEvCents / 100).toFixed(3)}`,
          s.targets.map((t) => t.split(':')[0]).join(', '),
        ]);
      }
      const lines = [table(rows, new Set([1, 2, 3, 4, 5])), ''];
      lines.push('max / patient: the most one patient can cost (for draws: every draw wins the top prize), after caps.');
      lines.push('all-success expected: every opportunity succeeds and every draw is worth the expected value.');
      lines.push('');
      for (const s of list) {
        lines.push(`${s.name}: ${s.title}`);
        lines.push(`  ${s.citation}`);
        for (const c of s.cautions) lines.push(`  CAUTION ${c.code}: ${c.message}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  cm.command('forecast')
    .description('Monte Carlo budget forecast for a protocol: cost per patient and per programme')
    .option('--protocol <file>', 'protocol JSON file')
    .option('--preset <name>', 'a preset (see `waypoint cm presets`)')
    .option('--patients <n>', 'patients in the programme', '100')
    .option('--weeks <n>', "weeks to simulate (default: the protocol's weeks)")
    .option('--success <p,p,…>', 'probability that an attended opportunity succeeds, by week (last value repeats)', '0.5')
    .option('--attendance <p>', "probability that a patient turns up for an opportunity (a missed one takes the track's missed policy)", '1')
    .option('--bonus <p>', 'probability that a bonus target (e.g. opioid-negative) also holds on a success', '1')
    .option('--seed <n>', 'seed of the simulation (same seed, same result)', '1')
    .option('--iterations <n>', 'simulated programmes (default: enough for 100,000 patient courses)')
    .option('--per-week <track=n[,n…]>', 'opportunities per week on a track, by week (repeatable)', collect)
    .option('--start <date>', 'enrolment start YYYY-MM-DD, for calendar-month and -year caps', '2026-01-05')
    .option('--json', 'print JSON instead of text')
    .action(
      guarded(async (opts: ForecastOptions) => {
        try {
          await runForecast(opts);
        } catch (e) {
          if (e instanceof Error && e.name === 'ForecastInputError') throw new InputError([e.message]);
          throw e;
        }
      }),
    );
}

async function runForecast(opts: ForecastOptions): Promise<void> {
  if ((opts.protocol === undefined) === (opts.preset === undefined)) throw new InputError(['give exactly one of --protocol FILE or --preset NAME']);
  const patients = parseWhole('--patients', opts.patients, 1, 10_000_000);
  const weeks = opts.weeks === undefined ? undefined : parseWhole('--weeks', opts.weeks, 1, 520);
  const iterations = opts.iterations === undefined ? undefined : parseWhole('--iterations', opts.iterations, 1, 20_000_000);
  const success = parseCurve('--success', opts.success);
  const attendance = parseProbability('--attendance', opts.attendance);
  const bonus = parseProbability('--bonus', opts.bonus);
  const seedRaw = opts.seed.trim();
  const seed: number | string = /^-?\d+$/.test(seedRaw) && Number.isSafeInteger(Number(seedRaw)) ? Number(seedRaw) : seedRaw;
  if (seedRaw === '') throw new InputError(['--seed must not be empty']);
  if (opts.start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.start)) throw new InputError([`--start must be a date YYYY-MM-DD (got ${JSON.stringify(opts.start)})`]);

  const [presets, { forecast }] = await Promise.all([import('../../core/cm/presets.ts'), import('../../core/cm/forecast.ts')]);
  type Protocol = import('../../core/cm/protocol.ts').Protocol;
  let protocol: Protocol;
  let schedule: Record<string, number | readonly number[]> = {};
  if (opts.preset !== undefined) {
    const p = presets.getPreset(opts.preset);
    if (!p) throw new InputError([`unknown preset "${opts.preset}" (presets: ${presets.presetNames().join(', ')})`]);
    protocol = p;
    schedule = { ...(presets.presetSchedule(opts.preset) ?? {}) };
  } else {
    protocol = (await loadProtocol({ protocol: opts.protocol }, true))!;
  }
  for (const spec of opts.perWeek ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    if (!m) throw new InputError([`--per-week must look like track=2 or track=2,2,1 (got ${JSON.stringify(spec)})`]);
    const id = m[1]!.trim();
    if (!protocol.tracks.some((t) => t.id === id)) throw new InputError([`--per-week: unknown track "${id}" (tracks: ${protocol.tracks.map((t) => t.id).join(', ')})`]);
    schedule[id] = m[2]!.split(',').map((v) => parseWhole(`--per-week ${id}`, v, 0, 50));
  }

  const result = forecast({
    protocol,
    patients,
    ...(weeks !== undefined ? { weeks } : {}),
    ...(iterations !== undefined ? { iterations } : {}),
    schedule,
    success,
    attendance,
    bonusSuccess: bonus,
    seed,
    start: opts.start ?? '2026-01-05',
    onProgress: progressBar(),
  });

  const a = result.analytic;
  if (opts.json) {
    const dist = result.perPatient;
    const out = {
      protocol: { id: protocol.id, version: protocol.version, name: protocol.name, preset: opts.preset ?? null },
      assumptions: { patients, weeks: result.weeks, iterations: result.iterations, success, attendance, bonus, seed, start: opts.start ?? '2026-01-05', schedule: a.schedule },
      perPatient: {
        meanCents: r2(dist.meanCents),
        sdCents: r2(dist.sdCents),
        p50Cents: r2(dist.p50Cents),
        p90Cents: r2(dist.p90Cents),
        p99Cents: r2(dist.p99Cents),
        minCents: r2(dist.minCents),
        maxCents: r2(dist.maxCents),
        meanVoucherCents: r2(dist.meanVoucherCents),
        meanPrizeCents: r2(dist.meanPrizeCents),
        meanDraws: Math.round(dist.meanDraws * 1e4) / 1e4,
      },
      programme: {
        meanCents: r2(result.programme.meanCents),
        p50Cents: r2(result.programme.p50Cents),
        p90Cents: r2(result.programme.p90Cents),
        p99Cents: r2(result.programme.p99Cents),
        method: result.programme.method,
      },
      meanDraws: Math.round(result.meanDraws * 1e4) / 1e4,
      capHitProbability: result.capHitProbability,
      analytic: {
        maxCents: a.maxCents,
        allSuccessExpectedCents: r2(a.allSuccessExpectedCents),
        maxDraws: a.maxDraws,
        drawEvCents: r2(a.drawEvCents),
        voucherMaxCents: a.voucherMaxCents,
        uncappedMaxCents: a.uncappedMaxCents,
        maxLimitedBy: a.maxLimitedBy,
        exact: a.exact,
      },
      simulatedPatients: result.simulatedPatients,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const p = result.perPatient;
  const g = result.programme;
  const lines: string[] = [];
  lines.push(`Forecast: ${protocol.name} (${opts.preset ?? protocol.id})`);
  lines.push(
    `Assumptions: ${patients.toLocaleString('en-US')} patients, ${result.weeks} weeks, success ${success.join(',')} by week, attendance ${attendance}, bonus target ${bonus}, seed ${String(seed)}; ${result.simulatedPatients.toLocaleString('en-US')} patient courses simulated.`,
  );
  lines.push('');
  lines.push(
    table(
      [
        ['', 'mean', 'P50 (typical)', 'P90', 'P99'],
        ['per patient', money(p.meanCents), money(p.p50Cents), money(p.p90Cents), money(p.p99Cents)],
        ['programme', money(g.meanCents), money(g.p50Cents), money(g.p90Cents), money(g.p99Cents)],
      ],
      new Set([1, 2, 3, 4]),
    ),
  );
  lines.push('');
  if (a.maxDraws > 0) lines.push(`Draws per patient: ${p.meanDraws.toFixed(1)} on average (at most ${a.maxDraws}); expected value $${(a.drawEvCents / 100).toFixed(3)} a draw.`);
  lines.push(
    `Analytic maximum per patient: ${money(a.maxCents)}${a.maxLimitedBy ? ` (limited by the ${a.maxLimitedBy} cap)` : ''}; if every opportunity succeeds: ${money(a.allSuccessExpectedCents)}${a.maxDraws > 0 ? ' at expected prize value' : ''}.`,
  );
  const caps = Object.entries(result.capHitProbability).filter(([, v]) => v !== null) as [string, number][];
  if (caps.length) lines.push(`Chance a patient reaches a cap: ${caps.map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', ')}.`);
  lines.push(
    g.method === 'simulation'
      ? `Programme percentiles from ${result.iterations.toLocaleString('en-US')} simulated programmes.`
      : 'Programme percentiles from the normal approximation (many patients; see docs/cm-forecast.md).',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
