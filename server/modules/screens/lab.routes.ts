// Laboratory results as HL7 v2 (docs/lab-hl7v2.md). POST /lab/hl7v2 takes an ORU^R01 message
// (Content-Type x-application/hl7-v2+er7 or text/plain) and answers an HL7 ACK in the same
// content type, with HTTP 200 whether the ACK says AA, AE or AR: that is what HL7-over-HTTP
// senders expect. Only a caller who may not record specimens (401/403), or a body that is
// not an HL7 message at all (415), gets problem+json.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { HL7_MEDIA_TYPES, Hl7Ack, Hl7OruR01 } from '../../../contracts/lab.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { runInTx } from '../../platform/http/tx.ts';
import { acknowledge, ERROR_CODES, type OruR01 } from './hl7v2.ts';
import { recordLabResult } from './lab-results.ts';

const mediaType = (req: FastifyRequest) =>
  String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
const isHl7 = (type: string) => (HL7_MEDIA_TYPES as readonly string[]).includes(type);

const unsupported = (message: string) => new AppError({ code: 'unsupported_media_type', status: 415, message, problems: [{ field: 'content-type', message }] });

/** The body as text, in the charset the Content-Type names (UTF-8 by default). */
function decode(body: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    throw unsupported(`The charset ${charset.slice(0, 40)} is not supported; send UTF-8 or ISO-8859-1.`);
  }
  return decoder.decode(body);
}

/**
 * A unique key another request took first — the same message posted twice at once. Running
 * the message again (a new transaction, after the other committed) finds that record.
 */
function uniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return true;
  }
  return false;
}

export function labRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  // its own scope: HL7 text is parsed here only, and any other body gets this route's 415
  void app.register(async (scope) => {
    scope.removeContentTypeParser('text/plain');
    scope.addContentTypeParser([...HL7_MEDIA_TYPES], { parseAs: 'buffer' }, (req, body, done) => {
      try {
        done(null, decode(body as Buffer, req.headers['content-type']));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/lab/hl7v2',
      {
        config: { permission: 'write:specimen' },
        preValidation: async (req) => {
          if (!isHl7(mediaType(req)) || typeof req.body !== 'string') throw unsupported('Send an HL7 v2 message with Content-Type x-application/hl7-v2+er7 or text/plain.');
        },
        schema: {
          tags: ['laboratory', 'integration'],
          summary: 'A laboratory result as an HL7 v2 ORU^R01 message; answers an HL7 ACK (200 for AA, AE and AR; 401/403 problem+json)',
          consumes: [...HL7_MEDIA_TYPES],
          produces: [...HL7_MEDIA_TYPES],
          body: Hl7OruR01,
          response: { 200: Hl7Ack },
        },
      },
      async (req, reply) => {
        const type = mediaType(req);
        const record = async (message: OruR01) => {
          const once = () => runInTx(db, req, (d) => recordLabResult(d, message));
          try {
            return await once();
          } catch (err) {
            if (uniqueViolation(err)) return once();
            throw err;
          }
        };
        const ack = await acknowledge(req.body, { controlId: req.id.replace(/-/g, '').slice(0, 20), now: req.ctx.now }, record);
        // codes and positions only: the message's values may identify a patient
        if (ack.internalError) {
          const e = ack.internalError as { name?: string; code?: string };
          req.log.error({ err: { name: e.name, code: e.code } }, 'laboratory message could not be recorded');
        } else if (ack.code !== 'AA') {
          req.log.info(
            {
              hl7: {
                ack: ack.code,
                errors: ack.problems.map((p) => `${p.code} ${ERROR_CODES[p.code]}${p.location ? ` at ${p.location.segment}${p.location.field ? `-${p.location.field}` : ''}` : ''}`),
              },
            },
            'laboratory message refused',
          );
        }
        return reply.type(`${type}; charset=utf-8`).send(ack.text);
      },
    );
  });
}
