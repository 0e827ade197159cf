import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEngine } from '../../src/bot/engine.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { deletePrefix, freshPrefix, testRedisUrl as url } from '../helpers/redis.js';
import { customer, demoBot, say } from './helpers.js';

// The same engine on the shared store of a multi-instance deployment. CI starts Redis; an
// unreachable server fails this file loudly instead of skipping it.
const prefix = freshPrefix('engine');
let a: Store;
let b: Store;

beforeAll(async () => {
  a = await openStore({ kind: 'redis', url, prefix });
  b = await openStore({ kind: 'redis', url, prefix });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await deletePrefix(prefix);
});

describe('engine on the Redis store, two instances', () => {
  it('answers on instance A, lets an agent on instance B take over, and A then stays silent', async () => {
    const { models, catalog } = await demoBot();
    const engineA = new ConversationEngine({ store: a, models, catalog });
    const engineB = new ConversationEngine({ store: b, models, catalog });
    const first = await say(engineA, 'redis-1', 'where is my order');
    expect(first.action).toBe('reply');
    expect((await b.getMessage('redis-1', first.message.id))?.understanding?.intent).toBe('order_status');

    const esc = await say(engineA, 'redis-1', 'I want to speak to a person');
    expect(esc.action).toBe('escalate');
    await engineB.ownership.claim('redis-1', 'alice');
    await engineB.ownership.agentReply('redis-1', 'alice', 'Hi, Alice here.');
    const afterClaim = await say(engineA, 'redis-1', 'thanks alice');
    expect(afterClaim.action).toBe('silent');
    const roles = (await engineA.history('redis-1')).map((m) => m.role);
    expect(roles).toEqual(['customer', 'bot', 'customer', 'system', 'system', 'agent', 'customer']);
    await engineA.close();
    await engineB.close();
  });

  it('recovers a message that instance A accepted but never answered', async () => {
    const { models, catalog } = await demoBot();
    await a.ensureConversation({ id: 'redis-2', channel: 'test', customerId: 'c' });
    await a.appendMessage(customer('redis-2', 'how much is shipping', 'redis-lost'));
    const restarted = new ConversationEngine({ store: b, models, catalog });
    expect(await restarted.recover()).toBe(1);
    await restarted.idle();
    expect((await restarted.history('redis-2')).map((m) => m.role)).toEqual(['customer', 'bot']);
    await restarted.close();
  });
});
