import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack refuses replays older than five minutes; so do we. */
const MAX_AGE_SECONDS = 5 * 60;

/**
 * Verifies Slack's request signature (`X-Slack-Signature: v0=<hex hmac>` over
 * `v0:<timestamp>:<raw body>` with the app's signing secret).
 *
 * @example verifySlackSignature(secret, req.headers, rawBody) // => { ok: true }
 */
export function verifySlackSignature(
  signingSecret: string,
  headers: { timestamp?: string; signature?: string },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): { ok: true } | { ok: false; reason: string } {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing X-Slack-Request-Timestamp or X-Slack-Signature' };
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(nowSeconds - ts) > MAX_AGE_SECONDS) return { ok: false, reason: 'request timestamp too old (replay?)' };
  const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

/** Signs a body the way Slack does (used by tests and local fakes). */
export function signSlackBody(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}
