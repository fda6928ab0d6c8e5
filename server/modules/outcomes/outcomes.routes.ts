// Programme outcomes over HTTP (issue 17, docs/outcomes.md "Where to see them"): staff, /api/v1, read:outcomes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { Retention, RetentionQuery, ScreenOutcomes, ScreensQuery } from '../../../contracts/outcomes.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { retention, screenOutcomes } from './outcomes.ts';

export function outcomesRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['outcomes'];
  r.get(
    '/outcomes/retention',
    {
      config: { permission: 'read:outcomes' },
      schema: {
        tags,
        summary: 'Retention in treatment of the admissions of a period, by cohort: the Kaplan–Meier curve with its counts, and S(30), S(90), S(180) (null: not recorded)',
        errors: [400],
        querystring: RetentionQuery,
        response: { 200: Retention },
      },
    },
    async (req) => runInTx(db, req, (d) => retention(d, req.query)),
  );
  r.get(
    '/outcomes/screens',
    {
      config: { permission: 'read:outcomes' },
      schema: {
        tags,
        summary:
          'Drug-screen outcomes of the admissions of a period for an analyte group: % negative by week since admission (missing counted positive; missing excluded) and the longest run of abstinent weeks',
        errors: [400],
        querystring: ScreensQuery,
        response: { 200: ScreenOutcomes },
      },
    },
    async (req) => runInTx(db, req, (d) => screenOutcomes(d, req.query)),
  );
}
