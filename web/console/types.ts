/** Shapes the console API and socket send (mirrors src/console; types only, no runtime code). */
export interface Agent {
  name: string;
  role: 'agent' | 'admin';
}
// The server's own types: type-only imports, erased from the browser bundle.
import type { QueueItem } from '../../src/console/queue.js';
import type { StoredUnderstanding as Understanding } from '../../src/store/types.js';

export type { QueueItem, Understanding };
export interface Message {
  id: string;
  seq: number;
  role: 'customer' | 'bot' | 'agent' | 'system';
  from: string;
  text: string;
  ts: number;
  internal?: boolean;
  replyTo?: string;
  understanding?: Understanding;
}
export interface Transition {
  conversationId: string;
  from: string;
  to: string;
  by: string;
  reason: string;
  agent?: string;
  ts: number;
}
export interface ConversationView {
  conversation: {
    id: string;
    channel: string;
    customerId: string;
    owner: 'bot' | 'queued' | 'agent' | 'resolved';
    agent?: string;
    priority: number;
    escalationReason?: string;
    queuedAt?: number;
    createdAt: number;
    attributes: Record<string, string>;
    frustration?: number;
  };
  summary: string;
  messages: Message[];
  transitions: Transition[];
}
export interface Canned {
  title: string;
  text: string;
}
export type ServerFrame =
  | { type: 'hello'; agent: Agent }
  | { type: 'queue'; queue: QueueItem[] }
  | { type: 'message'; conversationId: string; message: Message }
  | { type: 'typing'; conversationId: string; role: string; on: boolean }
  | { type: 'transition'; transition: Transition }
  | { type: 'error'; message: string };
export interface Ticket {
  id: string;
  conversationId: string;
  customerId: string;
  emails: string[];
  phones: string[];
  text: string;
  reason?: string;
  createdAt: number;
  status: 'open' | 'done';
}
