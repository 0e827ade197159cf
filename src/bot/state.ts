import { z } from 'zod';
import { initialSnapshot, type ConversationSnapshot } from '../escalation/index.js';
import { RecentMap } from './recent-map.js';

/**
 * What the engine keeps about a conversation between turns, inside `Conversation.state`
 * (opaque JSON to the store). Validated on read: a state written by an older version, or
 * damaged, starts over rather than crashing the turn.
 */
export interface EngineState {
  /** The escalation policy's running view: turns, fallback streaks, frustration. */
  snapshot: ConversationSnapshot;
  /** How often each intent was answered, to rotate between its responses. */
  answered: Record<string, number>;
  /** Seq of the last customer message whose turn finished; later ones are replayed on restart. */
  lastHandledSeq: number;
}

const Snapshot = z.object({
  owner: z.enum(['bot', 'queued', 'agent', 'resolved']),
  customerTurns: z.number(),
  fallbacksInARow: z.number(),
  lowConfidenceInARow: z.number(),
  // The frustration tracker's state (src/sentiment/frustration.ts); fields added later default,
  // so a conversation stored by an older version keeps its level.
  frustration: z.object({
    level: z.number(),
    trend: z.enum(['rising', 'steady', 'falling']),
    reasons: z.array(z.string()),
    turns: z.number().default(0),
    history: z.array(z.number()).default([]),
    recent: z.array(z.object({
      ts: z.number().optional(), score: z.number(), negativity: z.number(), extra: z.number(),
      signals: z.array(z.string()), tokens: z.array(z.string()),
    })).default([]),
    fallbacksInARow: z.number().default(0),
  }),
  attributes: z.record(z.string(), z.string()),
  waitingSinceMs: z.number().optional(),
});

const StateSchema = z.object({
  snapshot: Snapshot,
  answered: z.record(z.string(), z.number()).default({}),
  lastHandledSeq: z.number().int().nonnegative().default(0),
});

/** Reads the engine state out of a conversation's opaque state. */
export function readState(raw: Record<string, unknown> | undefined, attributes: Record<string, string> = {}): EngineState {
  // A new conversation has no state yet: start it without building a validation error.
  if (!raw || Object.keys(raw).length === 0) return { snapshot: initialSnapshot(attributes), answered: {}, lastHandledSeq: 0 };
  const parsed = StateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return { snapshot: initialSnapshot(attributes), answered: {}, lastHandledSeq: typeof raw.lastHandledSeq === 'number' ? raw.lastHandledSeq : 0 };
}

/**
 * The states this engine stored last, one per conversation, so that the next turn does not
 * validate again what it wrote itself (the schema check was a fifth of a turn's
 * allocations). Only the engine writes the state, and every write carries a new
 * `lastHandledSeq`: a stored state with the remembered seq is the remembered state. Any
 * other state (written by another instance, or damaged) is read through the schema.
 */
export class WrittenStates {
  private readonly states: RecentMap<string, EngineState>;
  constructor(max = 5000) {
    this.states = new RecentMap(max);
  }

  /** Call once the state is stored. */
  remember(conversationId: string, state: EngineState): void {
    this.states.set(conversationId, state);
  }

  read(conversationId: string, raw: Record<string, unknown> | undefined, attributes: Record<string, string> = {}): EngineState {
    const known = this.states.get(conversationId);
    if (known && raw?.lastHandledSeq === known.lastHandledSeq) return known;
    return readState(raw, attributes);
  }
}
