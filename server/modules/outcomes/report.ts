// The funders' monthly report (issue 17, docs/outcomes.md "The funders' monthly report"): a PDF,
// in English or Spanish, of one month of the programme — the census, retention of the 12 months'
// admissions by level of care, the month's negative opioid screens with the trend over the
// first 12 weeks after admission, and what the CM enrolments of the 12 months cost, each with
// the counts behind it. It leaves the programme, so every count from 1 to 10 is printed "<11"
// and a rate, or a cost per patient or per screen, resting on one is not shown
// (core/outcomes/report.ts). The figures come from the same functions as the dashboard
// (retentionOf, screenOutcomesOf, scheduledScreensOf in outcomes.ts; cmCostOf in cm-cost.ts);
// each section is a builder in SECTIONS returning layout-neutral blocks, so other measures add
// a section, not a renderer.
// Drawn with pdfkit (ADR 056): its standard Helvetica covers Spanish, no browser is needed.
// One audit row: 'export' of 'outcomes', no patient named.
import PDFDocument from 'pdfkit';
import { and, eq, gte, isNull, lte, or } from 'drizzle-orm';
import { localDate } from '../../../core/cm/calendar.ts';
import { CONVENTIONS, negativeRate, weeklyOutcomes, type Outcome } from '../../../core/outcomes/screens.ts';
import { census, lastFullMonth, reportPeriod, shownCount, shownPer, shownRate, shownSurvival, TREND_WEEKS, weeksStartingIn } from '../../../core/outcomes/report.ts';
import type { FunderReportQuery } from '../../../contracts/outcomes-report.ts';
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { invalid } from '../../platform/errors.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { programTimeZone } from '../cm/settle.ts';
import { episodes } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import type { Period } from './admissions.ts';
import { cmCostOf } from './cm-cost.ts';
import { retentionOf, scheduledScreensOf, screenOutcomesOf } from './outcomes.ts';
import { LEVEL_OF_CARE_WORDS, wordsOf, type ReportLang } from './report-words.ts';

type Deps = { tx: Tx; ctx: Ctx };

/** What every section knows of the report: the programme, the month and its periods, the words and formats of the language. */
export type ReportScope = {
  programId: string;
  programme: string;
  lang: ReportLang;
  month: string;
  /** The month's first and last day; the data read up to asOf (the last day, or today for the month under way). */
  first: string;
  last: string;
  asOf: string;
  tz: string;
  /** The admissions the retention and the trend follow: the 12 months to the month's end. */
  window: Period;
  generatedOn: string;
  t: ReturnType<typeof wordsOf>;
  /** A count as it may leave the programme: "<11" for 1–10. */
  count: (n: number) => string;
  /** A percentage (0–100) with one decimal; `hidden` (a count behind it suppressed) → "Not shown"; null → "Not recorded". */
  percent: (p: number | null, hidden?: boolean) => string;
  /** Integer (or unrounded) cents as US dollars in the language's format, "$1,234.50"; null → "Not recorded". */
  money: (cents: number | null) => string;
  date: (d: string) => string;
};

/** What a section lays out; the renderer draws it (PDF today). */
export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'figures'; rows: [label: string, value: string][] }
  | { kind: 'table'; head: string[]; rows: string[][]; widths: number[] }
  | { kind: 'chart'; label: string; x: string; points: number[]; series: { label: string; values: (number | null)[]; dashed: boolean }[] };

/** A section of the report: reads what it needs (a fixed number of queries) and returns its blocks. */
export type Section = { key: string; build: (tx: Tx, r: ReportScope) => Promise<Block[]> };

/** The census of the month: patients in treatment, admissions, discharges (one query). */
const censusSection: Section = {
  key: 'census',
  async build(tx, r) {
    const rows = await tx
      .select({ patientId: episodes.patientId, admittedOn: episodes.admittedOn, dischargedOn: episodes.dischargedOn })
      .from(episodes)
      .where(and(eq(episodes.programId, r.programId), lte(episodes.admittedOn, r.last), or(isNull(episodes.dischargedOn), gte(episodes.dischargedOn, r.first))));
    const c = census(rows, r.first, r.last);
    return [
      { kind: 'heading', text: r.t('censusTitle') },
      {
        kind: 'figures',
        rows: [
          [r.t('censusInTreatment'), r.count(c.inTreatment)],
          [r.t('censusAdmissions'), r.count(c.admissions)],
          [r.t('censusDischarges'), r.count(c.discharges)],
        ],
      },
      { kind: 'text', text: r.t('censusNote') },
    ];
  },
};

