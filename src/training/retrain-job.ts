import path from 'node:path';
import type { Task } from '../nlu/types.js';
import type { Store } from '../store/types.js';
import { retrain, type RetrainResult } from './retrain.js';
import { conversationRunner } from './retrain-conversations.js';
import { parseSchedule, startSchedule, type ScheduledJob } from './retrain-schedule.js';

export interface RetrainJobOptions {
  store: Store;
  /** An interval ("6h") or a 5-field cron expression (UTC), see parseSchedule. */
  schedule: string;
  modelsDir: string;
  intentsDir: string;
  conversationsDir?: string;
  minNewLabels?: number;
  margin?: number;
  tasks?: Task[];
  log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

/**
 * The server's retraining schedule: at each tick, retrain every task that has enough new
 * accepted labels (the store lock keeps it to one instance at a time); a promotion reaches
 * every server through models/current.json. Returns the job (stop it on shutdown).
 *
 * @example
 * const job = startRetrainJob({ store, schedule: '0 3 * * *', modelsDir: 'models', intentsDir: 'intents', minNewLabels: 20 });
 * job.next() // 2026-11-29T03:00:00.000Z
 */
export function startRetrainJob({ store, schedule, modelsDir, intentsDir, conversationsDir = 'conversations', minNewLabels, margin, tasks = ['intent', 'sentiment'], log }: RetrainJobOptions): ScheduledJob {
  const run = async (): Promise<RetrainResult[]> => {
    const results: RetrainResult[] = [];
    const runConversations = await conversationRunner({ conversationsDir, modelsDir, intentsDir });
    for (const task of tasks) {
      const result = await retrain({
        store, task, modelsDir, by: 'scheduler', minNewLabels, margin,
        data: task === 'intent' ? intentsDir : path.join(intentsDir, 'sentiment'),
        ...(runConversations ? { runConversations } : {}),
      });
      results.push(result);
      const summary = { task, status: result.status, reason: result.reason, candidate: result.candidate?.version, newLabels: result.newLabels };
      if (result.status === 'rejected') log?.warn(summary, 'scheduled retrain: candidate rejected by the gate');
      else log?.info(summary, `scheduled retrain: ${result.status}`);
      if (result.status === 'busy') break;
    }
    return results;
  };
  return startSchedule(parseSchedule(schedule), run, { onError: (err) => log?.warn({ err }, 'scheduled retrain failed; the serving models are unchanged') });
}
