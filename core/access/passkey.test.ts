import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { counterVerdict, passkeyFailureOf, relyingPartyOf } from './passkey.ts';

const counter = fc.integer({ min: 0, max: 0xffffffff });

describe('the signature counter', () => {
  it('an authenticator that keeps no counter (0 and 0) is fine', () => {
    expect(counterVerdict(0, 0)).toBe('ok');
  });

  it('a counter that goes up is fine; one that stays or goes back is a possible clone', () => {
    fc.assert(
      fc.property(counter, counter, (stored, received) => {
        const verdict = counterVerdict(stored, received);
        if (stored === 0 && received === 0) expect(verdict).toBe('ok');
        else expect(verdict).toBe(received > stored ? 'ok' : 'possible-clone');
      }),
    );
  });

  it('a sequence of unlocks each taking the new counter never flags a strictly increasing authenticator', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 30 }), (steps) => {
        let stored = 0;
        for (const step of steps) {
          const received = stored + step;
          expect(counterVerdict(stored, received)).toBe('ok');
          stored = received;
        }
        if (stored > 0) expect(counterVerdict(stored, stored)).toBe('possible-clone');
      }),
    );
  });
});

describe('the relying party', () => {
  it('is the public origin’s host name', () => {
    expect(relyingPartyOf('https://waypoint.clinic.example')).toEqual({ rpId: 'waypoint.clinic.example', origin: 'https://waypoint.clinic.example' });
    expect(relyingPartyOf('https://waypoint.clinic.example:8443')).toEqual({ rpId: 'waypoint.clinic.example', origin: 'https://waypoint.clinic.example:8443' });
    expect(relyingPartyOf('http://localhost:3000')).toEqual({ rpId: 'localhost', origin: 'http://localhost:3000' });
    expect(relyingPartyOf('http://localhost')).toEqual({ rpId: 'localhost', origin: 'http://localhost' });
  });

  it('is none for an IP address, for plain http off localhost, and for what is not an http(s) URL', () => {
    for (const o of ['http://127.0.0.1:3000', 'https://10.0.0.5', 'http://[::1]:3000', 'http://waypoint.clinic.example', 'ftp://x.example', 'not a url']) expect(relyingPartyOf(o)).toBeNull();
  });
});

describe('why a passkey response was refused', () => {
  it('names the check from the library’s message, whatever base64url it quotes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{10,60}$/), fc.stringMatching(/^[A-Za-z0-9_-]{10,60}$/), (a, b) => {
        expect(passkeyFailureOf(`Unexpected authentication response challenge "${a}", expected "${b}"`)).toBe('challenge');
        expect(passkeyFailureOf(`Unexpected registration response challenge "${a}", expected "${b}"`)).toBe('challenge');
      }),
    );
    expect(passkeyFailureOf('Unexpected registration response origin "https://evil.example", expected "http://localhost"')).toBe('origin');
    expect(passkeyFailureOf('Unexpected RP ID hash')).toBe('rp-id');
    expect(passkeyFailureOf('User verification required, but user could not be verified')).toBe('user-verification');
    expect(passkeyFailureOf('User verification was required, but user could not be verified')).toBe('user-verification');
    expect(passkeyFailureOf('Credential response signature was not a base64url string')).toBe('response');
  });
});
