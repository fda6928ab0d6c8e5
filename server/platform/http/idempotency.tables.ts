// Responses to create requests that carried an Idempotency-Key, so a retry gets the
// first answer instead of a second record.
import { integer, json, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: uuid('scope').notNull(), // the programme (or organisation) the request acted in
    key: text('key').notNull(),
    userId: uuid('user_id').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    // json, not jsonb: a retry gets the first response byte for byte (jsonb reorders keys)
    response: json('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
