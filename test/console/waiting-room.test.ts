import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractContact, listTickets } from '../../src/console/tickets.js';
import { CONTACT_OFFER_TEXT } from '../../src/console/waiting-room.js';
import { signIn } from './agent-client.js';
import { startConsoleSite, type ConsoleSite } from './harness.js';

describe('extractContact', () => {
  it('finds emails and phone numbers, or nothing', () => {
    expect(extractContact('reach me at jane.doe@example.com please')).toEqual({ emails: ['jane.doe@example.com'], phones: [] });
    expect(extractContact('call +44 20 7946 0958 after 5')?.phones).toEqual(['+44 20 7946 0958']);
    expect(extractContact('my order 12 is late')).toBeUndefined();
  });
});

/**
 * The waiting room against the real engine: the expected wait after the escalation notice,
 * the contact offer when nobody claims in time, and the next message with an email or phone
 * becoming a ticket. The timer is not used: the test calls tick() itself.
 */
describe('customers waiting for an agent', () => {
  let site: ConsoleSite;
  let n = 0;
  let skewMs = 0;
  beforeAll(async () => {
    site = await startConsoleSite({ contactOfferAfterMs: 60_000, waitPerPositionMs: 120_000, now: () => Date.now() + skewMs });
  });
  afterAll(async () => {
    await site?.close();
  });

  const customerSays = async (conversationId: string, text: string) => {
    const { message } = await site.engine.accept({ id: `w${++n}`, conversationId, channel: 'webchat', role: 'customer', from: 'cust', text, ts: Date.now() });
    await site.engine.turnOf(message.id);
    await site.engine.idle();
  };
  const systemTexts = async (id: string) => (await site.engine.history(id)).filter((m) => m.role === 'system').map((m) => m.text);
  const settle = async () => {
    await site.console.waitingRoom.tick(); // also waits for the queued message handling
    await site.engine.idle();
  };

  it('tells the expected wait after the queue position, offers contact details in time, and makes a ticket once', async () => {
    const id = 'web:waiting-1';
    await customerSays(id, 'where is my order');
    await site.engine.ownership.escalate(id, 'customer asked for a human (talk_to_human 0.90)', 30);
    await settle();
    const told = await systemTexts(id);
    expect(told[0]).toMatch(/number 1 in the queue/);
    expect(told[1]).toBe('The expected wait is about 2 minutes. Everything you write here will be read by the agent.');

    // Not yet: queued for less than a minute.
    await settle();
    expect(await systemTexts(id)).not.toContain(CONTACT_OFFER_TEXT);
    // A minute later (on the waiting room's clock) nobody has claimed it.
    skewMs = 61_000;
    await settle();
    await settle(); // a second tick must not offer twice
    expect((await systemTexts(id)).filter((t) => t === CONTACT_OFFER_TEXT)).toHaveLength(1);

    // A message without contact details is just a message; the next one with an email is the ticket.
    await customerSays(id, 'ok I will wait a bit');
    await settle();
    expect(await listTickets(site.store)).toEqual([]);
    await customerSays(id, 'actually just email me at jane.doe@example.com');
    await settle();
    const tickets = await listTickets(site.store);
    expect(tickets).toMatchObject([{ conversationId: id, emails: ['jane.doe@example.com'], phones: [], status: 'open', reason: 'customer asked for a human (talk_to_human 0.90)' }]);
    expect((await systemTexts(id)).at(-1)).toMatch(/We have your details \(jane\.doe@example\.com\)/);
    await customerSays(id, 'or call +44 20 7946 0958');
    await settle();
    expect(await listTickets(site.store)).toHaveLength(1);

    // Agents see tickets in the console API; the conversation stays in the queue.
    const ben = await signIn(site.url, 'ben');
    expect((await ben.get('/tickets')).body.tickets).toMatchObject([{ conversationId: id, emails: ['jane.doe@example.com'] }]);
    expect((await site.store.getConversation(id))?.owner).toBe('queued');
    // The bot never answered while the customer waited.
    const afterEscalation = (await site.engine.history(id)).slice(2);
    expect(afterEscalation.filter((m) => m.role === 'bot')).toEqual([]);
  });

  it('makes no ticket once an agent has the chat, nor in chats that never waited', async () => {
    skewMs = 0;
    const id = 'web:waiting-2';
    await customerSays(id, 'where is my order');
    await site.engine.ownership.escalate(id, 'customer asked for a human (talk_to_human 0.90)', 30);
    await settle();
    skewMs = 61_000;
    await settle();
    expect((await systemTexts(id)).filter((t) => t === CONTACT_OFFER_TEXT)).toHaveLength(1);
    // Claimed after the offer: the agent answers; contact details are just a message now.
    await site.engine.ownership.claim(id, 'ben');
    await customerSays(id, 'my email is sam@example.com');
    await settle();
    expect((await listTickets(site.store)).filter((t) => t.conversationId === id)).toEqual([]);

    // A chat the bot handles: an email address in it is not a ticket either.
    await customerSays('web:waiting-3', 'please send the invoice to sam@example.com');
    await settle();
    expect((await listTickets(site.store)).filter((t) => t.conversationId === 'web:waiting-3')).toEqual([]);
  });
});
