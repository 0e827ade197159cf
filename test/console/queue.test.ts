import { describe, expect, it } from 'vitest';
import { buildQueue, expectedWaitMs, formatWait, frustrationOf } from '../../src/console/queue.js';
import type { Conversation } from '../../src/store/types.js';

const now = 1_800_000_000_000;
const conv = (id: string, patch: Partial<Conversation>): Conversation => ({
  id, channel: 'webchat', customerId: `cust-${id}`, owner: 'queued', priority: 0, createdAt: now - 3_600_000, updatedAt: now, attributes: {}, state: {}, ...patch,
});

describe('buildQueue', () => {
  it('orders waiting chats by priority, raised by waiting time and newer frustration, then owned chats', () => {
    const queue = buildQueue([
      conv('owned', { owner: 'agent', agent: 'ana', priority: 90, queuedAt: now - 60_000 }),
      conv('calm-long', { priority: 20, queuedAt: now - 25 * 60_000 }), // 20 + 25 min = 45
      conv('angry-new', { priority: 40, queuedAt: now - 60_000 }), // 40 + 1 = 41
      conv('angrier-since', { priority: 10, queuedAt: now, state: { snapshot: { frustration: { level: 0.9 } } } }), // 0.9 * 60 = 54
      conv('bot', { owner: 'bot' }),
      conv('done', { owner: 'resolved' }),
    ], now);
    expect(queue.map((q) => [q.conversationId, q.priority, q.position])).toEqual([
      ['angrier-since', 54, 1],
      ['calm-long', 45, 2],
      ['angry-new', 41, 3],
      ['owned', 90, undefined],
    ]);
    expect(queue[0]).toMatchObject({ frustration: 0.9, waitingMs: 0 });
    expect(queue[1].waitingMs).toBe(25 * 60_000);
  });

  it('breaks ties by who waited longest', () => {
    const queue = buildQueue([conv('b', { priority: 30, queuedAt: now }), conv('a', { priority: 30.0, queuedAt: now })], now);
    expect(queue.map((q) => q.conversationId)).toEqual(['a', 'b']);
    const older = buildQueue([conv('new', { priority: 30.5, queuedAt: now }), conv('old', { priority: 30, queuedAt: now - 30_000 })], now);
    expect(older.map((q) => q.conversationId)).toEqual(['old', 'new']); // 30 + 0.5 = 30.5, older wins the tie
  });
});

describe('waiting times', () => {
  it('shares the line among the agents online and says it in words', () => {
    expect(expectedWaitMs(3, 2, 120_000)).toBe(180_000);
    expect(expectedWaitMs(1, 0, 120_000)).toBe(120_000);
    expect(formatWait(20_000)).toBe('less than a minute');
    expect(formatWait(60_000)).toBe('about 1 minute');
    expect(formatWait(180_000)).toBe('about 3 minutes');
  });

  it('reads the frustration from the engine state', () => {
    expect(frustrationOf({ state: { snapshot: { frustration: { level: 0.4 } } } })).toBe(0.4);
    expect(frustrationOf({ state: { frustration: { level: 0.2 } } })).toBe(0.2);
    expect(frustrationOf({ state: {} })).toBeUndefined();
  });
});
