import type { Command } from 'commander';
import { UserError } from '../user-error.js';
import { withCliStore } from '../store.js';
import { AgentName, AgentPassword, AgentRole } from '../../console/auth/accounts.js';
import type { Store } from '../../store/types.js';

/**
 * `parley agents add|list|remove`: the agent console's accounts, stored (scrypt-hashed) in
 * the same store the server uses.
 */

/** Reads a password from the terminal without echoing it. */
async function promptPassword(label: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new UserError('no password: pass --password, set PARLEY_AGENT_PASSWORD, or run in a terminal to be asked');
  process.stderr.write(label);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolve(value);
        }
        if (ch === '\u0003') {
          done();
          return reject(new UserError('cancelled', 130));
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

async function passwordFor(name: string, option: string | undefined): Promise<string> {
  if (option !== undefined) return option;
  if (process.env.PARLEY_AGENT_PASSWORD) return process.env.PARLEY_AGENT_PASSWORD;
  const first = await promptPassword(`Password for ${name}: `);
  const again = await promptPassword('Again: ');
  if (first !== again) throw new UserError('the two passwords differ; nothing was saved');
  return first;
}

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UserError(`${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export function register(program: Command): void {
  const agents = program.command('agents').description('Agent console accounts: add, list, remove.');

  agents
    .command('add <name>')
    .description('Create an agent account, or reset its password and role (password: --password, PARLEY_AGENT_PASSWORD, or asked).')
    .option('--role <role>', 'agent or admin (admins also review feedback)', 'agent')
    .option('--password <password>', 'the password (visible in shell history; prefer the prompt or PARLEY_AGENT_PASSWORD)')
    .action(async (rawName: string, opts: { role: string; password?: string }) => {
      const name = check(AgentName, rawName, 'name');
      const role = check(AgentRole, opts.role, '--role must be agent or admin');
      const password = check(AgentPassword, await passwordFor(name, opts.password), 'password');
      const { saveAgent } = await import('../../console/auth/accounts.js');
      const { deleteSessionsOf } = await import('../../console/auth/sessions.js');
      const existed = await withCliStore(async (store) => {
        const { getAgent } = await import('../../console/auth/accounts.js');
        const before = await getAgent(store, name);
        await saveAgent(store, { name, role, password });
        // A reset password must end the sessions opened with the old one.
        if (before) await deleteSessionsOf(store, name);
        await store.audit({ ts: Date.now(), actor: 'cli', action: before ? 'agent-update' : 'agent-add', subject: name, details: { role } });
        return before !== undefined;
      });
      process.stdout.write(`${existed ? 'updated' : 'added'} ${role} ${name}\n`);
    });

  agents
    .command('list')
    .description('List agent accounts.')
    .action(async () => {
      const { listAgents } = await import('../../console/auth/accounts.js');
      const list = await withCliStore((store) => listAgents(store));
      if (list.length === 0) {
        process.stdout.write('no agents yet: npx parley agents add <name> --role admin\n');
        return;
      }
      for (const a of list) process.stdout.write(`${a.name.padEnd(24)} ${a.role.padEnd(6)} added ${new Date(a.createdAt).toISOString()}\n`);
    });

  agents
    .command('remove <name>')
    .description('Remove an agent account and end its sessions.')
    .action(async (name: string) => {
      const { removeAgent } = await import('../../console/auth/accounts.js');
      const { deleteSessionsOf } = await import('../../console/auth/sessions.js');
      const removed = await withCliStore(async (store) => {
        const ok = await removeAgent(store, name);
        if (ok) {
          await deleteSessionsOf(store, name);
          await store.audit({ ts: Date.now(), actor: 'cli', action: 'agent-remove', subject: name, details: {} });
        }
        return ok;
      });
      if (!removed) throw new UserError(`no agent named ${name} (see: parley agents list)`);
      process.stdout.write(`removed ${name}\n`);
    });
}