/** Retention of the 12 months' admissions, as of the month's end: S(30/90/180) for all and by level of care, with the counts. */
const retentionSection: Section = {
  key: 'retention',
  async build(tx, r) {
    const all = await retentionOf(tx, r.programId, r.window, 'all');
    const byLevel = await retentionOf(tx, r.programId, r.window, 'level-of-care');
    const levelName = (k: string) => (LEVEL_OF_CARE_WORDS[r.lang] as Record<string, string>)[k] ?? k;
    const rowOf = (name: string, c: (typeof all.cohorts)[number]) => [
      name,
      r.count(c.n),
      r.count(c.events),
      r.count(c.censored),
      ...c.at.map((a) => {
        const s = shownSurvival(c.n, a.atRisk, a.survival);
        const value = a.survival === null ? r.percent(null) : r.percent(s.survival === null ? null : 100 * s.survival, s.survival === null);
        return `${value} (${r.count(a.atRisk)})`;
      }),
    ];
    const head = [
      r.t('levelOfCare'),
      r.t('admissions'),
      r.t('leftTreatment'),
      r.t('stillInTreatment'),
      ...(all.cohorts[0]?.at ?? [30, 90, 180].map((day) => ({ day }))).map((a) => `${r.t('day', { day: a.day })} (${r.t('followed', { day: a.day })})`),
    ];
    const blocks: Block[] = [
      { kind: 'heading', text: r.t('retentionTitle') },
      { kind: 'text', text: r.t('retentionNote', { from: r.date(r.window.from), to: r.date(r.window.to), asOf: r.date(r.asOf) }) },
    ];
    if (all.admissions === 0) return [...blocks, { kind: 'text', text: r.t('none') }];
    return [
      ...blocks,
      {
        kind: 'table',
        head,
        widths: [2.2, 1, 1, 1, 1.3, 1.3, 1.3],
        rows: [rowOf(r.t('allLevels'), all.cohorts[0]!), ...byLevel.cohorts.map((c) => rowOf(levelName(c.key), c))],
      },
    ];
  },
};

/**
 * Negative opioid screens: the weeks since admission that started in the month, of every episode
 * open in it (three queries: the episodes, their screens, the corrections), under both
 * conventions; and the first 12 weeks after admission of the 12 months' admissions (the
 * dashboard's measure) as a chart and its table.
 */
