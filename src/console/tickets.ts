import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { detectEmails, detectPhones } from '../privacy/detectors.js';
import type { KeyValueStore } from '../store/types.js';

/**
 * Contact tickets: when nobody could take a chat in time, the customer leaves an email or
 * phone number and the team gets back to them. Tickets live in the store's key-value.
 */
export const TICKETS_NAMESPACE = 'console-tickets';

export const Ticket = z.object({
  id: z.string(),
  conversationId: z.string(),
  customerId: z.string(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  /** The customer's message as written: the team needs the contact details it holds. */
  text: z.string(),
  reason: z.string().optional(),
  createdAt: z.number(),
  status: z.enum(['open', 'done']),
});
export type Ticket = z.infer<typeof Ticket>;

/**
 * The email addresses and phone numbers in a message, or undefined when it has neither.
 * Pure.
 *
 * @example extractContact('call me on +44 20 7946 0958 or ana@example.com')
 * // { emails: ['ana@example.com'], phones: ['+44 20 7946 0958'] }
 */
export function extractContact(text: string): { emails: string[]; phones: string[] } | undefined {
  const emails = detectEmails(text).map((s) => text.slice(s.start, s.end));
  const phones = detectPhones(text).map((s) => text.slice(s.start, s.end));
  return emails.length + phones.length > 0 ? { emails, phones } : undefined;
}

export async function saveTicket(store: KeyValueStore, input: Omit<Ticket, 'id' | 'createdAt' | 'status'>, now = Date.now()): Promise<Ticket> {
  const ticket: Ticket = { ...input, id: randomUUID(), createdAt: now, status: 'open' };
  await store.set(TICKETS_NAMESPACE, ticket.id, ticket);
  return ticket;
}

/** Tickets, newest first. */
export async function listTickets(store: KeyValueStore): Promise<Ticket[]> {
  const rows = await store.list(TICKETS_NAMESPACE);
  return rows.flatMap(({ value }) => {
    const parsed = Ticket.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  }).sort((a, b) => b.createdAt - a.createdAt);
}
