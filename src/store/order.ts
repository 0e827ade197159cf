import type { Conversation, FeedbackEvent, FeedbackKind } from './types.js';

/**
 * Pure helpers both backends share so they sort and filter identically (the contract
 * suite checks the SQLite SQL and these functions agree).
 */

/**
 * Queue order: higher priority first, then longest waiting (`queuedAt`, conversations never
 * queued last), then oldest created, then id so the order is total and stable.
 *
 * @example conversations.sort(compareConversations)
 */
export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const qa = a.queuedAt ?? Number.POSITIVE_INFINITY;
  const qb = b.queuedAt ?? Number.POSITIVE_INFINITY;
  if (qa !== qb) return qa < qb ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Normalises a one-or-many filter value to a list (undefined stays undefined: no filter). */
export function asList<T>(value: T | T[] | undefined): T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

export interface FeedbackFilter {
  kind?: FeedbackKind | FeedbackKind[];
  review?: FeedbackEvent['review'] | Array<FeedbackEvent['review']>;
  since?: number;
  limit?: number;
}

/** True when `event` passes `filter` (`since` is inclusive). */
export function matchesFeedback(event: FeedbackEvent, filter: FeedbackFilter): boolean {
  const kinds = asList(filter.kind);
  const reviews = asList(filter.review);
  if (kinds && !kinds.includes(event.kind)) return false;
  if (reviews && !reviews.includes(event.review)) return false;
  if (filter.since !== undefined && event.ts < filter.since) return false;
  return true;
}

/** Drops keys whose value is undefined or null, so stored records compare like fresh ones. */
export function compact<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== null) out[k] = v;
  return out as T;
}
