// The patient's own consents in the app (issue 16): the same use cases staff call, on the
// signed-in patient's own record only — list, sign one the clinic wrote, take one back, and
// the accounting of who their records were shared with.
import type { z } from 'zod';
import type { ConsentSign } from '../../../contracts/consent.ts';
import type { PatientPrincipal } from '../../platform/http/context.ts';
import type { UseCaseDeps } from '../../platform/http/tx.ts';
import { listConsents, revokeConsent, signConsent } from './consents.ts';
import { accounting } from './disclosures.ts';

export const myConsents = (deps: UseCaseDeps, me: PatientPrincipal) => listConsents(deps, me.patientId);
export const signMyConsent = (deps: UseCaseDeps, me: PatientPrincipal, id: string, input: z.infer<typeof ConsentSign>) => signConsent(deps, me.patientId, id, input, 'app');
export const revokeMyConsent = (deps: UseCaseDeps, me: PatientPrincipal, id: string) => revokeConsent(deps, me.patientId, id, { note: 'Taken back in the app.' }, 'app');
export const myAccounting = (deps: UseCaseDeps, me: PatientPrincipal) => accounting(deps, me.patientId);
