import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readCurrent, readManifest } from '../nlu/index.js';
import type { ConversationRunner } from './gate-evaluate.js';

export interface ConversationRunnerOptions {
  conversationsDir?: string;
  modelsDir?: string;
  intentsDir?: string;
}

/**
 * A gate runner that replays conversations/ through the real engine with the model in a
 * given folder, the other task's current model alongside (a throwaway models folder of
 * symlinks, so nothing is copied and the real current.json is never touched).
 * Undefined when there are no scripts to run.
 *
 * @example
 * const run = await conversationRunner({ conversationsDir: 'conversations' });
 * await run?.('models/intent-20261128-130000-ab12cd') // [{ name: 'refund flow', passed: true }, ...]
 */
export async function conversationRunner({ conversationsDir = 'conversations', modelsDir = 'models', intentsDir = 'intents' }: ConversationRunnerOptions = {}): Promise<ConversationRunner | undefined> {
  const scripts = await readdir(conversationsDir).then((f) => f.filter((n) => /\.ya?ml$/i.test(n)), () => []);
  if (scripts.length === 0) return undefined;
  const { runConversationScripts } = await import('../bot/conversation-tests.js');
  return async (modelDir) => {
    const manifest = await readManifest(modelDir);
    const other = manifest.task === 'intent' ? 'sentiment' : 'intent';
    const otherVersion = (await readCurrent(modelsDir))[other];
    if (!otherVersion) throw new Error(`conversation scripts need a current ${other} model too; train one with \`parley train --task ${other}\``);
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-gate-'));
    try {
      await symlink(path.resolve(modelDir), path.join(tmp, manifest.version), 'dir');
      if (otherVersion !== manifest.version) await symlink(path.resolve(modelsDir, otherVersion), path.join(tmp, otherVersion), 'dir');
      await writeFile(path.join(tmp, 'current.json'), JSON.stringify({ [manifest.task]: manifest.version, [other]: otherVersion }));
      const result = await runConversationScripts(conversationsDir, { modelsDir: tmp, intentsDir });
      return result.scripts.map((s) => ({
        name: `${path.basename(s.file)}: ${s.name}`,
        passed: s.passed,
        ...(s.passed ? {} : { failure: s.steps.flatMap((st) => st.problems.map((p) => `line ${st.line}: ${p}`)).join('; ') }),
      }));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };
}
