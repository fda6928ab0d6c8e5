// A consent signed on the clinic's tablet (issue 16): the tablet's signature call (the form
// token as a bearer credential) and the console's calls that hand a consent to the tablet,
// follow it and close it (write:consent / read:consent; the same hand-off as an instrument's).
import type { z } from 'zod';
import type * as As from '../../../../contracts/assessments.ts';
import { json } from '../../api.ts';

export type ConsentTabletStartedT = z.infer<typeof As.ConsentTabletStarted>;
export type ConsentTabletStatusT = z.infer<typeof As.ConsentTabletStatus>;
export type PatientSessionStatusT = z.infer<typeof As.PatientSessionStatus>;
export type TabletConsentFormT = Extract<z.infer<typeof As.TabletSession>, { kind: 'consent' }>;
export type TabletConsentSignT = z.infer<typeof As.TabletConsentSign>;

const enc = encodeURIComponent;

/** The tablet: sign the consent once (and acknowledge the notice if the patient read it). */
export const tabletSignConsent = (token: string, body: TabletConsentSignT) => json<z.infer<typeof As.TabletConsentSigned>>('/tablet/consent', { body, bearer: token });

/** The console: hand a consent awaiting signature to the tablet — a single-use link / QR code (10 minutes). */
export const startConsentTablet = (patientId: string, consentId: string) => json<ConsentTabletStartedT>(`/patients/${enc(patientId)}/consents/${enc(consentId)}/tablet`, { method: 'POST' });
/** The console: the consent's tablet session (open first, else the latest; null if none). */
export const consentTabletStatus = (patientId: string, consentId: string) => json<ConsentTabletStatusT>(`/patients/${enc(patientId)}/consents/${enc(consentId)}/tablet`);
/** The console: close the consent's open tablet session. */
export const cancelConsentTablet = (patientId: string, consentId: string) => json<PatientSessionStatusT>(`/patients/${enc(patientId)}/consents/${enc(consentId)}/tablet/cancel`, { method: 'POST' });
