import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { OrganizationSettings } from '../../../contracts/staff.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { getOrganizationSettings, updateOrganizationSettings } from './organization-settings.ts';

export function programsRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['organization'];
  r.get(
    '/organization/settings',
    {
      config: { permission: 'manage:organization' },
      schema: { tags, summary: 'Session and two-step sign-in policy', response: { 200: OrganizationSettings } },
    },
    async (req) => runInTx(deps.db, req, (d) => getOrganizationSettings(d)),
  );
  r.put(
    '/organization/settings',
    {
      config: { permission: 'manage:organization' },
      schema: { tags, summary: 'Change the session and two-step sign-in policy', body: OrganizationSettings, response: { 200: OrganizationSettings } },
    },
    async (req) => runInTx(deps.db, req, (d) => updateOrganizationSettings(d, req.body)),
  );
}
