import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { readCurrent, readManifest } from '../nlu/index.js';
import type { Task } from '../nlu/types.js';
import type { Store, StoredUnderstanding } from '../store/types.js';
import { buildReviewQueue } from '../training/feedback-queue.js';
import { applyReview, ReviewDecision, ReviewError } from '../training/feedback-review.js';
import { SENTIMENT_LABELS } from '../training/sentiment-data.js';
import { requireSession, session } from './auth/http.js';

export interface ReviewRouterDeps {
  store: Store;
  /**
   * Labels an admin may pick per task, e.g. from the serving models:
   * `(task) => models.current()[task].manifest.labels`. Default: the labels of the current
   * models named by `<modelsDir>/current.json`.
   */
  labelsOf?: (task: Task) => readonly string[] | undefined;
  modelsDir?: string;
  /** Most pending events ranked per request (the oldest beyond it wait for the next page). Default 5000. */
  maxPending?: number;
}

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  task: z.enum(['intent', 'sentiment']).optional(),
});

/**
 * The feedback review queue API, admins only (CSRF header on POST):
 * - `GET  /review?limit=200&task=intent` -> `{ items, total, labels: { intent, sentiment }, csrfToken }`,
 *   items best first (see buildReviewQueue);
 * - `POST /review/:id` with `{ "action": "accept" | "correct" | "discard", "label"? }` -> `{ item }`.
 * Mount it under `/console/api` (paths are relative).
 *
 * @example app.use('/console/api', reviewRouter({ store, labelsOf: (t) => models.current()[t].manifest.labels }))
 */
export function reviewRouter(deps: ReviewRouterDeps): Router {
  const { store, maxPending = 5000 } = deps;
  const fromDisk = deps.labelsOf ? undefined : currentLabels(deps.modelsDir ?? 'models');
  const labelsOf = deps.labelsOf ?? fromDisk!.get;
  const router = express.Router();
  const admin = requireSession(store, { role: 'admin' });

  router.get('/review', admin, wrap(async (req, res) => {
    const query = Query.safeParse(req.query);
    if (!query.success) return void res.status(400).json({ error: 'bad_request', message: `limit: ${query.error.issues[0]?.message}` });
    await fromDisk?.refresh();
    const pending = await store.listFeedback({ review: 'pending', limit: maxPending });
    const understandings = new Map<string, StoredUnderstanding>();
    // Ambiguity lives with the message's understanding, not in the event.
    await Promise.all(pending.filter((e) => e.messageId && e.kind !== 'relabel-sentiment').map(async (e) => {
      const u = (await store.getMessage(e.conversationId, e.messageId!).catch(() => undefined))?.understanding;
      if (u) understandings.set(e.id, u);
    }));
    const all = buildReviewQueue(pending, { limit: maxPending, understandingOf: (e) => understandings.get(e.id) });
    const items = (query.data.task ? all.filter((i) => i.task === query.data.task) : all);
    res.json({
      items: items.slice(0, query.data.limit),
      total: items.length,
      labels: { intent: labelsOf('intent') ?? [], sentiment: labelsOf('sentiment') ?? [...SENTIMENT_LABELS] },
      csrfToken: session(res).csrfToken,
    });
  }));

  router.post('/review/:id', admin, express.json({ limit: '4kb' }), wrap(async (req, res) => {
    const decision = ReviewDecision.safeParse(req.body ?? {});
    if (!decision.success) {
      return void res.status(400).json({ error: 'bad_request', message: 'expected {"action": "accept" | "discard"} or {"action": "correct", "label": "<label>"}' });
    }
    await fromDisk?.refresh();
    const id = String(req.params.id);
    const item = await applyReview(store, id, decision.data, { by: session(res).agent.name, labelsOf });
    res.json({ item });
  }));
  return router;
}

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (handler: Handler) => (req: Request, res: Response, next: NextFunction) =>
  handler(req, res).catch((error: unknown) => {
    if (error instanceof ReviewError) return void res.status(error.status).json({ error: error.status === 404 ? 'not_found' : 'bad_request', message: error.message });
    next(error);
  });

/** Labels of the current models; `refresh` re-reads current.json (manifests are cached per version). */
function currentLabels(modelsDir: string): { get: (task: Task) => readonly string[] | undefined; refresh: () => Promise<void> } {
  const cache = new Map<string, string[]>();
  let current: Partial<Record<Task, string>> = {};
  return {
    get: (task) => {
      const version = current[task];
      return version ? cache.get(version) : undefined;
    },
    refresh: async () => {
      current = await readCurrent(modelsDir).catch(() => ({}));
      for (const version of Object.values(current)) {
        if (version && !cache.has(version)) {
          const m = await readManifest(path.join(modelsDir, version)).catch(() => undefined);
          if (m) cache.set(version, m.labels);
        }
      }
    },
  };
}
