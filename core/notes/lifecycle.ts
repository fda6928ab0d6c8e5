// A progress note's lifecycle (issue 14, ADR 041): a draft its author edits (each save names
// the version it was made from), then signed — locked for good, with the signer and the
// time — optionally awaiting a named co-signer, then co-signed. After signing, only addenda.
// Pure rules: the server asks these before every write; the database trigger refuses the rest.

export type NoteFacts = {
  status: 'draft' | 'signed';
  authorId: string;
  version: number;
  cosignerId: string | null;
  cosignedBy: string | null;
};

export type NoteState = 'draft' | 'signed' | 'awaiting-cosignature' | 'cosigned';

export function noteState(n: NoteFacts): NoteState {
  if (n.status === 'draft') return 'draft';
  if (n.cosignerId === null) return 'signed';
  return n.cosignedBy === null ? 'awaiting-cosignature' : 'cosigned';
}

/** Why a write is refused: a stable code (the API's 409 code). */
export type Refusal = 'signed' | 'not_author' | 'stale_version' | 'not_signed' | 'not_cosigner' | 'already_cosigned' | 'own_note' | 'no_cosignature_needed';
export type Verdict = { ok: true } | { ok: false; code: Refusal };

const no = (code: Refusal): Verdict => ({ ok: false, code });
const yes: Verdict = { ok: true };

/** Editing a draft: its author only, from the version they opened. A signed note is never edited. */
export function mayEdit(n: NoteFacts, userId: string, fromVersion: number): Verdict {
  if (n.status !== 'draft') return no('signed');
  if (n.authorId !== userId) return no('not_author');
  if (n.version !== fromVersion) return no('stale_version');
  return yes;
}

/** Signing: the author signs their own draft, optionally naming a co-signer who is someone else. */
export function maySign(n: NoteFacts, userId: string, fromVersion: number, cosignerId: string | null): Verdict {
  const edit = mayEdit(n, userId, fromVersion);
  if (!edit.ok) return edit;
  if (cosignerId === userId) return no('own_note');
  return yes;
}

/** Co-signing: only the co-signer named at signing, once. */
export function mayCosign(n: NoteFacts, userId: string): Verdict {
  if (n.status !== 'signed') return no('not_signed');
  if (n.cosignerId === null) return no('no_cosignature_needed');
  if (n.cosignedBy !== null) return no('already_cosigned');
  if (n.cosignerId !== userId) return no('not_cosigner');
  return yes;
}

/** An addendum: to a signed note only (a draft is simply edited). */
export function mayAddAddendum(n: NoteFacts): Verdict {
  return n.status === 'signed' ? yes : no('not_signed');
}
