import { z } from 'zod';
import type { Task } from '../nlu/types.js';
import type { AuditStore, FeedbackEvent, FeedbackStore } from '../store/types.js';
import { proposedLabel, taskOf } from './feedback-queue.js';

/** The audit action of a review decision; its `ts` orders conflicting labels in the dataset. */
export const REVIEW_AUDIT_ACTION = 'feedback-review';

/** What an admin decides about one item (the body of POST /console/api/review/:id). */
export const ReviewDecision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept') }).strict(),
  z.object({ action: z.literal('correct'), label: z.string().trim().min(1).max(100) }).strict(),
  z.object({ action: z.literal('discard') }).strict(),
]);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** A review that cannot be applied; `status` is the HTTP status the console answers with. */
export class ReviewError extends Error {
  constructor(message: string, readonly status: 400 | 404) {
    super(message);
    this.name = 'ReviewError';
  }
}

export interface ApplyReviewOptions {
  /** Who decides (the admin's name), stored with the review and in the audit log. */
  by: string;
  /** Labels a correction may use for a task (e.g. the serving model's labels); any label when absent. */
  labelsOf?: (task: Task) => readonly string[] | undefined;
  now?: () => number;
  /**
   * The pending event as the caller listed it (a review page, a batch job): skips looking it
   * up among all pending events. The store still refuses an unknown id.
   */
  event?: FeedbackEvent;
}

/**
 * Applies an admin's decision to a pending feedback event: accept (its proposed label),
 * correct (a given label) or discard. Accepted and corrected events become training examples
 * with `reviewLabel`. Each decision is audited with its time. Throws ReviewError (404 when the
 * event is not pending, 400 when a label is missing or unknown).
 *
 * @example await applyReview(store, 'fb-12', { action: 'correct', label: 'cancel_order' }, { by: 'ana' })
 */
export async function applyReview(
  store: FeedbackStore & AuditStore,
  id: string,
  decision: ReviewDecision,
  { by, labelsOf, now = Date.now, event: known }: ApplyReviewOptions,
): Promise<FeedbackEvent> {
  const event = known?.id === id && known.review === 'pending' ? known : (await store.listFeedback({ review: 'pending' })).find((e) => e.id === id);
  if (!event) throw new ReviewError(`feedback ${id} is not pending review (unknown or already reviewed)`, 404);
  const task = taskOf(event);
  let review: FeedbackEvent['review'];
  let label: string | undefined;
  if (decision.action === 'discard') review = 'discarded';
  else if (decision.action === 'accept') {
    label = proposedLabel(event);
    if (!label) throw new ReviewError(`feedback ${id} has no proposed label to accept: correct it with a label`, 400);
    review = 'accepted';
  } else {
    label = decision.label;
    review = 'corrected';
  }
  if (label !== undefined) {
    const allowed = labelsOf?.(task);
    if (allowed && !allowed.includes(label)) throw new ReviewError(`unknown ${task} label "${label}"; use one of ${allowed.join(', ')}`, 400);
  }
  if (!(await store.reviewFeedback(id, review, by, label))) throw new ReviewError(`feedback ${id} disappeared while reviewing`, 404);
  await store.audit({ ts: now(), actor: by, action: REVIEW_AUDIT_ACTION, subject: id, details: { review, ...(label ? { label } : {}), task } });
  return { ...event, review, reviewedBy: by, ...(label ? { reviewLabel: label } : {}) };
}

/**
 * When each feedback event was last reviewed, from the audit log (the store keeps the review
 * state, not its time). Events reviewed outside `applyReview` are absent.
 */
export async function reviewTimes(store: AuditStore): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const a of await store.listAudit({ action: REVIEW_AUDIT_ACTION })) {
    if (!times.has(a.subject) || times.get(a.subject)! < a.ts) times.set(a.subject, a.ts);
  }
  return times;
}
