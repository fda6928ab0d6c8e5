// The funders' monthly report over HTTP (issue 17, docs/outcomes.md "The funders' monthly report"):
// staff, /api/v1, read:outcomes; a PDF download named by month and language only.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { FunderReportQuery } from '../../../contracts/outcomes-report.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { funderReport } from './report.ts';

export function funderReportRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    '/outcomes/funder-report',
    {
      config: { permission: 'read:outcomes' },
      schema: {
        tags: ['outcomes'],
        summary:
          "The funders' monthly report as a PDF (English or Spanish): census, retention by level of care, negative opioid screens and their 12-week trend, with the counts; counts 1–10 shown as <11",
        errors: [400],
        querystring: FunderReportQuery,
      },
    },
    async (req, reply) => {
      const report = await runInTx(db, req, (d) => funderReport(d, req.query));
      return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${report.fileName}"`).header('cache-control', 'no-store').send(report.pdf);
    },
  );
}
