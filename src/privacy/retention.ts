import { z } from 'zod';
import type { Conversation, FeedbackEvent, OwnershipTransition, Store, StoredMessage } from '../store/types.js';

const DAY_MS = 86_400_000;

/** Retention settings: conversations untouched for `maxAgeDays` are deleted. */
export const RetentionOptions = z
  .object({
    maxAgeDays: z.number().positive().max(36_500),
    /** The clock, injectable so tests and batch jobs are deterministic. */
    now: z.number().int().nonnegative().default(() => Date.now()),
  })
  .strict();
export type RetentionOptions = z.input<typeof RetentionOptions>;

/**
 * Deletes conversations (and their messages) last updated more than `maxAgeDays` ago.
 * Feedback is kept: its text was redacted before it was stored and it carries no
 * customer id, so it holds no personal data and remains training material.
 *
 * @example
 * await applyRetention(store, { maxAgeDays: 90 })
 * // { deleted: 12, cutoff: 1756000000000 }
 */
export async function applyRetention(store: Store, options: RetentionOptions): Promise<{ deleted: number; cutoff: number }> {
  const { maxAgeDays, now } = RetentionOptions.parse(options);
  const cutoff = now - Math.round(maxAgeDays * DAY_MS);
  const deleted = await store.deleteConversationsBefore(cutoff);
  await store.audit({ ts: now, actor: 'retention', action: 'retention', subject: 'conversations', details: { maxAgeDays, cutoff, deleted } });
  return { deleted, cutoff };
}

/** Everything the service holds about one customer, as plain JSON (data-subject access request). */
export interface CustomerExport {
  customerId: string;
  exportedAt: string; // ISO 8601
  conversations: Array<Conversation & { messages: StoredMessage[]; transitions: OwnershipTransition[] }>;
  /** Feedback about this customer's conversations (already redacted text). */
  feedback: FeedbackEvent[];
}

const PAGE = 500;

async function allMessages(store: Store, conversationId: string): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  for (;;) {
    const page = await store.listMessages(conversationId, { afterSeq: out.at(-1)?.seq ?? 0, limit: PAGE });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

/**
 * Collects a customer's conversations with all their messages and ownership transitions,
 * plus the feedback about those conversations.
 *
 * @example
 * const data = await exportCustomer(store, 'web:7f3a');
 * writeFileSync('export.json', JSON.stringify(data, null, 2));
 */
export async function exportCustomer(store: Store, customerId: string, now = Date.now()): Promise<CustomerExport> {
  const id = z.string().min(1).parse(customerId);
  const conversations = await store.listConversations({ customerId: id });
  const ids = new Set(conversations.map((c) => c.id));
  const full = [];
  for (const c of conversations) {
    full.push({ ...c, messages: await allMessages(store, c.id), transitions: await store.listTransitions(c.id) });
  }
  // The feedback store has no per-conversation index; a customer export is rare enough to scan.
  const feedback = ids.size === 0 ? [] : (await store.listFeedback()).filter((f) => ids.has(f.conversationId));
  return { customerId: id, exportedAt: new Date(now).toISOString(), conversations: full, feedback };
}

/**
 * Deletes everything about one customer (right to erasure) and records that it happened.
 * Returns how many conversations were deleted.
 */
export async function deleteCustomer(store: Store, customerId: string, { actor = 'cli', now = Date.now() }: { actor?: string; now?: number } = {}): Promise<{ deleted: number }> {
  const id = z.string().min(1).parse(customerId);
  const deleted = await store.deleteCustomer(id);
  await store.audit({ ts: now, actor, action: 'privacy.delete', subject: id, details: { conversations: deleted } });
  return { deleted };
}
