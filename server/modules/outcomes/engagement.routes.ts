// Engagement outcomes over HTTP (issue 17, docs/outcomes.md "Engagement"): staff, /api/v1, read:outcomes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { Engagement, EngagementQuery, PeerReferralOutcomes, PeerReferralsQuery } from '../../../contracts/outcomes-engagement.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { engagementOutcomes, peerReferralOutcomes } from './engagement.ts';

export function engagementRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['outcomes'];
  r.get(
    '/outcomes/engagement',
    {
      config: { permission: 'read:outcomes' },
      schema: {
        tags,
        summary:
          'Engagement of the admissions of a period, by cohort: check-in days and skills-module activity by week since admission (the decay curve), and the modules assigned, started and completed (null: not recorded)',
        errors: [400],
        querystring: EngagementQuery,
        response: { 200: Engagement },
      },
    },
    async (req) => runInTx(db, req, (d) => engagementOutcomes(d, req.query)),
  );
  r.get(
    '/outcomes/peer-referrals',
    {
      config: { permission: 'read:outcomes' },
      schema: {
        tags,
        summary:
          'The peer referrals made in a period: how many were reached, started a medication for OUD (and the median days to it), entered treatment, received naloxone, and had one or more overdoses after the referral (null: not recorded)',
        errors: [400],
        querystring: PeerReferralsQuery,
        response: { 200: PeerReferralOutcomes },
      },
    },
    async (req) => runInTx(db, req, (d) => peerReferralOutcomes(d, req.query)),
  );
}
