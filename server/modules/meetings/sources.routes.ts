// Meeting sources and imports over HTTP (issue 15, docs/meetings.md "Sources and import"):
// read:meetings to list, manage:meetings to create, edit, upload and re-import.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { ImportBody, ImportResult, MeetingGuideFeed, MeetingSource, MeetingSourceList, RefreshResult, SourceCreate, SourceParams, SourceUpdate } from '../../../contracts/meeting-sources.ts';
import type { Db } from '../../platform/db/database.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { importFeed } from './import.ts';
import { refreshSource } from './refresh.ts';
import { createSource, exportMeetings, getSource, listSources, updateSource } from './sources.ts';

/** An upload of 10,000 meetings is a few MB: this route alone takes up to 32 MB. */
const UPLOAD_LIMIT = 32 * 1024 * 1024;

/** Staff (/api/v1). */
export function meetingSourcesRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ['meetings'];

  r.get(
    '/meeting-sources',
    { config: { permission: 'read:meetings' }, schema: { tags, summary: 'The programme’s meeting sources with their last import', response: { 200: MeetingSourceList } } },
    async (req) => runInTx(db, req, (d) => listSources(d)),
  );
  r.post(
    '/meeting-sources',
    { config: { permission: 'manage:meetings' }, schema: { tags, summary: 'Add a source (a feed URL, or none for uploads)', body: SourceCreate, response: { 200: MeetingSource } } },
    async (req) => runInTx(db, req, (d) => createSource(d, req.body)),
  );
  r.get('/meeting-sources/:id', { config: { permission: 'read:meetings' }, schema: { tags, summary: 'One source', params: SourceParams, response: { 200: MeetingSource } } }, async (req) =>
    runInTx(db, req, (d) => getSource(d, req.params.id)),
  );
  r.patch(
    '/meeting-sources/:id',
    { config: { permission: 'manage:meetings' }, schema: { tags, summary: 'Edit a source', params: SourceParams, body: SourceUpdate, response: { 200: MeetingSource } } },
    async (req) => runInTx(db, req, (d) => updateSource(d, req.params.id, req.body)),
  );
  r.post(
    '/meeting-sources/:id/import',
    {
      bodyLimit: UPLOAD_LIMIT,
      config: { permission: 'manage:meetings' },
      schema: { tags, summary: 'Import an uploaded feed into the source (one transaction; counts and rejected records)', params: SourceParams, body: ImportBody, response: { 200: ImportResult } },
    },
    async (req) => runInTx(db, req, (d) => importFeed(d, req.params.id, req.body.feed, req.body.formats)),
  );
  r.post(
    '/meeting-sources/:id/refresh',
    { config: { permission: 'manage:meetings' }, schema: { tags, summary: 'Fetch the source’s URL now and import it (304: nothing changes)', params: SourceParams, response: { 200: RefreshResult } } },
    async (req) => refreshSource(db, req.ctx, req.params.id),
  );
  r.get(
    '/meeting-sources/:id/export',
    { config: { permission: 'read:meetings' }, schema: { tags, summary: 'The source’s active meetings as a Meeting Guide feed', params: SourceParams, response: { 200: MeetingGuideFeed } } },
    async (req) => runInTx(db, req, (d) => exportMeetings(d, req.params.id)),
  );
}