const screensSection: Section = {
  key: 'screens',
  async build(tx, r) {
    const openInMonth = and(eq(episodes.programId, r.programId), lte(episodes.admittedOn, r.last), or(isNull(episodes.dischargedOn), gte(episodes.dischargedOn, r.first)))!;
    const open = await tx.select({ id: episodes.id, admittedOn: episodes.admittedOn, dischargedOn: episodes.dischargedOn }).from(episodes).where(openInMonth);
    const { byEpisode } = await scheduledScreensOf(tx, r.programId, openInMonth, r.asOf);
    const monthWeeks: Outcome[] = open.flatMap((e) => {
      const until = e.dischargedOn && e.dischargedOn < r.asOf ? e.dischargedOn : r.asOf;
      return weeksStartingIn(e.admittedOn, weeklyOutcomes(e.admittedOn, until, byEpisode.get(e.id) ?? [], 'opioids'), r.first, r.last);
    });
    const rates = CONVENTIONS.map((c) => negativeRate(monthWeeks, c));
    const [missingPositive, missingExcluded] = rates as [(typeof rates)[number], (typeof rates)[number]];
    const pctOf = (rate: typeof missingPositive) => {
      const s = shownRate(rate);
      return rate.percent === null ? r.percent(null) : r.percent(s.percent, s.percent === null);
    };
    const trend = await screenOutcomesOf(tx, r.programId, r.window, 'opioids');
    const weeks = trend.weeks.slice(0, TREND_WEEKS);
    const shownWeek = (rate: (typeof weeks)[number]['missingPositive']) => shownRate(rate).percent;
    const blocks: Block[] = [
      { kind: 'heading', text: r.t('screensTitle') },
      { kind: 'text', text: r.t('screensNote') },
      {
        kind: 'figures',
        rows: [
          [`${r.t('screensMonth')}: ${r.t('missingPositive')}`, pctOf(missingPositive)],
          [`${r.t('screensMonth')}: ${r.t('missingExcluded')}`, pctOf(missingExcluded)],
        ],
      },
      {
        kind: 'table',
        head: ['', r.t('negativeWeeks'), r.t('positiveWeeks'), r.t('missingWeeks'), r.t('weeksCounted'), r.t('percentNegative')],
        widths: [2.6, 1, 1, 1, 1.1, 1.1],
        rows: [
          [
            r.t('missingPositive'),
            r.count(missingPositive.negative),
            r.count(missingPositive.positive),
            r.count(missingPositive.missing),
            r.count(missingPositive.denominator),
            pctOf(missingPositive),
          ],
          [r.t('missingExcluded'), r.count(missingExcluded.negative), r.count(missingExcluded.positive), '—', r.count(missingExcluded.denominator), pctOf(missingExcluded)],
        ],
      },
      { kind: 'heading', text: r.t('trendTitle') },
      { kind: 'text', text: r.t('trendNote', { from: r.date(r.window.from), to: r.date(r.window.to) }) },
    ];
    if (weeks.length === 0) return [...blocks, { kind: 'text', text: r.t('none') }];
    const cellOf = (rate: (typeof weeks)[number]['missingPositive']) => {
      const s = shownRate(rate);
      return `${rate.percent === null ? r.percent(null) : r.percent(s.percent, s.percent === null)} (${r.count(rate.negative)} / ${r.count(rate.denominator)})`;
    };
    return [
      ...blocks,
      {
        kind: 'chart',
        label: r.t('chartLabel'),
        x: r.t('week'),
        points: weeks.map((w) => w.week),
        series: [
          { label: r.t('missingPositive'), values: weeks.map((w) => shownWeek(w.missingPositive)), dashed: false },
          { label: r.t('missingExcluded'), values: weeks.map((w) => shownWeek(w.missingExcluded)), dashed: true },
        ],
      },
      {
        kind: 'table',
        head: [r.t('week'), r.t('admissionsWithWeek'), `${r.t('percentNegative')}: ${r.t('missingPositive')}`, `${r.t('percentNegative')}: ${r.t('missingExcluded')}`],
        widths: [0.8, 1.2, 2.2, 2.2],
        rows: weeks.map((w) => [String(w.week), r.count(w.admissions), cellOf(w.missingPositive), cellOf(w.missingExcluded)]),
      },
    ];
  },
};

/**
 * What contingency management cost: the dashboard's CM card (cmCostOf, seven queries) for the
 * CM enrolments that started in the 12 months' window, as of the month's end: the counts, what
 * patients earned and redeemed, the spend per funding source against its budget, and the cost
 * per patient enrolled, per negative CM screen and per week in treatment. A cost per patient or
 * per screen over 1–10 of them is not shown (shownPer).
 */
const cmSection: Section = {
  key: 'cm',
  async build(tx, r) {
    const cm = await cmCostOf(tx, r.programId, r.window);
    const blocks: Block[] = [
      { kind: 'heading', text: r.t('cmTitle') },
      { kind: 'text', text: r.t('cmNote', { from: r.date(r.window.from), to: r.date(r.window.to), asOf: r.date(r.asOf), recordedOn: r.date(r.generatedOn) }) },
    ];
    if (cm.enrolments === 0) return [...blocks, { kind: 'text', text: r.t('cmNone') }];
    const perOf = (cents: number | null, denominator: number) => {
      const s = shownPer(cents, denominator);
      return s.hidden ? r.percent(null, true) : r.money(s.cents);
    };
    return [
      ...blocks,
      {
        kind: 'figures',
        rows: [
          [r.t('cmEnrolments'), r.count(cm.enrolments)],
          [r.t('cmPatients'), r.count(cm.cost.patients)],
          [r.t('cmEarned'), r.money(cm.cost.earnedCents)],
          [r.t('cmRedeemed'), r.money(cm.redeemedCents)],
        ],
      },
      {
        kind: 'table',
        head: [r.t('cmSource'), r.t('cmEarnedColumn'), r.t('cmRedeemedColumn'), r.t('cmBudget'), r.t('cmBudgetUsed')],
        widths: [2.3, 1, 1, 1.2, 1.5],
        rows: cm.sources.map((s) => [s.name ?? r.t('cmNoSource'), r.money(s.earnedCents), r.money(s.redeemedCents), r.money(s.budgetCents), r.percent(s.percentUsed)]),
      },
      {
        kind: 'figures',
        rows: [
          [r.t('cmPerPatient'), perOf(cm.cost.perPatientCents, cm.cost.patients)],
          [r.t('cmPerNegativeScreen'), perOf(cm.cost.perNegativeScreenCents, cm.cost.negativeScreens)],
          [r.t('cmPerWeek'), r.money(cm.cost.perRetainedWeekCents)],
        ],
      },
    ];
  },
};

