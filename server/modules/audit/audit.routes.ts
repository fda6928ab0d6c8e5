import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { AuditEvent, AuditPatientMatches, AuditPatientSearch, AuditQuery } from '../../../contracts/audit.ts';
import { pageOf } from '../../../contracts/common.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { browseAudit, exportAuditCsv } from './browse-audit.ts';
import { findPatientsForAudit } from './find-patients.ts';

export function auditRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit'];
  r.get(
    '/audit-events',
    {
      config: { permission: 'read:audit' },
      schema: { tags, summary: 'Browse the programme’s audit trail (newest first)', querystring: AuditQuery, response: { 200: pageOf(AuditEvent) } },
    },
    async (req) => runInTx(deps.db, req, (d) => browseAudit(d, req.query)),
  );

  r.get(
    '/audit-events.csv',
    {
      config: { permission: 'export:audit' },
      schema: { tags, summary: 'Export the filtered audit trail as CSV', querystring: AuditQuery.omit({ limit: true, cursor: true }) },
    },
    async (req, reply) => {
      const csv = await runInTx(deps.db, req, (d) => exportAuditCsv(d, req.query));
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-events.csv"').send(csv);
    },
  );

  // A POST so that the name searched for never appears in a URL or an access log.
  r.post(
    '/audit-events/patients',
    {
      config: { permission: 'read:audit' },
      schema: {
        tags,
        operationId: 'findPatientsForAudit',
        summary: 'Find a patient by name or MRN to filter the audit trail by (the search is audited)',
        body: AuditPatientSearch,
        response: { 200: AuditPatientMatches },
      },
    },
    async (req) => runInTx(deps.db, req, (d) => findPatientsForAudit(d, req.body)),
  );
}
