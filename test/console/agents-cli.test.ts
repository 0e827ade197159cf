import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/console/auth/accounts.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-agents-cli-'));

async function parley(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(repo, 'bin/parley.js'), 'agents', ...args], {
      cwd: dataDir,
      env: { ...process.env, PARLEY_DATA_DIR: dataDir, STORE: 'sqlite', PARLEY_AGENT_PASSWORD: '', PARLEY_DEBUG: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Sequential child processes: on 2 shared cores parallel ones time each other out.
describe('parley agents (child process)', { timeout: 60_000 }, () => {
  it('adds, lists and removes accounts in the server store, with scrypt-hashed passwords', async () => {
    expect(await parley(['add', 'ana', '--role', 'admin', '--password', 'secret-pass-1'])).toMatchObject({ code: 0, stdout: 'added admin ana\n' });
    expect(await parley(['add', 'ben'], { PARLEY_AGENT_PASSWORD: 'secret-pass-2' })).toMatchObject({ code: 0, stdout: 'added agent ben\n' });
    // No terminal and no password given: a clear refusal, not a hang.
    const noPassword = await parley(['add', 'cleo']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('no password');

    const list = await parley(['list']);
    expect(list.stdout).toMatch(/^ana\s+admin\s+added \d{4}-/m);
    expect(list.stdout).toMatch(/^ben\s+agent\s+added /m);
    expect(list.stdout).not.toContain('cleo');

    const store = await openSqliteStore({ file: path.join(dataDir, 'parley.db') });
    try {
      expect(await authenticate(store, 'ana', 'secret-pass-1')).toEqual({ name: 'ana', role: 'admin' });
      expect(await authenticate(store, 'ben', 'secret-pass-2')).toEqual({ name: 'ben', role: 'agent' });
      expect(JSON.stringify(await store.list('console-agents'))).not.toContain('secret-pass');
    } finally {
      await store.close();
    }

    expect(await parley(['remove', 'ben'])).toMatchObject({ code: 0, stdout: 'removed ben\n' });
    const after = await openSqliteStore({ file: path.join(dataDir, 'parley.db') });
    try {
      expect(await authenticate(after, 'ben', 'secret-pass-2')).toBeUndefined();
      expect((await after.listAudit({ action: 'agent-remove' })).map((e) => e.subject)).toEqual(['ben']);
    } finally {
      await after.close();
    }
  });
});
