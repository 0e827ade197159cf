import { queuePriority } from '../escalation/priority.js';
import { defaultPolicy, type EscalationPolicy } from '../escalation/policy.js';
import type { Conversation } from '../store/types.js';

/** One row of the agents' queue, as the console shows it. */
export interface QueueItem {
  conversationId: string;
  channel: string;
  customerId: string;
  owner: 'queued' | 'agent';
  agent?: string;
  /** Current priority (escalation priority, newer frustration, waiting time), higher first. */
  priority: number;
  reason?: string;
  queuedAt?: number;
  waitingMs: number;
  /** 1-based place among the queued conversations; undefined once an agent owns it. */
  position?: number;
  frustration?: number;
  attributes: Record<string, string>;
}

/**
 * Orders conversations into the console's queue: waiting ones first by priority (ties: who
 * waited longest), then the ones agents own (by agent, then oldest). Pure.
 *
 * @example
 * buildQueue(await store.listConversations({ owner: ['queued', 'agent'] }), Date.now())
 * // [{ conversationId: 'web:1', owner: 'queued', priority: 61.2, position: 1, ... }, ...]
 */
export function buildQueue(conversations: readonly Conversation[], now: number, policy: EscalationPolicy = defaultPolicy): QueueItem[] {
  const items = conversations
    .filter((c): c is Conversation & { owner: 'queued' | 'agent' } => c.owner === 'queued' || c.owner === 'agent')
    .map((c): QueueItem => {
      const level = frustrationOf(c);
      return {
        conversationId: c.id,
        channel: c.channel,
        customerId: c.customerId,
        owner: c.owner,
        ...(c.agent ? { agent: c.agent } : {}),
        priority: c.owner === 'queued' ? queuePriority({ ...c, frustration: level }, now, policy) : c.priority,
        ...(c.escalationReason ? { reason: c.escalationReason } : {}),
        ...(c.queuedAt !== undefined ? { queuedAt: c.queuedAt } : {}),
        waitingMs: c.queuedAt === undefined ? 0 : Math.max(0, now - c.queuedAt),
        ...(typeof level === 'number' ? { frustration: level } : {}),
        attributes: c.attributes ?? {},
      };
    });
  const queued = items.filter((i) => i.owner === 'queued').sort((a, b) => b.priority - a.priority || b.waitingMs - a.waitingMs || a.conversationId.localeCompare(b.conversationId));
  queued.forEach((item, i) => (item.position = i + 1));
  const owned = items.filter((i) => i.owner === 'agent').sort((a, b) => (a.agent ?? '').localeCompare(b.agent ?? '') || (a.queuedAt ?? 0) - (b.queuedAt ?? 0));
  return [...queued, ...owned];
}

/**
 * The running frustration level kept in a conversation's engine state (`state.snapshot`,
 * as src/bot/state.ts writes it; a bare `state.frustration` is read too).
 */
export function frustrationOf(c: Pick<Conversation, 'state'>): number | undefined {
  const level = frustrationStateOf(c)?.level;
  return typeof level === 'number' ? level : undefined;
}

/** The frustration as the engine keeps it: level, trend and reasons (src/sentiment/frustration.ts). */
export function frustrationStateOf(c: Pick<Conversation, 'state'>): { level?: unknown; trend?: unknown; reasons?: unknown } | undefined {
  type Kept = { level?: unknown; trend?: unknown; reasons?: unknown };
  const state = c.state as { snapshot?: { frustration?: Kept }; frustration?: Kept } | undefined;
  return state?.snapshot?.frustration ?? state?.frustration;
}

/**
 * What the customer is told about their wait: the position and a rough expected wait
 * (`perPositionMs` per conversation ahead, shared among the agents online).
 *
 * @example expectedWaitMs(3, 2, 120_000) // 180000 (3 in line, 2 agents, 2 min each)
 */
export function expectedWaitMs(position: number, agentsOnline: number, perPositionMs: number): number {
  return Math.ceil((position * perPositionMs) / Math.max(1, agentsOnline));
}

/** "about 3 minutes", "less than a minute". */
export function formatWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  return minutes === 1 ? 'about 1 minute' : `about ${minutes} minutes`;
}
