// A route's responses written by code compiled from its contract (ADR 061): fast-json-stringify
// builds a writer from zod's JSON Schema of the response, once when the route is registered.
// The app's default (app.ts) zod-encodes every response and then JSON.stringifies it; on the
// specimen recording's hot path that was about 7% of the Node thread. Both write the
// contract's properties only (anything else on the object is left out) and fail on a missing
// required one; the compiled writer does not check formats (a UUID is written as the string
// it is), which the handler's types already guarantee.
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/** The writer of one response schema (OpenAPI 3.0's `nullable`, which fast-json-stringify writes without trying each branch of an `anyOf`). */
export function compileResponseWriter(schema: z.ZodType): (value: unknown) => string {
  return fastJson(z.toJSONSchema(schema, { io: 'output', target: 'openapi-3.0' }) as Parameters<typeof fastJson>[0]);
}

/** A route's `serializerCompiler`: Fastify calls it with each status's response schema (zod, in this app). */
export const compiledSerializer = ({ schema }: { schema: unknown }) => compileResponseWriter(schema as z.ZodType);
