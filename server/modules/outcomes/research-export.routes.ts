// The de-identified research export over HTTP (issue 17, docs/outcomes.md "The de-identified
// research export"): staff, /api/v1, export:research (an administrator). A disclosure under the
// research exception, recorded for every patient included.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { ResearchExport, ResearchExportCreate } from '../../../contracts/outcomes-research.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { researchExport } from './research-export.ts';

export function researchExportRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.post(
    '/outcomes/research-exports',
    {
      config: { permission: 'export:research' },
      schema: {
        tags: ['outcomes'],
        summary:
          'Make the de-identified research export of the admissions of a period (CSV with its data dictionary and the k check); records one disclosure per patient included under the research exception',
        errors: [400],
        body: ResearchExportCreate,
        response: { 200: ResearchExport },
      },
    },
    async (req) => runInTx(db, req, (d) => researchExport(d, req.body)),
  );
}
