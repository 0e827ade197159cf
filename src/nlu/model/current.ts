import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Task } from '../types.js';

const CurrentSchema = z.object({ intent: z.string().optional(), sentiment: z.string().optional() }).loose();
export type CurrentModels = z.infer<typeof CurrentSchema>;

/**
 * Reads `<modelsDir>/current.json` ({"intent": "<version>", "sentiment": "<version>"});
 * an absent file means no current models.
 */
export async function readCurrent(modelsDir: string): Promise<CurrentModels> {
  const file = join(modelsDir, 'current.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  const parsed = CurrentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: expected {"intent": "<version>", "sentiment": "<version>"}`);
  return parsed.data;
}

/**
 * Points `task` at `version` in current.json (atomically: write then rename, so a server
 * watching the file never reads half of it).
 *
 * @example await writeCurrent('models', 'intent', 'intent-20261128-121500-ab12cd');
 */
export async function writeCurrent(modelsDir: string, task: Task, version: string): Promise<void> {
  await mkdir(modelsDir, { recursive: true });
  const current = await readCurrent(modelsDir);
  const next = { ...current, [task]: version };
  const file = join(modelsDir, 'current.json');
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, file);
}

/**
 * A model folder from a task name ('intent' / 'sentiment': the current version), a version
 * name under `modelsDir`, or a folder path.
 *
 * @example await resolveModel('models', 'intent') // '/repo/models/intent-20261128-121500-ab12cd'
 */
export async function resolveModel(modelsDir: string, nameOrPath: string): Promise<string> {
  if (nameOrPath === 'intent' || nameOrPath === 'sentiment') {
    const version = (await readCurrent(modelsDir))[nameOrPath];
    if (!version) throw new Error(`no current ${nameOrPath} model in ${resolve(modelsDir)}/current.json; train one with \`parley train\` or promote a version`);
    return resolve(modelsDir, version);
  }
  const candidates = isAbsolute(nameOrPath) ? [nameOrPath] : [resolve(nameOrPath), resolve(modelsDir, nameOrPath)];
  for (const c of candidates) if (await isDir(c)) return c;
  throw new Error(`model '${nameOrPath}' not found (looked in ${candidates.join(', ')}); give 'intent', 'sentiment', a version under ${modelsDir}/ or a folder path`);
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A version folder name: `<task>-<yyyymmdd>-<hhmmss>-<first 6 hex of the data hash>` (UTC).
 *
 * @example versionName('intent', new Date('2026-11-28T12:15:00Z'), 'ab12cd34...') // 'intent-20261128-121500-ab12cd'
 */
export function versionName(task: Task, date: Date, dataHash: string): string {
  const iso = date.toISOString();
  return `${task}-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${dataHash.slice(0, 6)}`;
}
