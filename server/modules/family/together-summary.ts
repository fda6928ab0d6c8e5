// The 'family-work' kind of information in a printout or export (record-summary.ts): the couple's
// recovery contract with its days held so far, and the doses the network saw over the last 28
// days. Read-only: the caller checked the consent and records the disclosure.
import { and, desc, eq, gte, lte, min } from 'drizzle-orm';
import { addDays, localDate } from '../../../core/cm/calendar.ts';
import { CONTRACT_PART_WORDS, contractSummary, orderedParts } from '../../../core/family/couples.ts';
import { adherence } from '../../../core/family/network.ts';
import type { Tx } from '../../platform/db/database.ts';
import { networkMembers, recoveryContracts, trustDiscussions, witnessedDoses } from './family.tables.ts';

type Reader = { tx: Tx; programId: string; patientId: string; lang: 'en' | 'es'; tz: string; today: string };

const WORDS = {
  en: {
    noContract: 'No recovery contract.',
    contract: (since: string, ended: string | null, parts: string) => `Recovery contract from ${since}${ended ? ` to ${ended}` : ''}: ${parts}.`,
    held: (held: number, days: number, pct: number | null, streak: number) =>
      `Trust talk held on ${held} of ${days} days${pct === null ? '' : ` (${pct}%)`}; ${streak} day${streak === 1 ? '' : 's'} in a row now.`,
    noNetwork: 'No support network.',
    doses: (taken: number, missed: number, days: number, pct: number | null) =>
      `Doses the network saw taken: ${taken} of the last ${days} days${pct === null ? '' : ` (${pct}%)`}; seen missed: ${missed}.`,
  },
  es: {
    noContract: 'No hay contrato de recuperación.',
    contract: (since: string, ended: string | null, parts: string) => `Contrato de recuperación desde el ${since}${ended ? ` hasta el ${ended}` : ''}: ${parts}.`,
    held: (held: number, days: number, pct: number | null, streak: number) =>
      `Charla de confianza hecha ${held} de ${days} días${pct === null ? '' : ` (${pct}%)`}; ${streak} ${streak === 1 ? 'día seguido' : 'días seguidos'} ahora.`,
    noNetwork: 'No hay red de apoyo.',
    doses: (taken: number, missed: number, days: number, pct: number | null) =>
      `Dosis que la red vio tomar: ${taken} de los últimos ${days} días${pct === null ? '' : ` (${pct}%)`}; vistas sin tomar: ${missed}.`,
  },
};

export async function familyWorkSection(c: Reader): Promise<{ lines: string[] }> {
  const w = WORDS[c.lang];
  const lines: string[] = [];
  const [contract] = await c.tx
    .select()
    .from(recoveryContracts)
    .where(and(eq(recoveryContracts.programId, c.programId), eq(recoveryContracts.patientId, c.patientId)))
    .orderBy(desc(recoveryContracts.createdAt))
    .limit(1);
  if (!contract) lines.push(w.noContract);
  else {
    const endsOn = contract.endedAt ? localDate(contract.endedAt, c.tz) : null;
    const rows = await c.tx
      .select()
      .from(trustDiscussions)
      .where(and(eq(trustDiscussions.programId, c.programId), eq(trustDiscussions.contractId, contract.id)));
    const entries = new Map(rows.map((r) => [r.day, { held: r.held, medicationWitnessed: r.medicationWitnessed }]));
    const s = contractSummary({ startsOn: contract.startsOn, endsOn }, entries, c.today);
    lines.push(
      w.contract(
        contract.startsOn,
        endsOn,
        orderedParts(contract.terms)
          .map((p) => CONTRACT_PART_WORDS[p].title[c.lang])
          .join('; '),
      ),
    );
    lines.push(w.held(s.daysHeld, s.daysSoFar, s.percentHeld, s.streak));
  }
  const [first] = await c.tx
    .select({ since: min(networkMembers.joinedOn) })
    .from(networkMembers)
    .where(and(eq(networkMembers.programId, c.programId), eq(networkMembers.patientId, c.patientId)));
  if (!first?.since) lines.push(w.noNetwork);
  else {
    const doses = await c.tx
      .select({ day: witnessedDoses.day, taken: witnessedDoses.taken, memberId: witnessedDoses.networkMemberId })
      .from(witnessedDoses)
      .where(and(eq(witnessedDoses.programId, c.programId), eq(witnessedDoses.patientId, c.patientId), gte(witnessedDoses.day, addDays(c.today, -366)), lte(witnessedDoses.day, c.today)));
    const a = adherence(doses, c.today, { since: first.since });
    lines.push(w.doses(a.daysTaken, a.daysMissed, a.days, a.percentTaken));
  }
  return { lines };
}
