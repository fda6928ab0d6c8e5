// CM: cost and fairness over HTTP (issue 17, docs/outcomes.md "CM: cost and fairness"): staff, /api/v1, read:outcomes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { CmCost, CmCostQuery } from '../../../contracts/outcomes-cm.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { cmCost } from './cm-cost.ts';

export function cmCostRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    '/outcomes/cm',
    {
      config: { permission: 'read:outcomes' },
      schema: {
        tags: ['outcomes'],
        summary:
          'CM cost and fairness for the enrolments that started in a period: spend per funding source against its budget and caps, cost per patient, per negative CM screen and per week in treatment (null: not recorded), and the prize tiers drawn against the bowl (chi-square)',
        errors: [400],
        querystring: CmCostQuery,
        response: { 200: CmCost },
      },
    },
    async (req) => runInTx(db, req, (d) => cmCost(d, req.query)),
  );
}
