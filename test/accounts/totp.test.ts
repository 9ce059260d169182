import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, totpStep, totpUri } from '../../worker/accounts/totp.ts';

// RFC 6238 appendix B, SHA-1: the seed is the ASCII "12345678901234567890"; 8-digit codes, of which apps show the last 6.
const SEED = Buffer.from('12345678901234567890');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('makes the RFC test vectors', () => {
    for (const [seconds, code] of VECTORS) expect(hotp(SEED, Math.floor(seconds / 30), 8)).toBe(code);
  });

  it('round-trips base32 and matches a code within one step either side only', () => {
    const secret = base32Encode(SEED);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret)).toEqual(SEED);
    const at = new Date(1111111111_000);
    const code = hotp(SEED, totpStep(at));
    expect(matchTotp(secret, code, at)).toBe(totpStep(at));
    expect(matchTotp(secret, code, new Date(at.getTime() + 30_000))).toBe(totpStep(at));
    expect(matchTotp(secret, code, new Date(at.getTime() + 61_000))).toBeNull();
    expect(matchTotp(secret, '12345', at)).toBeNull();
    expect(matchTotp(secret, 'abcdef', at)).toBeNull();
  });

  it('writes the otpauth address apps read', () => {
    expect(totpUri('ABC', 'ana@example.com', 'Vigía')).toBe('otpauth://totp/Vig%C3%ADa%3Aana%40example.com?secret=ABC&issuer=Vig%C3%ADa&algorithm=SHA1&digits=6&period=30');
  });
});
