import { describe, expect, it } from 'vitest';
import { signResumeToken, verifyResumeToken } from '../../../src/channels/webchat/resume-token.js';

const secret = 'a-test-secret-of-some-length';
const claims = { conversationId: 'web:42', customerId: 'cust-7', iat: 1_000_000 };
const day = 86_400_000;

describe('resume tokens', () => {
  it('round-trips the claims', () => {
    const token = signResumeToken(secret, claims);
    expect(verifyResumeToken(secret, token, { maxAgeMs: day, now: claims.iat + 1000 })).toEqual({ ok: true, claims });
  });

  it('refuses a token signed with another secret', () => {
    const token = signResumeToken('another-secret-entirely', claims);
    expect(verifyResumeToken(secret, token, { maxAgeMs: day, now: claims.iat })).toEqual({ ok: false, reason: 'resume token signature does not match' });
  });

  it('refuses a token whose conversation was swapped', () => {
    const [, sig] = signResumeToken(secret, claims).split('.');
    const forged = Buffer.from(JSON.stringify({ c: 'web:someone-else', u: 'cust-7', t: claims.iat })).toString('base64url');
    expect(verifyResumeToken(secret, `${forged}.${sig}`, { maxAgeMs: day, now: claims.iat })).toMatchObject({ ok: false });
  });

  it('refuses an expired token', () => {
    const token = signResumeToken(secret, claims);
    expect(verifyResumeToken(secret, token, { maxAgeMs: day, now: claims.iat + day + 1 })).toEqual({ ok: false, reason: 'resume token expired' });
  });

  it('refuses garbage without throwing', () => {
    for (const t of ['', 'abc', 'a.b.c', '.', 'eyJ9.!!!']) {
      expect(verifyResumeToken(secret, t, { maxAgeMs: day }).ok).toBe(false);
    }
  });
});
