import { z } from 'zod';

/** Who wrote a message. */
export const Role = z.enum(['customer', 'bot', 'agent', 'system']);
export type Role = z.infer<typeof Role>;

export const Channel = z.enum(['webchat', 'teams', 'slack', 'cli', 'test']);
export type Channel = z.infer<typeof Channel>;

export const QuickReply = z.object({ title: z.string().min(1).max(80), value: z.string().min(1).max(200) });
export type QuickReply = z.infer<typeof QuickReply>;

/**
 * The one internal message type. Channel adapters turn their wire format into this at
 * the edge; nothing past the adapter sees a channel payload.
 */
export const Activity = z.object({
  id: z.string().min(1).max(100),
  conversationId: z.string().min(1).max(200),
  channel: Channel,
  role: Role,
  from: z.string().min(1).max(200),   // customer id, 'bot', agent name
  text: z.string().max(4000),
  quickReplies: z.array(QuickReply).max(10).optional(),
  ts: z.number().int().nonnegative(), // ms since epoch
  replyTo: z.string().optional(),
  internal: z.boolean().optional(),   // agent notes: never delivered to the customer
});
export type Activity = z.infer<typeof Activity>;
