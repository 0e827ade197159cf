import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import type { Engine } from '../bot/engine-api.js';
import type { EscalationPolicy } from '../escalation/policy.js';
import type { Store } from '../store/types.js';
import { DeskError, type AgentDesk } from './desk.js';

/** What the console API is built from. */
export interface ConsoleDeps {
  store: Store;
  engine: Engine;
  desk: AgentDesk;
  policy?: EscalationPolicy;
  /**
   * Computes the pending explanations of a conversation's messages (the engine's `explain`),
   * called before an agent reads them.
   */
  explain?: (conversationId: string) => Promise<unknown>;
  /** The labels agents may pick when relabelling (the serving models' labels). */
  labels?: () => { intents: string[]; sentiments: string[] };
  logger?: { warn(obj: object, msg?: string): void; info?(obj: object, msg?: string): void };
}

/** Parses a body or answers 400 naming the first bad field. */
export function body<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  res.status(400).json({ error: 'bad_request', message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
  return undefined;
}

type Handler = (req: Request, res: Response) => Promise<void>;
/** Async handlers with one error path: DeskError -> its status, anything else -> 500 (logged). */
export const wrap = (deps: Pick<ConsoleDeps, 'logger'>, handler: Handler) => (req: Request, res: Response, next: NextFunction) =>
  handler(req, res).catch((error: unknown) => {
    if (error instanceof DeskError) return void res.status(error.status).json({ error: 'conflict', message: error.message });
    deps.logger?.warn({ err: error, path: req.path }, 'console api failed');
    next(error);
  });

/** Writes one audit event for an agent action. */
export function auditor(store: Store) {
  return (actor: string, action: string, subject: string, details: Record<string, unknown> = {}) => store.audit({ ts: Date.now(), actor, action, subject, details });
}
