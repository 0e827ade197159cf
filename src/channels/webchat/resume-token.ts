import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a resume token proves: this client was given this conversation, as this customer. */
export interface ResumeClaims {
  conversationId: string;
  customerId: string;
  /** Issued at, ms since epoch. */
  iat: number;
}

export type VerifyResult = { ok: true; claims: ResumeClaims } | { ok: false; reason: string };

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
const mac = (secret: string, payload: string): Buffer => createHmac('sha256', secret).update(`parley-webchat-resume.${payload}`).digest();

/**
 * Signs a resume token: `base64url(json claims).base64url(hmac-sha256)`. Conversation ids
 * are not secrets (they show up in logs and the console), so reading a conversation needs
 * this token, which only the server can mint.
 *
 * @example signResumeToken(secret, { conversationId: 'web:1', customerId: 'c1', iat: Date.now() }) // => 'eyJj...Q.kX9...'
 */
export function signResumeToken(secret: string, claims: ResumeClaims): string {
  const payload = b64(JSON.stringify({ c: claims.conversationId, u: claims.customerId, t: claims.iat }));
  return `${payload}.${b64(mac(secret, payload))}`;
}

/**
 * Verifies a token's signature and age. The caller still checks that the claims match
 * the conversation the client asks for.
 *
 * @example verifyResumeToken(secret, token, { maxAgeMs: 30 * 86_400_000 }) // => { ok: true, claims: {...} }
 */
export function verifyResumeToken(secret: string, token: string, { maxAgeMs, now = Date.now() }: { maxAgeMs: number; now?: number }): VerifyResult {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'resume token is not of the form payload.signature' };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'resume token signature does not match' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'resume token payload is not JSON' };
  }
  const { c, u, t } = (raw ?? {}) as { c?: unknown; u?: unknown; t?: unknown };
  if (typeof c !== 'string' || typeof u !== 'string' || typeof t !== 'number') return { ok: false, reason: 'resume token payload is incomplete' };
  if (now - t > maxAgeMs) return { ok: false, reason: 'resume token expired' };
  return { ok: true, claims: { conversationId: c, customerId: u, iat: t } };
}
