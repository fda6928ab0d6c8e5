// A printable care plan: one self-contained HTML page (print styles inline, no script),
// every value escaped. Signing lines for the patient and staff.
import type { Tx } from '../../platform/db/database.ts';
import { writeAudit } from '../../platform/audit.ts';
import { auditContext, programOf, type Ctx } from '../../platform/http/context.ts';
import { and, eq } from 'drizzle-orm';
import { patients } from '../patients/patients.tables.ts';
import { programs } from '../programs/programs.tables.ts';
import { readPlan } from './care-plans.ts';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function printCarePlan(deps: { tx: Tx; ctx: Ctx }, patientId: string, id: string): Promise<string> {
  const { tx, ctx } = deps;
  const plan = await readPlan(tx, ctx, patientId, id);
  const [p] = await tx
    .select()
    .from(patients)
    .where(and(eq(patients.programId, programOf(ctx)), eq(patients.id, patientId)));
  const [prog] = await tx
    .select({ name: programs.name })
    .from(programs)
    .where(eq(programs.id, programOf(ctx)));
  await writeAudit(tx, auditContext(ctx), { action: 'print', entity: 'care-plan', entityId: id, patientId, detail: { version: plan.version } });
  const staff = (ids: string[]) => ids.map((s) => esc(plan.staff[s] ?? 'staff member')).join(', ');
  const problemText = new Map(plan.problems.map((x) => [x.id, x.text]));
  const goalText = new Map(plan.goals.map((g) => [g.id, g.description]));
  const target = (g: (typeof plan.goals)[number]) =>
    [g.targetValue !== null ? `${g.targetComparator ?? ''} ${g.targetValue}${g.targetUnit ? ` ${g.targetUnit}` : ''}`.trim() : '', g.targetText ?? ''].filter(Boolean).join(' — ');
  const agreement = plan.agreement
    ? `<p>Agreed by ${plan.agreement.agreedBy === 'patient' ? 'the patient' : `legal representative ${esc(plan.agreement.representativeName)}`} (${esc(plan.agreement.method)}) on ${esc(plan.agreement.agreedAt.slice(0, 10))}.</p>`
    : '<p>Not yet agreed for this version.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Care plan</title>
<style>
body{font:12pt/1.4 system-ui,sans-serif;margin:2cm;color:#000}
h1{font-size:18pt;margin:0 0 .2em}h2{font-size:14pt;margin:1.2em 0 .3em;border-bottom:1px solid #999}
table{width:100%;border-collapse:collapse}th,td{border:1px solid #999;padding:4px;text-align:left;vertical-align:top}
.meta{color:#333}.sign{margin-top:2.5em;display:flex;gap:3em}.sign div{flex:1;border-top:1px solid #000;padding-top:4px}
.label{font-size:9pt;text-transform:uppercase;letter-spacing:.05em}
@media print{body{margin:0}}
</style></head><body>
<p class="label">Confidential: 42 CFR Part 2 protected substance use disorder record. Redisclosure is prohibited.</p>
<h1>${esc(plan.title)}</h1>
<p class="meta">${esc(prog?.name)} · ${esc(p?.preferredName ?? p?.legalGivenName)} ${esc(p?.legalFamilyName)} · MRN ${esc(p?.mrn)} · born ${esc(p?.birthDate)}<br>
Version ${plan.version} (${esc(plan.status)}) · last changed ${esc(plan.updatedAt.slice(0, 10))} by ${esc(plan.changedByName)} · review by ${esc(plan.reviewDate)}</p>
<h2>Problems</h2>
<ol>${plan.problems.map((x) => `<li>${esc(x.text)}</li>`).join('')}</ol>
<h2>Goals</h2>
<table><thead><tr><th>Goal</th><th>Measure</th><th>Target</th><th>By</th><th>Status</th><th>For problem</th></tr></thead><tbody>
${plan.goals.map((g) => `<tr><td>${esc(g.description)}</td><td>${esc(g.measure)}</td><td>${esc(target(g))}</td><td>${esc(g.dueDate)}</td><td>${esc(g.status)}</td><td>${g.problemIds.map((i) => esc(problemText.get(i))).join('; ')}</td></tr>`).join('\n')}
</tbody></table>
<h2>What we will do</h2>
<table><thead><tr><th>Intervention</th><th>How often</th><th>Who</th><th>Status</th><th>For goal</th></tr></thead><tbody>
${plan.interventions.map((v) => `<tr><td>${esc(v.text)}</td><td>${esc(v.frequency)}</td><td>${staff(v.responsibleStaffIds)}</td><td>${esc(v.status)}</td><td>${v.goalIds.map((i) => esc(goalText.get(i))).join('; ')}</td></tr>`).join('\n')}
</tbody></table>
<h2>Agreement</h2>
${agreement}
<div class="sign"><div>Patient signature and date</div><div>Staff signature and date</div></div>
</body></html>
`;
}
