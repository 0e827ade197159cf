import { randomUUID } from 'node:crypto';
import { summarize, type SummaryItem } from '../escalation/index.js';
import { recordFeedback } from '../training/feedback-log.js';
import type { Conversation, OwnershipTransition, Owner, StoredMessage, Store } from '../store/types.js';

/**
 * Who may hand a conversation to whom. One owner at a time: the bot, the agents' queue, one
 * agent, or nobody because it was resolved (the bot takes it back on the next customer message).
 */
export const ALLOWED: Readonly<Record<Owner, readonly Owner[]>> = {
  bot: ['queued', 'agent'],              // escalate; an agent takes over a bot chat directly
  queued: ['agent', 'bot', 'resolved'],  // claim; the bot takes it back; closed from the queue
  agent: ['agent', 'queued', 'bot', 'resolved'], // transfer; release; hand back; resolve
  resolved: ['bot', 'queued'],           // the customer writes again; reopened for agents
};

/** Why an ownership change was refused. `code` is stable for the console to switch on. */
export class OwnershipError extends Error {
  constructor(readonly code: 'not_found' | 'invalid_transition' | 'conflict' | 'not_owner', message: string) {
    super(message);
    this.name = 'OwnershipError';
  }
}

/** Whether `from -> to` is in the transitions table. */
export function canTransition(from: Owner, to: Owner): boolean {
  return ALLOWED[from].includes(to);
}

/** What the ownership service needs from the engine: posting messages and announcing events. */
export interface OwnershipContext {
  store: Store;
  /** Stores a message (idempotent on id) and announces it. */
  post(message: Omit<StoredMessage, 'seq'>): Promise<StoredMessage>;
  announce(transition: OwnershipTransition): void;
  now?: () => number;
}

/**
 * The conversation ownership state machine. Every change is checked against `ALLOWED`,
 * applied with compare-and-set (two agents claiming at once: one wins, the other gets a
 * `conflict`), written to the audit log, announced as a `transition` event with its reason,
 * and, where the customer should know, told to the customer.
 *
 * @example
 * await ownership.claim('web:42', 'alice');      // queued -> agent
 * await ownership.agentReply('web:42', 'alice', 'Hi, I am Alice, let me check.');
 * await ownership.resolve('web:42', 'alice', true); // agent -> resolved, the bot is back
 */
export class Ownership {
  private readonly now: () => number;

  constructor(private readonly ctx: OwnershipContext) {
    this.now = ctx.now ?? Date.now;
  }

  /**
   * Applies one transition. `expect` narrows who must own it now (owner and agent). Throws
   * OwnershipError when the conversation is unknown, the change is not allowed, or someone
   * changed it first.
   */
  async transition(conversationId: string, to: Owner, change: { by: string; reason: string; agent?: string; priority?: number; expectOwner?: Owner | Owner[]; expectAgent?: string }): Promise<{ conversation: Conversation; transition: OwnershipTransition }> {
    const conversation = await this.ctx.store.getConversation(conversationId);
    if (!conversation) throw new OwnershipError('not_found', `conversation ${conversationId} does not exist`);
    const from = conversation.owner;
    const expected = change.expectOwner === undefined ? undefined : ([] as Owner[]).concat(change.expectOwner);
    if (expected && !expected.includes(from)) {
      throw new OwnershipError('conflict', `conversation ${conversationId} is ${from}, expected ${expected.join(' or ')}`);
    }
    if (change.expectAgent !== undefined && (from !== 'agent' || conversation.agent !== change.expectAgent)) {
      throw new OwnershipError('not_owner', `${change.expectAgent} does not own conversation ${conversationId} (owner: ${from}${conversation.agent ? ` ${conversation.agent}` : ''})`);
    }
    if (!canTransition(from, to)) throw new OwnershipError('invalid_transition', `conversation ${conversationId} cannot go from ${from} to ${to}`);
    const t: OwnershipTransition = {
      conversationId, from, to, by: change.by, reason: change.reason, ts: this.now(),
      ...(change.agent !== undefined ? { agent: change.agent } : {}),
      ...(change.priority !== undefined ? { priority: change.priority } : {}),
    };
    const applied = await this.ctx.store.transition(t, change.expectAgent);
    if (!applied) throw new OwnershipError('conflict', `conversation ${conversationId} changed owner meanwhile; reload it`);
    await this.ctx.store.audit({ ts: t.ts, actor: t.by, action: actionOf(from, to), subject: conversationId, details: { from, to, reason: t.reason, ...(t.agent ? { agent: t.agent } : {}), ...(t.priority !== undefined ? { priority: t.priority } : {}) } });
    this.ctx.announce(t);
    return { conversation: { ...conversation, owner: to, agent: to === 'agent' ? t.agent ?? t.by : undefined }, transition: t };
  }

