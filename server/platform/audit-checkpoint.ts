// A checkpoint (ADR 024): the head of every audit chain at one moment, signed with the
// audit key, written to a file an auditor keeps outside the database. Verifying against
// it later proves that nothing the checkpoint saw was removed or altered since.
import { z } from 'zod';
import { canonicalJson, type ChainMark, type ChainReport } from './audit.ts';
import { signBytes, verifyBytes, type AuditSigner, type AuditVerifier } from './audit-key.ts';
import { AppError } from './errors.ts';

export const CHECKPOINT_FORMAT = 'waypoint-audit-checkpoint/1';

const mark = z.object({
  chainId: z.string().regex(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/, 'must be a chain id (a UUID)'), // the installation's chain is all zeros
  seq: z.number().int().min(1),
  eventId: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

const checkpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  createdAt: z.string().datetime(),
  keyFingerprint: z.string().min(1),
  totals: z.object({ chains: z.number().int().min(0), seals: z.number().int().min(0), unsealedEvents: z.number().int().min(0) }),
  chains: z.array(mark),
  signature: z.string().min(1),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The bytes a checkpoint's signature covers: every field but the signature, canonically. */
function checkpointMessage(c: Omit<Checkpoint, 'signature'>): string {
  return `${CHECKPOINT_FORMAT}\n${canonicalJson({ ...c })}`;
}

/** A signed checkpoint of verified chains; refuses a trail with a broken chain. */
export function makeCheckpoint(reports: ChainReport[], signer: AuditSigner, now: Date): Checkpoint {
  const broken = reports.filter((r) => !r.ok);
  if (broken.length > 0) {
    throw new AppError({ code: 'audit_broken', status: 409, message: `No checkpoint written: ${broken.length} chain(s) are broken (run \`waypoint audit verify\`).` });
  }
  const chains = reports.filter((r) => r.last !== null).map((r) => ({ chainId: r.chainId, ...r.last! }));
  const body = {
    format: CHECKPOINT_FORMAT,
    createdAt: now.toISOString(),
    keyFingerprint: signer.fingerprint,
    totals: {
      chains: chains.length,
      seals: reports.reduce((n, r) => n + r.sealed, 0),
      unsealedEvents: reports.reduce((n, r) => n + r.unsealed, 0),
    },
    chains,
  } satisfies Omit<Checkpoint, 'signature'>;
  return { ...body, signature: signBytes(signer, checkpointMessage(body)) };
}

const unusable = (why: string) => new AppError({ code: 'checkpoint_invalid', status: 400, message: `The checkpoint cannot be used: ${why}.` });

/**
 * Reads a checkpoint file's text and checks its signature with `verifier`; returns the
 * chain heads it saw, by chain id. A checkpoint that is not valid JSON of this format, or
 * whose signature does not match this public key, cannot prove anything and is refused.
 */
export function readCheckpoint(text: string, verifier: AuditVerifier): { checkpoint: Checkpoint; marks: Map<string, ChainMark> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw unusable('it is not JSON');
  }
  const parsed = checkpointSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw unusable(`${issue.path.join('.') || 'the file'} — ${issue.message}`);
  }
  const { signature, ...body } = parsed.data;
  if (body.keyFingerprint !== verifier.fingerprint) {
    throw unusable(`it was signed with key ${body.keyFingerprint}, not with the public key given (${verifier.fingerprint})`);
  }
  if (!verifyBytes(verifier, checkpointMessage(body), signature)) {
    throw unusable('its signature does not match its contents (the file was changed after it was written)');
  }
  return { checkpoint: parsed.data, marks: new Map(body.chains.map((c) => [c.chainId, { seq: c.seq, eventId: c.eventId, hash: c.hash }])) };
}
