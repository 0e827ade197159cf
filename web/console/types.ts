/** Shapes the console API and socket send (mirrors src/console; types only, no runtime code). */
export interface Agent {
  name: string;
  role: 'agent' | 'admin';
}
// The server's own types: type-only imports, erased from the browser bundle.
import type { QueueItem } from '../../src/console/queue.js';
import type { ConsoleMessage as Message, ConversationView } from '../../src/console/view.js';
import type { OwnershipTransition as Transition, StoredUnderstanding as Understanding } from '../../src/store/types.js';

export type { ConversationView, Message, QueueItem, Transition, Understanding };
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
