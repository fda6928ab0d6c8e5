// TwiML: every text and attribute escaped (a quote, an ampersand or a tag in a word can
// never change the document), and read back as written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXml, readTwiml, twiml } from './twiml.ts';

describe('TwiML', () => {
  it('escapes text and attributes', () => {
    const xml = twiml([{ verb: 'gather', action: 'https://x.example/a?seq=1&b="2"', numDigits: 1, timeoutSeconds: 5, say: [{ verb: 'say', text: `<Hangup/> & 'more'`, language: 'en-US' }] }]);
    expect(xml).toContain('action="https://x.example/a?seq=1&amp;b=&quot;2&quot;"');
    expect(xml).toContain('&lt;Hangup/&gt; &amp; &apos;more&apos;');
    expect(xml).not.toContain('<Hangup/>');
    expect(escapeXml('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('property: any text said is read back exactly, and no text adds an element', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 30 }), (texts, number) => {
        const xml = twiml([...texts.map((text) => ({ verb: 'say' as const, text, language: 'es-US' as const })), { verb: 'dial', number, timeoutSeconds: 30 }]);
        const r = readTwiml(xml);
        expect(r.said).toEqual(texts);
        expect(r.dial).toBe(number);
        expect(r.hangup).toBe(false);
        expect(xml.match(/<Say /g)).toHaveLength(texts.length);
      }),
      { numRuns: 500 },
    );
  });
});
