// recommend(context): ranked recommendations with rationale and evidence, plus cautions.
// Pure and total: any partial context (unknown fields) gives a well-formed result.
import { EVIDENCE } from './evidence.ts';
import { CAUTION_RULES, RULES, toFacts } from './rules.ts';
import { CAUTION_CODES, INTERVENTION_CODES, type Caution, type Evidence, type InterventionCode, type PatientContext, type Recommendation, type RecommendResult } from './types.ts';

const order = (code: InterventionCode): number => INTERVENTION_CODES.indexOf(code);

export function recommend(context: PatientContext | null | undefined = {}): RecommendResult {
  const facts = toFacts(context ?? {});
  // Group matching rules by intervention; the highest-weight rule gives the rationale
  // (ties: the first in the table), evidence is the union in rule order.
  const byIntervention = new Map<InterventionCode, { weight: number; rules: string[]; rationale: Recommendation['rationale']; evidence: Map<string, Evidence> }>();
  for (const rule of RULES) {
    if (!rule.applies(facts)) continue;
    let entry = byIntervention.get(rule.intervention);
    if (!entry) {
      entry = { weight: rule.weight, rules: [], rationale: rule.rationale(facts), evidence: new Map() };
      byIntervention.set(rule.intervention, entry);
    } else if (rule.weight > entry.weight) {
      entry.weight = rule.weight;
      entry.rationale = rule.rationale(facts);
    }
    entry.rules.push(rule.id);
    for (const key of rule.evidence) {
      const ev = EVIDENCE[key];
      if (!entry.evidence.has(ev.id)) entry.evidence.set(ev.id, ev);
    }
  }
  const ranked = [...byIntervention.entries()].sort(([a, x], [b, y]) => y.weight - x.weight || order(a) - order(b));
  const recommendations: Recommendation[] = ranked.map(([intervention, e], i) => ({
    intervention,
    priority: i + 1,
    rationale: e.rationale,
    evidence: [...e.evidence.values()],
    rules: e.rules,
  }));
  const recommended = new Set(byIntervention.keys());
  const cautions: Caution[] = [];
  for (const rule of CAUTION_RULES) {
    if (rule.applies(facts, recommended) && !cautions.some((c) => c.code === rule.code)) cautions.push({ code: rule.code, text: rule.text(facts) });
  }
  cautions.sort((a, b) => CAUTION_CODES.indexOf(a.code) - CAUTION_CODES.indexOf(b.code));
  return { recommendations, cautions };
}