  /**
   * Puts a conversation in the agents' queue and tells the customer their position.
   * `noticeId` makes the notice idempotent (a turn re-run after a crash does not repeat it).
   */
  async escalate(conversationId: string, reason: string, priority: number, by = 'policy', noticeId?: string): Promise<{ position: number }> {
    const { conversation } = await this.transition(conversationId, 'queued', { by, reason, priority, expectOwner: ['bot', 'agent', 'resolved'] });
    const position = await this.queuePosition(conversationId);
    await this.summaryNote(conversation, reason, noticeId);
    await this.system(conversation, noticeId ?? `sys-${randomUUID()}`, `I'm passing you to a member of our support team. You are number ${position} in the queue; someone will join this chat shortly. You can keep writing here in the meantime.`);
    return { position };
  }

  /** An agent takes a queued (or bot) conversation. Exactly one of two simultaneous claims wins. */
  async claim(conversationId: string, agent: string): Promise<void> {
    const { conversation } = await this.transition(conversationId, 'agent', { by: agent, agent, reason: `claimed by ${agent}`, expectOwner: ['queued', 'bot'] });
    await this.system(conversation, `sys-${randomUUID()}`, `${agent} from our support team has joined the chat.`);
  }

  /** The agent puts the conversation back in the queue. */
  async release(conversationId: string, agent: string): Promise<void> {
    await this.transition(conversationId, 'queued', { by: agent, reason: `released by ${agent}`, expectAgent: agent });
  }

  /** Hands the conversation from one agent to another. */
  async transfer(conversationId: string, fromAgent: string, toAgent: string): Promise<void> {
    const { conversation } = await this.transition(conversationId, 'agent', { by: fromAgent, agent: toAgent, reason: `transferred from ${fromAgent} to ${toAgent}`, expectAgent: fromAgent });
    await this.system(conversation, `sys-${randomUUID()}`, `${toAgent} has taken over this chat.`);
  }

  /**
   * The agent closes the conversation; the bot answers the customer's next message. `needed`
   * (was the escalation worth it?) is recorded as feedback for the escalation policy.
   */
  async resolve(conversationId: string, agent: string, needed: boolean): Promise<void> {
    const conversation = await this.ctx.store.getConversation(conversationId);
    const { conversation: c } = await this.transition(conversationId, 'resolved', {
      by: agent,
      reason: `resolved by ${agent} (escalation ${needed ? 'needed' : 'not needed'})`,
      ...(conversation?.owner === 'agent' ? { expectAgent: agent } : { expectOwner: 'queued' as const }),
    });
    // Through recordFeedback like all feedback (validated, any text redacted).
    await recordFeedback(this.ctx.store, {
      id: `fb-${randomUUID()}`, kind: 'escalation-outcome', conversationId, value: needed ? 'needed' : 'not-needed', by: agent, ts: this.now(),
      ...(conversation?.escalationReason ? { text: conversation.escalationReason } : {}),
    });
    await this.system(c, `sys-${randomUUID()}`, `${agent} has closed this conversation. If you need anything else, just write here and the assistant will help you.`);
  }

