// Programme outcomes (issue 17): the retention curve by cohort and the drug-screen outcomes by
// week since admission — query keys and reads in one place (read-only: nothing to invalidate).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type * as O from '../../../contracts/outcomes.ts';
import type { FunderReportQuery } from '../../../contracts/outcomes-report.ts';
import { json, send } from '../api.ts';
import { useSession } from '../session.tsx';

export type RetentionT = O.Retention;
export type ScreenOutcomesT = O.ScreenOutcomes;
export type CohortT = RetentionT['cohort'];
export type GroupT = ScreenOutcomesT['group'];

const key = (programId: string | undefined, ...rest: Array<string>) => ['outcomes', programId, ...rest] as const;

export function useRetention(from: string, to: string, cohort: CohortT) {
  const { program } = useSession();
  return useQuery({
    queryKey: key(program?.id, 'retention', from, to, cohort),
    queryFn: () => json<RetentionT>('/outcomes/retention', { query: { from, to, cohort } }),
    placeholderData: keepPreviousData,
  });
}

export function useScreenOutcomes(from: string, to: string, group: GroupT) {
  const { program } = useSession();
  return useQuery({
    queryKey: key(program?.id, 'screens', from, to, group),
    queryFn: () => json<ScreenOutcomesT>('/outcomes/screens', { query: { from, to, group } }),
    placeholderData: keepPreviousData,
  });
}

export type ReportLangT = FunderReportQuery['lang'];

/** The funders' monthly report of a month, as a PDF (fetched with the session; the server audits it). */
export const funderReportPdf = async (month: string, lang: ReportLangT): Promise<Blob> => (await send('/outcomes/funder-report', { query: { month, lang } })).blob();
