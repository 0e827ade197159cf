import type { StoredMessage } from '../store/types.js';

/**
 * What the console asks of the conversation engine: the ownership moves an agent makes and
 * the messages an agent writes. The engine owns the state machine (and with it the rule
 * that the bot is silent while an agent owns the chat); the console only calls it.
 * Every method returns false / throws `DeskError` when the move is not allowed now
 * (someone else claimed first, the agent does not own the chat).
 */
export interface AgentDesk {
  claim(conversationId: string, agent: string): Promise<boolean>;
  release(conversationId: string, agent: string): Promise<boolean>;
  transfer(conversationId: string, from: string, to: string): Promise<boolean>;
  /** Hands the chat back to the bot (the customer is told); `needed` = was the escalation needed. */
  resolve(conversationId: string, agent: string, needed: boolean): Promise<boolean>;
  /** A reply the customer sees. */
  reply(conversationId: string, agent: string, text: string, id?: string): Promise<StoredMessage>;
  /** An internal note only agents see. */
  note(conversationId: string, agent: string, text: string, id?: string): Promise<StoredMessage>;
  /** A message from the service itself to the customer (queue position, contact offer), not from an agent. */
  say(conversationId: string, text: string, id?: string): Promise<StoredMessage>;
}

/** A move refused because of the conversation's state: becomes a 409 with this message. */
export class DeskError extends Error {
  constructor(message: string, readonly status = 409) {
    super(message);
    this.name = 'DeskError';
  }
}
