import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const CannedReply = z.object({ title: z.string().min(1).max(60), text: z.string().min(1).max(2000) });
export type CannedReply = z.infer<typeof CannedReply>;

/** Console settings; every field has a default. */
export const ConsoleOptionsSchema = z.object({
  /** How long a sign-in lasts. */
  sessionTtlMs: z.number().int().positive().default(12 * 3_600_000),
  /** `auto`: Secure cookies when the request came over https (directly, or per X-Forwarded-Proto from a proxy). */
  secureCookies: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Canned replies, inserted with Alt+1..9 or the "/" menu. */
  cannedReplies: z.array(CannedReply).max(50).default([
    { title: 'Greeting', text: 'Hi, I am here to help. Let me look at your conversation.' },
    { title: 'Looking into it', text: 'Thanks for your patience, I am checking this for you right now.' },
    { title: 'Sorry', text: 'I am sorry about the trouble. Let me fix this for you.' },
    { title: 'Order number', text: 'Could you give me your order number, please?' },
    { title: 'Anything else', text: 'Is there anything else I can help you with?' },
  ]),
  /** Origins allowed to open the console socket; empty = only the server's own (Origin host must equal Host). */
  allowedOrigins: z.array(z.string()).default([]),
  /** Offer to leave contact details when no agent claimed a chat for this long; 0 = never. */
  contactOfferAfterMs: z.number().int().nonnegative().default(3 * 60_000),
  /** Expected handling time per conversation ahead in the queue, for the wait the customer is told. */
  waitPerPositionMs: z.number().int().positive().default(3 * 60_000),
  /** Longest reply or note, in characters. */
  maxTextLength: z.number().int().positive().max(4000).default(2000),
  /** Sign-in attempts per client address: a burst, then a slow refill. */
  loginRate: z.object({ capacity: z.number().positive(), refillPerSecond: z.number().nonnegative() }).default({ capacity: 10, refillPerSecond: 0.2 }),
  /** Where the built console script lives (`npm run build:web`) and its static page. */
  distDir: z.string().default(path.join(repoRoot, 'web/dist')),
  staticDir: z.string().default(path.join(repoRoot, 'web/console')),
  /** Queue refresh for everyone (waiting time raises priority even when nothing happens). */
  queueRefreshMs: z.number().int().positive().default(15_000),
});
export type ConsoleOptions = z.input<typeof ConsoleOptionsSchema>;
export type ConsoleSettings = z.output<typeof ConsoleOptionsSchema>;

/** Validates options once, at mount time, naming the bad field. */
export function resolveConsoleOptions(options: ConsoleOptions = {}): ConsoleSettings {
  const parsed = ConsoleOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`console: invalid options (${detail})`);
  }
  return parsed.data;
}
