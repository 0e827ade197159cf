import { z } from 'zod';
import type { KeyValueStore } from '../../store/types.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';

/** Agent accounts live in the store's key-value, one entry per name. */
export const AGENTS_NAMESPACE = 'console-agents';

export const AgentRole = z.enum(['agent', 'admin']);
export type AgentRole = z.infer<typeof AgentRole>;

/** Names show in the console and the audit log: short, no spaces or markup. */
export const AgentName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'agent name: 1-40 characters of letters, digits, . _ -, starting with a letter or digit');

export const MIN_PASSWORD_LENGTH = 8;
export const AgentPassword = z.string().min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200);

const StoredAccount = z.object({ name: AgentName, role: AgentRole, passwordHash: z.string(), createdAt: z.number() });
export type AgentAccount = z.infer<typeof StoredAccount>;
/** What the rest of the console sees of an account (never the hash). */
export interface Agent {
  name: string;
  role: AgentRole;
}

/**
 * Creates or replaces an account (replacing = resetting the password or the role).
 *
 * @example await saveAgent(store, { name: 'ana', role: 'admin', password: 's3cret-pass' })
 */
export async function saveAgent(store: KeyValueStore, input: { name: string; role: AgentRole; password: string }): Promise<Agent> {
  const name = AgentName.parse(input.name);
  const role = AgentRole.parse(input.role);
  const password = AgentPassword.parse(input.password);
  const account: AgentAccount = { name, role, passwordHash: await hashPassword(password), createdAt: Date.now() };
  await store.set(AGENTS_NAMESPACE, name.toLowerCase(), account);
  return { name, role };
}

export async function getAgent(store: KeyValueStore, name: string): Promise<Agent | undefined> {
  const parsed = StoredAccount.safeParse(await store.get(AGENTS_NAMESPACE, name.toLowerCase()));
  return parsed.success ? { name: parsed.data.name, role: parsed.data.role } : undefined;
}

export async function listAgents(store: KeyValueStore): Promise<Array<Agent & { createdAt: number }>> {
  const rows = await store.list(AGENTS_NAMESPACE);
  return rows.flatMap(({ value }) => {
    const parsed = StoredAccount.safeParse(value);
    return parsed.success ? [{ name: parsed.data.name, role: parsed.data.role, createdAt: parsed.data.createdAt }] : [];
  });
}

/** Returns false when there was no such account. */
export async function removeAgent(store: KeyValueStore, name: string): Promise<boolean> {
  if (!(await store.get(AGENTS_NAMESPACE, name.toLowerCase()))) return false;
  await store.delete(AGENTS_NAMESPACE, name.toLowerCase());
  return true;
}

/**
 * Checks a name and password. Unknown names cost the same scrypt as known ones, so the
 * response time does not tell which accounts exist.
 */
export async function authenticate(store: KeyValueStore, name: string, password: string): Promise<Agent | undefined> {
  const parsed = StoredAccount.safeParse(await store.get(AGENTS_NAMESPACE, String(name).toLowerCase()));
  if (!parsed.success) {
    await verifyPassword(password, await dummyHash());
    return undefined;
  }
  return (await verifyPassword(password, parsed.data.passwordHash)) ? { name: parsed.data.name, role: parsed.data.role } : undefined;
}