  /**
   * A message from the agent who owns the conversation to the customer. `clientId` (the
   * console's id for what the agent wrote) makes a resend after a network error idempotent.
   */
  async agentReply(conversationId: string, agent: string, text: string, clientId?: string): Promise<StoredMessage> {
    const conversation = await this.requireOwner(conversationId, agent);
    return this.mine(agent, await this.ctx.post({ id: `agt-${clientId ?? randomUUID()}`, conversationId, channel: conversation.channel, role: 'agent', from: agent, text, ts: this.now() }));
  }

  /** An internal note: stored with the conversation, shown to agents, never to the customer. */
  async note(conversationId: string, agent: string, text: string, clientId?: string): Promise<StoredMessage> {
    const conversation = await this.ctx.store.getConversation(conversationId);
    if (!conversation) throw new OwnershipError('not_found', `conversation ${conversationId} does not exist`);
    return this.mine(agent, await this.ctx.post({ id: `note-${clientId ?? randomUUID()}`, conversationId, channel: conversation.channel, role: 'agent', from: agent, text, ts: this.now(), internal: true }));
  }

  /** A resend returns the stored copy; a clientId that names someone else's message is refused. */
  private mine(agent: string, stored: StoredMessage): StoredMessage {
    if (stored.role !== 'agent' || stored.from !== agent) throw new OwnershipError('conflict', 'that clientId is already used by another message; pick a new one');
    return stored;
  }

  /** 1-based place in the queue: higher priority first, then who waited longest. */
  async queuePosition(conversationId: string): Promise<number> {
    const queued = await this.ctx.store.listConversations({ owner: 'queued' });
    const me = queued.find((c) => c.id === conversationId);
    if (!me) return 0;
    return 1 + queued.filter((c) => c.id !== me.id && (c.priority > me.priority || (c.priority === me.priority && (c.queuedAt ?? 0) < (me.queuedAt ?? 0)))).length;
  }

  /** An internal note for the agent who picks the conversation up: why, and what happened so far. */
  private async summaryNote(conversation: Conversation, reason: string, noticeId?: string): Promise<void> {
    const items: SummaryItem[] = (await this.ctx.store.listMessages(conversation.id))
      .filter((m) => !m.internal)
      .map((m) => ({ role: m.role, text: m.text, ...(m.understanding ? { intent: m.understanding.intent, sentimentScore: m.understanding.sentimentScore } : {}) }));
    await this.ctx.post({
      id: noticeId ? `${noticeId}-summary` : `sum-${randomUUID()}`,
      conversationId: conversation.id, channel: conversation.channel, role: 'system', from: 'parley', ts: this.now(), internal: true,
      text: `Escalated: ${reason}. ${summarize(items)}.`,
    });
  }

  private async requireOwner(conversationId: string, agent: string): Promise<Conversation> {
    const conversation = await this.ctx.store.getConversation(conversationId);
    if (!conversation) throw new OwnershipError('not_found', `conversation ${conversationId} does not exist`);
    if (conversation.owner !== 'agent' || conversation.agent !== agent) {
      throw new OwnershipError('not_owner', `${agent} does not own conversation ${conversationId}; claim it first`);
    }
    return conversation;
  }

  private async system(conversation: Conversation, id: string, text: string): Promise<void> {
    await this.ctx.post({ id, conversationId: conversation.id, channel: conversation.channel, role: 'system', from: 'parley', text, ts: this.now() });
  }
}

function actionOf(from: Owner, to: Owner): string {
  if (to === 'queued') return from === 'agent' ? 'release' : 'escalate';
  if (to === 'agent') return from === 'agent' ? 'transfer' : 'claim';
  if (to === 'resolved') return 'resolve';
  return from === 'resolved' ? 'reopen' : 'hand-back';
}
