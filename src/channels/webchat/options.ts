import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Web chat settings. One object serves both `attachWebchat` (the WebSocket) and
 * `webchatRouter` (the static files); every field but `secret` has a default.
 */
export const WebchatOptionsSchema = z.object({
  /** HMAC key for resume tokens. Rotating it logs every widget out of its conversation. */
  secret: z.string().min(16, 'webchat secret must be at least 16 characters (set WEBCHAT_SECRET)'),
  /** WebSocket path. */
  path: z.string().startsWith('/').default('/chat'),
  /** Hard cap enforced by ws itself: above it the socket is closed with 1009. */
  maxPayloadBytes: z.number().int().positive().default(64 * 1024),
  /** Soft cap: above it the frame is refused with an `too_large` error frame. */
  maxFrameBytes: z.number().int().positive().default(8 * 1024),
  /** Longest accepted message text, in characters (the Activity allows 4000). */
  maxTextLength: z.number().int().positive().max(4000).default(2000),
  /** Messages, quick replies and thumbs per connection: a burst of `capacity`, then `refillPerSecond`. */
  rate: z.object({ capacity: z.number().positive(), refillPerSecond: z.number().nonnegative() }).default({ capacity: 10, refillPerSecond: 1 }),
  /** Every frame (typing and pings included), against floods. */
  frameRate: z.object({ capacity: z.number().positive(), refillPerSecond: z.number().nonnegative() }).default({ capacity: 60, refillPerSecond: 10 }),
  /** Refused frames (malformed, too large, rate limited) tolerated before the socket is closed. */
  maxStrikes: z.number().int().positive().default(10),
  /** Close a connection that sent no frame for this long. */
  idleTimeoutMs: z.number().int().positive().default(5 * 60_000),
  /** A socket must say hello within this time. */
  helloTimeoutMs: z.number().int().positive().default(10_000),
  /**
   * How long the frames of a customer message (its ack, its copy, the bot typing) wait for
   * the bot's reply, to go out with it in one write; 0 sends each at once. A reply within
   * this time arrives with the ack and without a typing indicator that would only flicker;
   * a slower one shows the bot typing when the time is up.
   */
  replyHoldMs: z.number().int().nonnegative().default(300),
  /** Protocol-level ping interval; a peer that did not answer the previous ping is dropped. */
  keepaliveMs: z.number().int().positive().default(30_000),
  /** How long a resume token stays valid. */
  tokenMaxAgeMs: z.number().int().positive().default(30 * 24 * 3_600_000),
  /** Allowed `Origin` headers for the WebSocket upgrade; empty = any (the widget runs on other sites). */
  allowedOrigins: z.array(z.string()).default([]),
  /** Where the built widget lives (`npm run build:web`). */
  distDir: z.string().default(path.join(repoRoot, 'web/dist')),
  /** The demo page served at `/`. */
  demoDir: z.string().default(path.join(repoRoot, 'web/demo')),
  /** Serve the demo shop at `/` (turn off when the server's root belongs to someone else). */
  serveDemo: z.boolean().default(true),
});

export type WebchatOptions = z.input<typeof WebchatOptionsSchema> & {
  /** Where refused frames and engine failures are reported (a pino logger fits). */
  logger?: WebchatLogger;
};
export type WebchatSettings = z.output<typeof WebchatOptionsSchema> & { logger?: WebchatLogger };

export interface WebchatLogger {
  warn(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
}

/** Validates options once, at mount time, with a message naming the bad field. */
export function resolveWebchatOptions(options: WebchatOptions): WebchatSettings {
  const parsed = WebchatOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`webchat: invalid options (${detail})`);
  }
  return { ...parsed.data, logger: options.logger };
}
