import { z } from 'zod';
import { CannedReply, type ConsoleOptions } from './options.js';

const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const seconds = (max: number) => z.coerce.number().int().min(0).max(max);

/**
 * The console's environment variables, merged into the server's one schema
 * (src/server/config.ts). Each is documented in .env.example.
 */
export const ConsoleEnvSchema = z.object({
  /** How long an agent stays signed in. */
  CONSOLE_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Secure cookies: auto (when the request came over https, directly or per X-Forwarded-Proto), always, never. */
  CONSOLE_SECURE_COOKIES: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Canned replies as JSON: [{"title":"Greeting","text":"Hi, ..."}]. Empty = the built-in set. */
  CONSOLE_CANNED_REPLIES: z.string().optional(),
  /** Offer to leave contact details after this many seconds in the queue without an agent (0 = never). */
  CONSOLE_CONTACT_OFFER_AFTER_S: seconds(86_400).default(180),
  /** Expected handling time per conversation ahead, for the wait the customer is told. */
  CONSOLE_WAIT_PER_POSITION_S: seconds(86_400).default(180),
  /** Other origins allowed to open the console socket (the console's own is always allowed). */
  CONSOLE_ALLOWED_ORIGINS: list.optional(),
});
export type ConsoleEnv = z.infer<typeof ConsoleEnvSchema>;

/** Turns the parsed variables into console options; throws with the variable's name when the canned replies are not valid JSON. */
export function consoleOptionsFromEnv(e: ConsoleEnv): ConsoleOptions {
  let cannedReplies: ConsoleOptions['cannedReplies'];
  if (e.CONSOLE_CANNED_REPLIES) {
    let json: unknown;
    try {
      json = JSON.parse(e.CONSOLE_CANNED_REPLIES);
    } catch {
      throw new Error('CONSOLE_CANNED_REPLIES is not valid JSON (e.g. [{"title":"Greeting","text":"Hi, how can I help?"}])');
    }
    const parsed = z.array(CannedReply).max(50).safeParse(json);
    if (!parsed.success) throw new Error(`CONSOLE_CANNED_REPLIES: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    cannedReplies = parsed.data;
  }
  return {
    sessionTtlMs: Math.round(e.CONSOLE_SESSION_HOURS * 3_600_000),
    secureCookies: e.CONSOLE_SECURE_COOKIES,
    contactOfferAfterMs: e.CONSOLE_CONTACT_OFFER_AFTER_S * 1000,
    waitPerPositionMs: Math.max(1, e.CONSOLE_WAIT_PER_POSITION_S) * 1000,
    ...(cannedReplies ? { cannedReplies } : {}),
    ...(e.CONSOLE_ALLOWED_ORIGINS ? { allowedOrigins: e.CONSOLE_ALLOWED_ORIGINS } : {}),
  };
}
