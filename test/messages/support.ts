// Helpers for the messages tests: a fictional patient who may be texted, and a fake
// Twilio-compatible SMS provider that deduplicates by idempotency key and counts.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tx } from '../../server/platform/db/database.ts';
import { contactPreferences } from '../../server/modules/messages/messages.tables.ts';
import { patients } from '../../server/modules/patients/patients.tables.ts';

export async function textablePatient(
  tx: Tx,
  programId: string,
  now: Date,
  over: { phone?: string; language?: string; consentSms?: boolean; quiet?: { start: string; end: string } } = {},
): Promise<string> {
  const id = randomUUID();
  await tx.insert(patients).values({
    programId,
    id,
    mrn: `MSG-${id.slice(0, 8)}`,
    legalGivenName: 'Robin',
    legalFamilyName: `Fictional-${id.slice(0, 4)}`,
    birthDate: '1985-05-05',
    preferredLanguage: over.language ?? 'en',
    phone: over.phone ?? `+1555010${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}`,
    contactConsent: true,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  await tx
    .insert(contactPreferences)
    .values({ programId, patientId: id, consentSms: over.consentSms ?? true, quietStart: over.quiet?.start ?? null, quietEnd: over.quiet?.end ?? null, updatedAt: now });
  return id;
}

export type FakeSms = {
  url: string;
  /** Every POST received (retries included). */
  requests: number;
  /** Texts delivered, by idempotency key: each key counted once, however often it was sent. */
  delivered: Map<string, { to: string; body: string; sid: string; times: number }>;
  /** Answer the next `n` requests with this status (a provider outage). */
  failNext(n: number, status: number): void;
  onRequest?: (n: number) => void;
  close(): Promise<void>;
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
  });
}

export async function fakeSmsProvider(): Promise<FakeSms> {
  let failing = 0;
  let failStatus = 503;
  const fake: FakeSms = {
    url: '',
    requests: 0,
    delivered: new Map(),
    failNext(n, status) {
      failing = n;
      failStatus = status;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      fake.requests += 1;
      const n = fake.requests;
      if (failing > 0) {
        failing -= 1;
        res.writeHead(failStatus, { 'content-type': 'application/json' }).end('{"message":"unavailable"}');
        return;
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const form = new URLSearchParams(raw);
      let entry = fake.delivered.get(key);
      if (entry) entry.times += 1;
      else fake.delivered.set(key, (entry = { to: form.get('To') ?? '', body: form.get('Body') ?? '', sid: `SM${randomUUID().replace(/-/g, '')}`, times: 1 }));
      fake.onRequest?.(n);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: entry.sid, status: 'queued' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
