// The laboratory endpoint (docs/lab-hl7v2.md): an HL7 v2 ORU^R01 message in, an HL7 ACK out,
// both ER7 text (segments separated by carriage returns), not JSON.
import { z } from 'zod';

/** The request and response content types, in the order the OpenAPI document lists them. */
export const HL7_MEDIA_TYPES = ['x-application/hl7-v2+er7', 'text/plain'] as const;

export const Hl7OruR01 = z
  .string()
  .describe('An HL7 v2.5.1 ORU^R01 message (ER7): one PID, one OBR, its OBX results; segments separated by \\r (\\n and \\r\\n are accepted). UTF-8 unless the Content-Type names another charset.');

export const Hl7Ack = z
  .string()
  .describe("An HL7 ACK: MSH, MSA (AA recorded or already recorded; AE read but not applied; AR rejected as malformed), and one ERR per problem when not AA. Sent with the request's content type.");
