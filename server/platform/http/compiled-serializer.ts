// A route's responses written by code compiled from its contract (ADR 061): fast-json-stringify
// builds a writer from zod's JSON Schema of the response, once when the route is registered.
// The app's default (app.ts) zod-encodes every response and then JSON.stringifies it; on the
// specimen recording's hot path that was about 7% of the Node thread. Both write the
// contract's properties only (anything else on the object is left out); the compiled writer
// does not check formats (a UUID is written as the string it is), which the handler's types
// already guarantee. An answer it cannot write goes to the app's default, which writes it or
// names what breaks the contract (ResponseSerializationError: a 500 problem, logged as such).
import { serializerCompiler } from '@fastify/type-provider-zod';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/** The writer of one response schema (OpenAPI 3.0's `nullable`, which fast-json-stringify writes without trying each branch of an `anyOf`). */
export function compileResponseWriter(schema: z.ZodType): (value: unknown) => string {
  return fastJson(z.toJSONSchema(schema, { io: 'output', target: 'openapi-3.0' }) as Parameters<typeof fastJson>[0]);
}

/** A route's `serializerCompiler`: Fastify calls it with each status's response schema (zod, in this app). */
export function compiledSerializer(route: { schema: unknown; method: string; url: string }): (value: unknown) => string {
  const write = compileResponseWriter(route.schema as z.ZodType);
  const checked = serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
  return (value) => {
    try {
      return write(value);
    } catch {
      return checked(value);
    }
  };
}