/** The report's sections, in order. A new measure (care, engagement) adds its builder here. */
export const SECTIONS: Section[] = [censusSection, retentionSection, screensSection, cmSection];

const LOCALES: Record<ReportLang, string> = { en: 'en-US', es: 'es-US' };

/** The report's scope for a month and language, as of today in the programme's time zone; a month after the current one is a 400 naming querystring.month. */
export async function reportScope(tx: Tx, programId: string, now: Date, month: string | undefined, lang: ReportLang): Promise<ReportScope> {
  const tz = await programTimeZone(tx, programId);
  const today = localDate(now, tz);
  const m = month ?? lastFullMonth(today);
  const period = reportPeriod(m, today);
  if (!period) throw invalid('querystring.month', 'must not be after the month under way');
  const [programme] = await tx.select({ name: programs.name }).from(programs).where(eq(programs.id, programId));
  const t = wordsOf(lang);
  const locale = LOCALES[lang];
  const pct = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const num = new Intl.NumberFormat(locale);
  const usd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' });
  const long = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  return {
    programId,
    programme: programme?.name ?? '',
    lang,
    month: m,
    first: period.first,
    last: period.last,
    asOf: period.asOf,
    tz,
    window: { from: period.from, to: period.to, asOf: period.asOf, tz },
    generatedOn: today,
    t,
    count: (n) => {
      const shown = shownCount(n);
      return shown === null ? '<11' : num.format(shown);
    },
    percent: (p, hidden = false) => (hidden ? t('notShown') : p === null ? t('notRecorded') : pct.format(p / 100)),
    money: (cents) => (cents === null ? t('notRecorded') : usd.format(cents / 100)),
    date: (d) => long.format(new Date(`${d}T00:00:00Z`)),
  };
}

