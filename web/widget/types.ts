import type { Role } from '../../src/bot/activity.js';

export type { Role };
export type { ServerFrame, ErrorCode } from '../../src/channels/webchat/protocol.js';

/** One line of the transcript as the widget shows it. */
export interface ChatItem {
  /** Server message id; for the customer's own messages this is the clientId. */
  id: string;
  seq?: number;
  role: Role;
  text: string;
  quickReplies?: Array<{ title: string; value: string }>;
  ts: number;
  /** Customer messages: shown as "sending" until the server acknowledged them. */
  status?: 'sending' | 'sent' | 'failed';
  /** Why a message failed. */
  error?: string;
  /** The customer's thumbs on a bot reply. */
  thumbs?: 'up' | 'down';
}

export interface OutgoingItem {
  clientId: string;
  kind: 'message' | 'quickReply';
  text: string;
}

export type ConnectionState = 'connecting' | 'online' | 'offline';
