// Placeholder: filled in by the outcomes work (issue 17).
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/database.ts';

export function researchExportRoutes(_app: FastifyInstance, _deps: { db: Db }) {}
