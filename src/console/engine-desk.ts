import type { Engine } from '../bot/engine-api.js';
import { OwnershipError, type Ownership } from '../bot/ownership.js';
import type { Store } from '../store/types.js';
import { DeskError, type AgentDesk } from './desk.js';

/**
 * The console's desk on top of the engine's ownership state machine (src/bot/ownership.ts).
 * A move the state machine refuses (someone else claimed first, not the owner, not allowed
 * from this state) becomes `false`, which the API turns into a 409.
 *
 * @example const desk = engineDesk(engine.ownership, engine, store);
 */
export function engineDesk(ownership: Ownership, engine: Engine, store: Store): AgentDesk {
  const refused = (error: unknown): false => {
    if (error instanceof OwnershipError && error.code !== 'not_found') return false;
    if (error instanceof OwnershipError) throw new DeskError(error.message, 404);
    throw error;
  };
  const asDeskError = (error: unknown): never => {
    if (error instanceof OwnershipError) throw new DeskError(error.message, error.code === 'not_found' ? 404 : 409);
    throw error;
  };
  const moved = (run: () => Promise<unknown>) => run().then(() => true, refused);
  return {
    claim: (id, agent) => moved(() => ownership.claim(id, agent)),
    release: (id, agent) => moved(() => ownership.release(id, agent)),
    transfer: (id, from, to) => moved(() => ownership.transfer(id, from, to)),
    resolve: (id, agent, needed) => moved(() => ownership.resolve(id, agent, needed)),
    reply: (id, agent, text, clientId) => ownership.agentReply(id, agent, text, clientId).catch(asDeskError),
    note: (id, agent, text, clientId) => ownership.note(id, agent, text, clientId).catch(asDeskError),
    async say(id, text, messageId) {
      const conversation = await store.getConversation(id);
      if (!conversation) throw new DeskError(`conversation ${id} does not exist`, 404);
      // A system message through the engine: stored, then delivered to the customer's channel.
      const { message } = await engine.accept({ id: messageId ?? `sys-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, conversationId: id, channel: conversation.channel, role: 'system', from: 'parley', text, ts: Date.now() });
      return message;
    },
  };
}