/** The month as words: "November 2026", "noviembre de 2026". */
const monthName = (r: ReportScope) => new Intl.DateTimeFormat(LOCALES[r.lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${r.first}T00:00:00Z`));

/** The file name of a report: the month and language only, no patient data. */
export const reportFileName = (month: string, lang: ReportLang) => `funder-report-${month}-${lang}.pdf`;

/** The funders' monthly report of a month, as a PDF; writes one audit row ('export' of 'outcomes'). */
export async function funderReport(deps: Deps, q: { month?: string | undefined; lang: FunderReportQuery['lang'] }): Promise<{ month: string; lang: ReportLang; fileName: string; pdf: Buffer }> {
  const { tx, ctx } = deps;
  const programId = programOf(ctx);
  const r = await reportScope(tx, programId, ctx.now, q.month, q.lang);
  const blocks: Block[] = [];
  for (const s of SECTIONS) blocks.push(...(await s.build(tx, r)));
  await writeAudit(tx, auditContext(ctx), { action: 'export', entity: 'outcomes', detail: { report: 'funder-monthly', month: r.month, lang: r.lang } });
  return { month: r.month, lang: r.lang, fileName: reportFileName(r.month, r.lang), pdf: await renderPdf(r, blocks, ctx.now) };
}

// ---- drawing ---------------------------------------------------------------------------------

const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#bbbbbb';
const SHADE = '#eeeeee';
const SERIES = ['#1f4e8c', '#b4531a'];
/** The height a chart takes with its axis labels and legend. */
const CHART_ROOM = 200;

/** Draws the blocks on US Letter pages in Helvetica (WinAnsi covers Spanish), page numbers at the foot. */
export async function renderPdf(r: ReportScope, blocks: readonly Block[], now: Date): Promise<Buffer> {
  const title = `${r.t('title')}: ${r.programme}, ${monthName(r)}`;
  const doc = new PDFDocument({ size: 'LETTER', margin: 54, bufferPages: true, lang: r.lang, displayTitle: true, info: { Title: title, Creator: 'Waypoint', CreationDate: now } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const room = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };

  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(r.t('title'), left, doc.y, { width });
  doc.font('Helvetica').fontSize(12).text(r.programme, { width });
  doc
    .fontSize(10)
    .fillColor(MUTED)
    .text(`${r.t('month')}: ${monthName(r)}   ·   ${r.t('generated')}: ${r.date(r.generatedOn)}`, { width });
  doc.moveDown(0.4).fontSize(8.5).text(r.t('smallCells'), { width });
  doc.moveDown(0.6);

  /** The height a block takes when drawn (measured in its fonts; a little over rather than under). */
  const heightOf = (b: Block): number => {
    if (b.kind === 'heading') return doc.font('Helvetica-Bold').fontSize(13).heightOfString(b.text, { width }) + 10;
    if (b.kind === 'text') return doc.font('Helvetica').fontSize(9).heightOfString(b.text, { width }) + 5;
    if (b.kind === 'figures') {
      doc.font('Helvetica').fontSize(10);
      return b.rows.reduce((a, [label]) => a + Math.max(doc.heightOfString(label, { width: width * 0.7 }), 12) + 3, 0) + 5;
    }
    if (b.kind === 'table') return tableHeight(doc, b, width);
    return CHART_ROOM + 6;
  };

  for (const [i, b] of blocks.entries()) {
    if (b.kind === 'heading') {
      // keep a section (a heading and the blocks up to the next) on one page when it fits on one;
      // else keep the heading with what follows it: its note and the start of a table, or a whole chart
      const gap = doc.currentLineHeight(true) * 0.6; // moveDown(0.6) in the font the last block left
      const end = blocks.findIndex((n, j) => j > i && n.kind === 'heading');
      const section = blocks.slice(i, end === -1 ? undefined : end);
      const whole = gap + section.reduce((a, n) => a + heightOf(n), 0);
      const next = blocks.slice(i + 1, i + 3);
      room(whole <= bottom() - doc.page.margins.top ? whole : 40 + (next[0]?.kind === 'text' ? 40 : 0) + (next.some((n) => n.kind === 'chart') ? CHART_ROOM : 50));
      doc.y += gap;
      doc.fillColor(INK).font('Helvetica-Bold').fontSize(13).text(b.text, left, doc.y, { width });
      doc
        .moveTo(left, doc.y + 2)
        .lineTo(left + width, doc.y + 2)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      doc.moveDown(0.4);
    } else if (b.kind === 'text') {
      doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(b.text, left, doc.y, { width });
      doc.moveDown(0.4);
    } else if (b.kind === 'figures') {
      doc.font('Helvetica').fontSize(10).fillColor(INK);
      for (const [label, value] of b.rows) {
        const h = Math.max(doc.heightOfString(label, { width: width * 0.7 }), 12);
        room(h + 2);
        const y = doc.y;
        doc.font('Helvetica').text(label, left, y, { width: width * 0.7 });
        doc.font('Helvetica-Bold').text(value, left + width * 0.72, y, { width: width * 0.28 });
        doc.y = y + h + 3;
      }
      doc.moveDown(0.3);
    } else if (b.kind === 'table') {
      drawTable(doc, b, left, width, bottom);
    } else {
      drawChart(doc, b, left, width, room);
    }
  }

  // page numbers
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // the foot is below the bottom margin: lift the margin while writing it, or pdfkit starts a new page
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(`${r.programme} · ${monthName(r)} · ${i + 1}/${range.count}`, left, doc.page.height - margin + 18, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/** A table's columns (its widths shared out over the page width) and the height of a row of it. */
function tableLayout(doc: PDFKit.PDFDocument, b: Extract<Block, { kind: 'table' }>, width: number) {
  const total = b.widths.reduce((a, w) => a + w, 0);
  const cols = b.widths.map((w) => (w / total) * width);
  const pad = 3;
  const rowHeight = (cells: readonly string[], head: boolean) => {
    doc.font(head ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cols[i]! - 2 * pad }))) + 2 * pad;
  };
  return { cols, pad, rowHeight };
}

/** The height a table takes: its head, its rows and the space after it. */
function tableHeight(doc: PDFKit.PDFDocument, b: Extract<Block, { kind: 'table' }>, width: number): number {
  const { rowHeight } = tableLayout(doc, b, width);
  return rowHeight(b.head, true) + b.rows.reduce((a, row) => a + rowHeight(row, false), 0) + 8;
}

/** Draws a table; its head is never left alone at a page's foot, and is drawn again atop a page the table runs on to. */
function drawTable(doc: PDFKit.PDFDocument, b: Extract<Block, { kind: 'table' }>, left: number, width: number, bottom: () => number) {
  const { cols, pad, rowHeight } = tableLayout(doc, b, width);
  const drawRow = (cells: readonly string[], head: boolean) => {
    const font = head ? 'Helvetica-Bold' : 'Helvetica';
    const h = rowHeight(cells, head);
    if (doc.y + h > bottom()) {
      doc.addPage();
      if (!head) drawRow(b.head, true);
    }
    const y = doc.y;
    if (head) doc.rect(left, y, width, h).fillColor(SHADE).fill();
    let x = left;
    doc.font(font).fontSize(8.5).fillColor(INK);
    cells.forEach((c, i) => {
      doc.text(c, x + pad, y + pad, { width: cols[i]! - 2 * pad, align: i === 0 ? 'left' : 'right' });
      x += cols[i]!;
    });
    doc
      .moveTo(left, y + h)
      .lineTo(left + width, y + h)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.y = y + h;
    return h;
  };
  if (b.rows[0] && doc.y + rowHeight(b.head, true) + rowHeight(b.rows[0], false) > bottom()) doc.addPage();
  drawRow(b.head, true);
  for (const row of b.rows) drawRow(row, false);
  doc.x = left;
  doc.moveDown(0.6);
}

/** A small line chart in vector lines: % (0–100) against the x points; a null value leaves a gap. */
function drawChart(doc: PDFKit.PDFDocument, b: Extract<Block, { kind: 'chart' }>, left: number, width: number, room: (h: number) => void) {
  const height = CHART_ROOM - 50;
  room(CHART_ROOM);
  const top = doc.y + 6;
  const axisX = left + 34;
  const plotW = width - 44;
  const xOf = (i: number) => axisX + (b.points.length === 1 ? plotW / 2 : (i * plotW) / (b.points.length - 1));
  const yOf = (v: number) => top + height - (v / 100) * height;
  doc.font('Helvetica').fontSize(7.5).fillColor(MUTED);
  for (const tick of [0, 25, 50, 75, 100]) {
    doc
      .moveTo(axisX, yOf(tick))
      .lineTo(axisX + plotW, yOf(tick))
      .lineWidth(0.3)
      .strokeColor(tick === 0 ? MUTED : RULE)
      .stroke();
    doc.text(`${tick}%`, left, yOf(tick) - 3.5, { width: 30, align: 'right', lineBreak: false });
  }
  b.points.forEach((p, i) => doc.text(String(p), xOf(i) - 10, top + height + 4, { width: 20, align: 'center', lineBreak: false }));
  doc.text(b.x, axisX, top + height + 15, { width: plotW, align: 'center', lineBreak: false });
  b.series.forEach((s, k) => {
    const color = SERIES[k % SERIES.length]!;
    doc.lineWidth(1.6).strokeColor(color);
    if (s.dashed) doc.dash(4, { space: 3 });
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      if (pen) doc.lineTo(xOf(i), yOf(v));
      else doc.moveTo(xOf(i), yOf(v));
      pen = true;
    });
    doc.stroke();
    doc.undash();
    s.values.forEach((v, i) => {
      if (v !== null) doc.circle(xOf(i), yOf(v), 2).fillColor(color).fill();
    });
  });
  // legend
  let lx = axisX;
  const ly = top + height + 30;
  b.series.forEach((s, k) => {
    const color = SERIES[k % SERIES.length]!;
    doc.lineWidth(1.6).strokeColor(color);
    if (s.dashed) doc.dash(4, { space: 3 });
    doc
      .moveTo(lx, ly + 4)
      .lineTo(lx + 22, ly + 4)
      .stroke();
    doc.undash();
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(INK)
      .text(`${b.label}: ${s.label}`, lx + 27, ly, { lineBreak: false });
    lx += 27 + doc.widthOfString(`${b.label}: ${s.label}`) + 18;
  });
  doc.x = left;
  doc.y = ly + 18;
}
