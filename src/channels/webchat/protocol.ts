import { z } from 'zod';
import { Role } from '../../bot/activity.js';

/**
 * The web chat wire protocol: JSON frames over a WebSocket at `/chat`, one object per
 * frame with a `type`. Described for humans in docs/webchat-protocol.md; this file is the
 * source of truth. The widget imports the types only (no zod in the browser bundle).
 */

/** A client message id: chosen by the widget, used as the Activity id so a resend is a no-op. */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'clientId must be 1-64 characters of A-Z a-z 0-9 _ -');

/** Ids of stored messages and conversations the client echoes back to us. */
const Id = z.string().min(1).max(200);

export const HelloFrame = z.strictObject({
  type: z.literal('hello'),
  conversationId: Id.optional(),
  resumeToken: z.string().min(1).max(1000).optional(),
  lastSeq: z.number().int().nonnegative().optional(),
  customer: z
    .strictObject({
      id: z.string().min(1).max(200).optional(),
      attributes: z.record(z.string().max(64), z.string().max(500)).optional(),
    })
    .optional(),
});

export const MessageFrame = z.strictObject({ type: z.literal('message'), clientId: ClientId, text: z.string() });
export const QuickReplyFrame = z.strictObject({ type: z.literal('quickReply'), clientId: ClientId, value: z.string().min(1).max(200) });
export const ThumbsFrame = z.strictObject({ type: z.literal('thumbs'), messageId: Id, value: z.enum(['up', 'down']) });
export const TypingFrame = z.strictObject({ type: z.literal('typing'), on: z.boolean() });
export const PingFrame = z.strictObject({ type: z.literal('ping') });

export const ClientFrame = z.discriminatedUnion('type', [HelloFrame, MessageFrame, QuickReplyFrame, ThumbsFrame, TypingFrame, PingFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type HelloFrame = z.infer<typeof HelloFrame>;

/** Why the server refused something. Stable strings: the widget and tests switch on them. */
export type ErrorCode =
  | 'malformed'          // not JSON, unknown type, wrong fields
  | 'too_large'          // frame above maxFrameBytes
  | 'text_too_long'      // message text above maxTextLength
  | 'empty_text'
  | 'rate_limited'       // token bucket empty: the message was NOT accepted, resend later
  | 'hello_required'     // first frame must be hello
  | 'already_joined'     // a second hello on the same socket
  | 'bad_resume_token'   // token forged, expired, or not for this conversation
  | 'duplicate_id'       // clientId already used by another message
  | 'not_found'          // thumbs on a message that is not a bot reply of this conversation
  | 'internal';          // the engine failed; resend later

/** Server -> client frames. */
export type ServerFrame =
  | { type: 'welcome'; conversationId: string; resumeToken: string; customerId: string }
  | { type: 'ack'; clientId: string; seq: number }
  | { type: 'message'; id: string; seq: number; role: Role; text: string; quickReplies?: Array<{ title: string; value: string }>; ts: number }
  | { type: 'typing'; role: Role; on: boolean }
  | { type: 'state'; owner: 'bot' | 'queued' | 'agent' | 'resolved'; queuePosition?: number }
  | { type: 'error'; code: ErrorCode; reason: string; clientId?: string }
  | { type: 'pong' };

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; code: ErrorCode; reason: string; clientId?: string };

/**
 * Parses one raw text frame. Never throws: a bad frame becomes a reason the server sends
 * back, naming the first bad field.
 *
 * @example parseClientFrame('{"type":"ping"}') // => { ok: true, frame: { type: 'ping' } }
 * @example parseClientFrame('{"type":"nope"}') // => { ok: false, code: 'malformed', reason: 'type: ...' }
 */
export function parseClientFrame(raw: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'malformed', reason: 'frame is not valid JSON' };
  }
  const parsed = ClientFrame.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'frame';
  // Echo the clientId when we can read one, so the widget knows which message failed.
  const clientId = typeof json === 'object' && json !== null && typeof (json as { clientId?: unknown }).clientId === 'string'
    ? ClientId.safeParse((json as { clientId: string }).clientId).data
    : undefined;
  return { ok: false, code: 'malformed', reason: `${where}: ${issue?.message ?? 'invalid'}`, ...(clientId ? { clientId } : {}) };
}
