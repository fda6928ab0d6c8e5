// The de-identified research export (issue 17): making one is a disclosure the server records,
// so it is a mutation (never cached or retried); the answer holds the two CSV files and the check.
import { useMutation } from '@tanstack/react-query';
import type * as R from '../../../contracts/outcomes-research.ts';
import { json } from '../api.ts';

export type ResearchExportT = R.ResearchExport;
export type ResearchExportCreateT = R.ResearchExportCreate;

export function useMakeResearchExport() {
  return useMutation({
    mutationFn: (body: ResearchExportCreateT) => json<ResearchExportT>('/outcomes/research-exports', { body }),
    retry: false,
  });
}
