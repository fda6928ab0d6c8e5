// Runs the real CLI: node bin/waypoint.mjs cm …
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'waypoint-cm-'));
function file(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin/waypoint.mjs'), 'cm', ...args], { cwd: root }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const protocol = {
  id: 'p',
  version: 1,
  name: 'P',
  citation: 'test',
  tracks: [{ id: 'stim', target: { kind: 'negative', analytes: ['cocaine'] }, payout: 'cents', phases: [{ fromWeek: 1, toWeek: 12, escalation: { start: 250, step: 125 } }] }],
};
const events = {
  enrolment: { id: 'e1', start: '2026-01-05' },
  events: [
    { id: 'r2', at: '2026-01-07T09:00:00Z', kind: 'specimen', results: { cocaine: 'negative' } },
    { id: 'r1', at: '2026-01-05T04:00:00-05:00', kind: 'specimen', results: { cocaine: 'negative' } },
  ],
};
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |Error:.*\n.*node:internal/);

describe('waypoint cm replay', () => {
  it('prints the exact output for a small file', async () => {
    const r = await cli('replay', '--protocol', file('p.json', protocol), '--events', file('e.json', events));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const row = (event: string, s: number, amountCents: number) => ({
      event,
      track: 'stim',
      outcome: 'success',
      s,
      level: s,
      amountCents,
      bonusCents: 0,
      draws: 0,
      prizes: [],
      privilege: null,
      capped: null,
    });
    const expected = {
      opportunities: [row('r1', 1, 250), row('r2', 2, 375)],
      totals: { earnedCents: 625, draws: 0, prizeCents: 0 },
      ledger: [
        { id: 'r1/stim/earn', kind: 'earn', event: 'r1', track: 'stim', month: '2026-01', cents: 250, n: null, tier: null, capped: null },
        { id: 'r2/stim/earn', kind: 'earn', event: 'r2', track: 'stim', month: '2026-01', cents: 375, n: null, tier: null, capped: null },
      ],
    };
    expect(r.stdout).toBe(JSON.stringify(expected, null, 2) + '\n');
    const again = await cli('replay', '--protocol', join(dir, 'p.json'), '--events', join(dir, 'e.json'), '--seed', '00'.repeat(32));
    expect(again.stdout).toBe(r.stdout);
  });

  it('exits 2 with every problem for a bad protocol', async () => {
    const bad = { ...protocol, version: 0, tracks: [{ ...protocol.tracks[0], payout: 'draws', phases: [{ fromWeek: 3, toWeek: 1, escalation: { start: -1 } }] }] };
    const r = await cli('replay', '--protocol', file('bad.json', bad), '--events', file('e.json', events));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const s of ['version', 'tracks[0].phases[0].escalation.start', 'tracks[0].phases[0].toWeek', 'tracks[0].payout']) expect(r.stderr).toContain(s);
    noStack(r.stderr);
  });

  it('exits 2 naming the event for bad events, and reports protocol problems too', async () => {
    const bad = {
      ...events,
      events: [...events.events, { id: 'zz9', at: 'yesterday', kind: 'specimen', results: {} }, { id: 'c1', at: '2026-01-08T00:00:00Z', kind: 'correction', supersedes: 'nope' }],
    };
    const r = await cli('replay', '--protocol', file('bad2.json', { ...protocol, name: '' }), '--events', file('bad-e.json', bad));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('event "zz9"');
    expect(r.stderr).toContain('unparsable time "yesterday"');
    expect(r.stderr).toContain('event "c1"');
    expect(r.stderr).toContain('not a known specimen');
    expect(r.stderr).toContain('name');
    noStack(r.stderr);
  });

  it('exits 2 on unreadable files, bad JSON, bad seed and usage errors, without a stack trace', async () => {
    for (const args of [
      ['replay', '--protocol', join(dir, 'missing.json'), '--events', join(dir, 'e.json')],
      ['replay', '--protocol', file('notjson.json', '{nope'), '--events', join(dir, 'e.json')],
      ['replay', '--protocol', join(dir, 'p.json'), '--events', join(dir, 'e.json'), '--seed', 'xyz'],
      ['replay', '--events', join(dir, 'e.json')],
      ['replay', '--protocol', join(dir, 'p.json')],
      ['replay', '--bogus'],
      ['nonsense'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      noStack(r.stderr);
    }
  });
});

describe('waypoint cm verify-draws', () => {
  it('re-derives draws and checks the commitment', async () => {
    const ok = await cli('verify-draws', '--seed', '00'.repeat(32), '--enrolment', 'e1', '--draws', '3', '--commitment', '66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925');
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.stdout);
    expect(out.commitmentMatches).toBe(true);
    expect(out.draws.map((d: { slipIndex: number }) => d.slipIndex)).toEqual([6, 169, 372]);
    expect(out.draws.map((d: { tier: string }) => d.tier)).toEqual(['none', 'none', 'small']);
    const bad = await cli('verify-draws', '--seed', '01'.repeat(32), '--enrolment', 'e1', '--draws', '1', '--commitment', '66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).commitmentMatches).toBe(false);
    const usage = await cli('verify-draws', '--seed', '00', '--enrolment', 'e1', '--draws', '0');
    expect(usage.code).toBe(2);
  });
});

describe('waypoint cm settle', () => {
  const cup = (id: string, at: string, cocaine: string) => ({ id, at, kind: 'specimen', results: { cocaine } });
  const fix = (id: string, at: string, cocaine: string) => ({ id, at, kind: 'correction', supersedes: 'r1', results: { cocaine } });

  it('settles each posting in turn: a cup corrected back and forth is paid once, and the balance says so', async () => {
    const postings = {
      enrolment: { id: 'e1', start: '2026-01-05' },
      postings: [
        [cup('r1', '2026-01-05T09:00:00Z', 'negative')],
        [fix('c1', '2026-01-06T09:00:00Z', 'positive')],
        [fix('c2', '2026-01-06T10:00:00Z', 'negative')],
        [fix('c3', '2026-01-06T11:00:00Z', 'positive')],
        [fix('c4', '2026-01-06T12:00:00Z', 'negative')],
      ],
    };
    const r = await cli('settle', '--protocol', file('sp.json', protocol), '--postings', file('sq.json', postings));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      settlements: Array<{ posting: number; tracks: Record<string, { owed: number; paid: number; forgiven: number }>; entries: Array<{ kind: string; cents: number }> }>;
      balanceCents: number;
    };
    expect(out.settlements.map((s) => s.tracks.stim)).toEqual([
      { owed: 250, paid: 250, forgiven: 0 },
      { owed: 0, paid: 250, forgiven: 250 },
      { owed: 250, paid: 250, forgiven: 0 },
      { owed: 0, paid: 250, forgiven: 250 },
      { owed: 250, paid: 250, forgiven: 0 },
    ]);
    expect(out.settlements[0]!.entries).toEqual([{ kind: 'earn', track: 'stim', event: 'r1', cents: 250 }]);
    expect(out.settlements.slice(1).every((s) => s.entries.every((e) => e.kind === 'forgiven'))).toBe(true);
    expect(out.balanceCents).toBe(250);
  });

  it('bad input: exit 2, every problem named by its posting, no stack trace', async () => {
    const r = await cli(
      'settle',
      '--protocol',
      file('sp2.json', protocol),
      '--postings',
      file('sq2.json', { enrolment: { id: 'e1', start: '2026-01-05' }, postings: [[fix('c1', '2026-01-06T09:00:00Z', 'positive')]] }),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/postings\[0\]\[0\]/);
    noStack(r.stderr);
  });
});
