// CM protocol presets with citations (content/cm-presets/*.json), their testing
// schedules, and a cost summary per preset. The JSON files are imported
// statically (core/ does no file I/O) and validated with parseProtocol at load.
import higgins1994 from '../../content/cm-presets/higgins-1994.json' with { type: 'json' };
import ctn0007 from '../../content/cm-presets/ctn-0007.json' with { type: 'json' };
import petryMartin2002 from '../../content/cm-presets/petry-martin-2002.json' with { type: 'json' };
import stimulant24 from '../../content/cm-presets/stimulant-24wk-medicaid.json' with { type: 'json' };
import attendance from '../../content/cm-presets/attendance-vouchers.json' with { type: 'json' };
import adherence from '../../content/cm-presets/medication-adherence.json' with { type: 'json' };
import takeHome from '../../content/cm-presets/methadone-take-home.json' with { type: 'json' };
import skillsModules from '../../content/cm-presets/skills-modules.json' with { type: 'json' };
import { parseProtocol, type Protocol, type Track } from './protocol.ts';
import { analyseCost, type CostAnalysis, type Schedule } from './cost.ts';
import { protocolCautions, type Caution } from './cautions.ts';

interface PresetSource {
  json: unknown;
  /** Testing schedule the preset was designed for (opportunities per week per track). */
  schedule: Schedule;
}

const twelveThenOne: readonly number[] = [...Array<number>(12).fill(2), 1];

const SOURCES: Readonly<Record<string, PresetSource>> = {
  'higgins-1994': { json: higgins1994, schedule: { 'cocaine-abstinence': 3 } },
  'ctn-0007': { json: ctn0007, schedule: { 'stimulant-abstinence': 2 } },
  'petry-martin-2002': { json: petryMartin2002, schedule: { 'cocaine-abstinence': 2 } },
  'stimulant-24wk-medicaid': { json: stimulant24, schedule: { 'stimulant-abstinence': twelveThenOne } },
  'attendance-vouchers': { json: attendance, schedule: { attendance: 2 } },
  'medication-adherence': { json: adherence, schedule: { 'dose-adherence': 7 } },
  'methadone-take-home': { json: takeHome, schedule: { 'take-home': 2 } },
  'skills-modules': { json: skillsModules, schedule: { 'skills-module': 1 } },
};

interface Loaded {
  protocol: Protocol;
  schedule: Schedule;
}

function load(): Map<string, Loaded> {
  const out = new Map<string, Loaded>();
  for (const [name, src] of Object.entries(SOURCES)) {
    const r = parseProtocol(src.json);
    if (!r.ok) {
      throw new Error(`CM preset "${name}" is not a valid protocol: ${r.problems.map((p) => `${p.path || '(document)'}: ${p.message}`).join('; ')}`);
    }
    out.set(name, { protocol: deepFreeze(r.protocol), schedule: src.schedule });
  }
  return out;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

const PRESETS = load();

/** Preset names, in display order. */
export function presetNames(): string[] {
  return [...PRESETS.keys()];
}

/** The preset's protocol (validated, frozen), or undefined for an unknown name. */
export function getPreset(name: string): Protocol | undefined {
  return PRESETS.get(name)?.protocol;
}

/** The testing schedule a preset was designed for, or undefined for an unknown name. */
export function presetSchedule(name: string): Schedule | undefined {
  return PRESETS.get(name)?.schedule;
}

export interface PresetSummary {
  name: string;
  title: string;
  citation: string;
  /** One plain-language line per track: what it rewards and how. */
  targets: string[];
  weeks: number;
  /** Opportunities per week per track the figures assume. */
  schedule: Schedule;
  /** Analytic maximum cost per patient in cents (see cost.ts). */
  maxCents: number;
  /** Cost when every opportunity succeeds, draws at expected value (cents, unrounded). */
  allSuccessExpectedCents: number;
  /** Draws when every opportunity succeeds (0 without a draws track). */
  maxDraws: number;
  /** Expected value of one draw in cents (null without a bowl). */
  drawEvCents: number | null;
  cost: CostAnalysis;
  cautions: Caution[];
}

function describeTrack(t: Track): string {
  const target = t.target;
  let what: string;
  switch (target.kind) {
    case 'negative':
      what = `specimen negative for ${target.analytes.join(', ')}`;
      break;
    case 'attendance':
      what = 'attendance';
      break;
    case 'adherence':
      what = target.source === 'specimen' ? `medication adherence (specimen positive for ${(target.analytes ?? []).join(', ')})` : 'medication adherence (verified dose)';
      break;
    default:
      what = 'module completed';
  }
  const pay = t.payout === 'cents' ? 'vouchers' : t.payout === 'draws' ? 'prize draws' : `privilege (${(t.levels ?? []).join(' → ')})`;
  const bonus = (t.bonusTargets ?? []).map((b) => `+${b.extra} ${t.payout === 'draws' ? 'draws' : 'cents'} if also negative for ${b.target.analytes.join(', ')}`);
  return `${t.id}: ${what} → ${pay}${bonus.length ? `; ${bonus.join('; ')}` : ''}`;
}

/** Summary of a preset, or undefined for an unknown name. */
export function presetSummary(name: string): PresetSummary | undefined {
  const p = PRESETS.get(name);
  if (!p) return undefined;
  const cost = analyseCost(p.protocol, { schedule: p.schedule });
  return {
    name,
    title: p.protocol.name,
    citation: p.protocol.citation,
    targets: p.protocol.tracks.map(describeTrack),
    weeks: cost.weeks,
    schedule: p.schedule,
    maxCents: cost.maxCents,
    allSuccessExpectedCents: cost.allSuccessExpectedCents,
    maxDraws: cost.maxDraws,
    drawEvCents: p.protocol.bowl ? cost.drawEvCents : null,
    cost,
    cautions: protocolCautions(p.protocol),
  };
}

/** Summaries of every preset, in display order. */
export function presetSummaries(): PresetSummary[] {
  return presetNames().map((n) => presetSummary(n)!);
}
