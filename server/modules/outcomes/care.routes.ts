// Care outcomes over HTTP (issue 17, docs/outcomes.md "Care: attendance, counselling compliance,
// medication adherence, stage of change"): staff, /api/v1, read:outcomes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { CareOutcomes, CareQuery } from '../../../contracts/outcomes-care.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { careOutcomes } from './care.ts';

export function careOutcomesRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    '/outcomes/care',
    {
      config: { permission: 'read:outcomes' },
      schema: {
        tags: ['outcomes'],
        summary:
          'Care of the admissions of a period, by cohort: visit attendance (and by kind of visit), counselling months met, medication adherence (CM doses, doses a network member witnessed, naltrexone injections on time) and stage of change first → latest (null: not recorded)',
        errors: [400],
        querystring: CareQuery,
        response: { 200: CareOutcomes },
      },
    },
    async (req) => runInTx(db, req, (d) => careOutcomes(d, req.query)),
  );
}
