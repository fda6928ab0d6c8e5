// TwiML (Twilio's XML for answering calls and texts), built from typed verbs so every
// text and attribute is escaped in one place. Pure. Only the verbs Waypoint uses: Say,
// Gather (DTMF only, speech off), Dial, Hangup, Message. ADR 038.

/** Escapes the five XML special characters (text and attribute values alike). */
export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const unescapeXml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The voices' languages (Twilio's `language` attribute of Say). */
export type SayLanguage = 'en-US' | 'es-US';
/**
 * A voice for each language, named as Twilio names Amazon Polly's (also accepted by other
 * Twilio-compatible providers): the default voice "man" does not speak every locale, and
 * an invalid voice and language pair fails the Say.
 */
export const SAY_VOICE: Record<SayLanguage, string> = { 'en-US': 'Polly.Joanna', 'es-US': 'Polly.Lupe' };

export type Say = { verb: 'say'; text: string; language: SayLanguage };
export type Verb =
  | Say
  | { verb: 'gather'; action: string; numDigits: number; timeoutSeconds: number; say: Say[] }
  | { verb: 'dial'; number: string; timeoutSeconds: number }
  | { verb: 'hangup' }
  | { verb: 'message'; text: string };

const attrs = (a: Record<string, string | number>) =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');

function verbXml(v: Verb): string {
  switch (v.verb) {
    case 'say':
      return `<Say${attrs({ voice: SAY_VOICE[v.language], language: v.language })}>${escapeXml(v.text)}</Say>`;
    case 'gather':
      // DTMF only; with no key pressed the provider still posts to the action (Digits empty)
      return `<Gather${attrs({ input: 'dtmf', action: v.action, method: 'POST', numDigits: v.numDigits, timeout: v.timeoutSeconds, actionOnEmptyResult: 'true' })}>${v.say.map(verbXml).join('')}</Gather>`;
    case 'dial':
      return `<Dial${attrs({ timeout: v.timeoutSeconds })}><Number>${escapeXml(v.number)}</Number></Dial>`;
    case 'hangup':
      return '<Hangup/>';
    case 'message':
      return `<Message>${escapeXml(v.text)}</Message>`;
  }
}

export const twiml = (verbs: Verb[]): string => `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.map(verbXml).join('')}</Response>`;

/** What a caller hears and what the call does next, read back from TwiML (the console's simulator shows this). */
export type TwimlReading = { said: string[]; gather: { action: string; numDigits: number } | null; dial: string | null; hangup: boolean; message: string | null };

export function readTwiml(xml: string): TwimlReading {
  const said = [...xml.matchAll(/<Say[^>]*>([\s\S]*?)<\/Say>/g)].map((m) => unescapeXml(m[1]!));
  const g = /<Gather([^>]*)>/.exec(xml);
  const attr = (s: string, name: string) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(s);
    return m ? unescapeXml(m[1]!) : null;
  };
  const dial = /<Number>([\s\S]*?)<\/Number>/.exec(xml);
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(xml);
  return {
    said,
    gather: g ? { action: attr(g[1]!, 'action') ?? '', numDigits: Number(attr(g[1]!, 'numDigits') ?? '1') } : null,
    dial: dial ? unescapeXml(dial[1]!) : null,
    hangup: /<Hangup\/>/.test(xml),
    message: message ? unescapeXml(message[1]!) : null,
  };
}
