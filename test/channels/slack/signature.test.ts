import { describe, expect, it } from 'vitest';
import { signSlackBody, verifySlackSignature } from '../../../src/channels/slack/signature.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';

describe('verifySlackSignature', () => {
  const now = 1_700_000_000;
  const body = 'token=x&team_id=T1&text=hello';

  it('accepts a body signed with the signing secret', () => {
    const signature = signSlackBody(secret, now, body);
    expect(verifySlackSignature(secret, { timestamp: String(now), signature }, body, now)).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret and missing headers', () => {
    const signature = signSlackBody(secret, now, body);
    expect(verifySlackSignature(secret, { timestamp: String(now), signature }, body + 'x', now)).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(verifySlackSignature('other', { timestamp: String(now), signature }, body, now)).toMatchObject({ ok: false });
    expect(verifySlackSignature(secret, { timestamp: String(now) }, body, now)).toMatchObject({ ok: false, reason: expect.stringContaining('missing') });
  });

  it('refuses replays older than five minutes', () => {
    const old = now - 301;
    const signature = signSlackBody(secret, old, body);
    expect(verifySlackSignature(secret, { timestamp: String(old), signature }, body, now)).toMatchObject({ ok: false, reason: expect.stringContaining('too old') });
  });
});
