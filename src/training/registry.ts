import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readCurrent, readManifest, writeCurrent, type ModelManifest } from '../nlu/index.js';
import type { Task } from '../nlu/types.js';
import type { AuditStore } from '../store/types.js';

/**
 * The model registry: every version is a folder under models/, `current.json` names the
 * serving ones, and `history.jsonl` records each promotion and rollback (who, why, from
 * what), so a rollback knows where to go back to. The audit log gets the same events.
 */
export const HISTORY_FILE = 'history.jsonl';

const HistoryEntry = z.object({
  ts: z.number(),
  task: z.enum(['intent', 'sentiment']),
  action: z.enum(['promote', 'rollback']),
  version: z.string(),
  from: z.string().optional(),
  by: z.string(),
  reason: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface RegistryActor {
  /** Who: a person (--by, $USER) or 'retrain'. */
  by: string;
  reason?: string;
  /** Where promotions and rollbacks are audited (the server's store). */
  audit?: AuditStore;
  now?: () => number;
}

/** Reads models/history.jsonl, oldest first (absent file: empty; bad lines are skipped). */
export async function readHistory(modelsDir: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(path.join(modelsDir, HISTORY_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const parsed = HistoryEntry.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/** Manifests of every readable version folder (of one task, when given), oldest first. */
export async function listVersions(modelsDir: string, task?: Task): Promise<ModelManifest[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const out: ModelManifest[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const m = await readManifest(path.join(modelsDir, e.name)).catch(() => undefined);
    if (m && m.version === e.name && (!task || m.task === task)) out.push(m);
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.version.localeCompare(b.version));
}

/**
 * Makes `version` the serving model of its task (atomically, see writeCurrent) and records
 * who and why. Returns the previous version.
 *
 * @example await promote('models', 'intent-20261128-121500-ab12cd', { by: 'ana', reason: 'fixes refunds' })
 */
export async function promote(modelsDir: string, version: string, actor: RegistryActor): Promise<{ task: Task; version: string; from?: string }> {
  const manifest = await readManifest(path.join(modelsDir, version)).catch((e: Error) => {
    throw new RegistryError(`cannot promote '${version}': ${e.message}`);
  });
  if (manifest.version !== version) throw new RegistryError(`folder ${version} holds version ${manifest.version}; promote by the folder's own version name`);
  return setCurrent(modelsDir, manifest.task, version, 'promote', actor);
}

/**
 * Goes back to the version that served before the current one: the promotion history is
 * replayed as a stack (promote pushes, rollback pops); without history, the newest older
 * version of the task on disk.
 *
 * @example await rollback('models', 'intent', { by: 'ana', reason: 'refund answers got worse' })
 */
export async function rollback(modelsDir: string, task: Task, actor: RegistryActor): Promise<{ task: Task; version: string; from?: string }> {
  const current = (await readCurrent(modelsDir))[task];
  if (!current) throw new RegistryError(`no current ${task} model to roll back from`);
  const target = rollbackTarget(await readHistory(modelsDir), task, current, (await listVersions(modelsDir, task)).map((m) => m.version));
  if (!target) throw new RegistryError(`no earlier ${task} version to roll back to (current: ${current})`);
  return setCurrent(modelsDir, task, target, 'rollback', actor);
}

/**
 * Pure: the version a rollback of `task` returns to, or undefined.
 * `versions` are the task's folders on disk, oldest first.
 */
export function rollbackTarget(history: readonly HistoryEntry[], task: Task, current: string, versions: readonly string[]): string | undefined {
  const stack: string[] = [];
  for (const h of history) {
    if (h.task !== task) continue;
    if (h.action === 'promote') {
      if (stack.length === 0 && h.from) stack.push(h.from);
      if (stack[stack.length - 1] !== h.version) stack.push(h.version);
    } else {
      if (stack[stack.length - 1] === h.from) stack.pop();
      if (stack.length === 0 || stack[stack.length - 1] !== h.version) stack.push(h.version);
    }
  }
  const onDisk = new Set(versions);
  if (stack[stack.length - 1] === current) {
    for (let i = stack.length - 2; i >= 0; i--) if (stack[i] !== current && onDisk.has(stack[i])) return stack[i];
    // The history runs out: fall through to the folders.
  }
  const at = versions.indexOf(current);
  return at > 0 ? versions[at - 1] : undefined;
}

async function setCurrent(modelsDir: string, task: Task, version: string, action: HistoryEntry['action'], { by, reason, audit, now = Date.now }: RegistryActor) {
  const from = (await readCurrent(modelsDir))[task];
  await writeCurrent(modelsDir, task, version);
  const entry: HistoryEntry = { ts: now(), task, action, version, ...(from ? { from } : {}), by, ...(reason ? { reason } : {}) };
  await mkdir(modelsDir, { recursive: true });
  await appendFile(path.join(modelsDir, HISTORY_FILE), `${JSON.stringify(entry)}\n`);
  await audit?.audit({ ts: entry.ts, actor: by, action, subject: version, details: { task, ...(from ? { from } : {}), ...(reason ? { reason } : {}) } });
  return { task, version, ...(from ? { from } : {}) };
}
