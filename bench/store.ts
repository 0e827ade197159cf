/**
 * The embedded store's cost per turn, op by op, as the server runs them under load: 1,000
 * live conversations, turns in groups of 64 (one group commit each), the conversations in a
 * random order each round. Prints µs of CPU per operation, after warm-up rounds.
 *
 *   npm run bench:store [-- --conversations=1000 --group=64 --rounds=16]
 *
 * A turn's store work, in the order the engine asks for it: the customer's message (its
 * own commit, before the ack), the conversation read, then one commit for the understanding,
 * the bot's reply (only if the bot owns the conversation) and the engine's state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { StoredUnderstanding } from '../src/store/types.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CONVERSATIONS = arg('conversations', 1000);
const GROUP = arg('group', 64);
const ROUNDS = arg('rounds', 16);
const WARMUP_ROUNDS = 4;

// What a demo turn stores (sizes as in the server benchmark's database).
const understanding = {
  intent: 'international_shipping', intentConfidence: 0.7819, fallback: false, ambiguous: false,
  alternatives: [{ label: 'international_shipping', confidence: 0.7819 }, { label: 'shipping_costs', confidence: 0.2178 }, { label: 'track_package', confidence: 0.0001 }],
  sentiment: 'neutral', sentimentScore: -0.0015, sentimentConfidence: 0.995, explanation: { intent: [], sentiment: [] },
  modelVersions: { intent: 'intent-20261201-193959-e531fa', sentiment: 'sentiment-20261202-012546-23e3c6' }, explanationPending: true, frustration: 0.002,
} as unknown as StoredUnderstanding;
const state = {
  snapshot: { owner: 'bot', customerTurns: 2, fallbacksInARow: 0, lowConfidenceInARow: 0, frustration: { level: 0.005, trend: 'steady', turns: 2, history: [-0.0015, -0.0014], recent: [{ score: -0.0015, negativity: 0.0024, extra: 0, signals: [], tokens: ['canada', 'how', 'much', 'shipping'] }], fallbacksInARow: 0, reasons: [] }, attributes: {} },
  answered: { international_shipping: 1, greeting: 1 }, lastHandledSeq: 3,
};

const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
const shuffled = <T>(list: T[]): T[] => {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-store-'));
try {
  const store = await openSqliteStore({ file: path.join(dir, 'parley.db') });
  const ids = Array.from({ length: CONVERSATIONS }, () => `web:${crypto.randomUUID()}`);
  for (const id of ids) await store.ensureConversation({ id, channel: 'webchat', customerId: `web:${crypto.randomUUID()}` });
  const totals = new Map<string, number>();
  /** Runs `op` for every conversation, GROUP at a time (one group commit), and adds its CPU per call. */
  const measure = async (name: string, op: (id: string) => Promise<unknown>, counted: boolean) => {
    const order = shuffled(ids);
    const before = cpuUs();
    for (let i = 0; i < order.length; i += GROUP) await Promise.all(order.slice(i, i + GROUP).map(op));
    if (counted) totals.set(name, (totals.get(name) ?? 0) + (cpuUs() - before) / order.length);
  };
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const counted = round >= WARMUP_ROUNDS;
    const asked = new Map<string, string>();
    await measure('customer message', async (id) => {
      const messageId = `c${n++}-${Date.now()}`;
      asked.set(id, messageId);
      await store.appendMessage({ id: messageId, conversationId: id, channel: 'webchat', role: 'customer', from: 'customer', text: 'how much is shipping to canada', ts: Date.now() });
    }, counted);
    await measure('conversation read', (id) => store.getConversation(id), counted);
    await measure('understanding + bot reply + state', (id) => Promise.all([
      store.setUnderstanding(id, asked.get(id)!, understanding),
      store.appendMessageIfOwner({ id: `bot-${n++}`, conversationId: id, channel: 'webchat', role: 'bot', from: 'bot', text: 'Shipping to Canada takes 5-8 business days and costs $14.95.', ts: Date.now(), replyTo: asked.get(id)! }, 'bot'),
      store.saveState(id, state),
    ]), counted);
  }
  await store.close();
  const rounds = ROUNDS - WARMUP_ROUNDS;
  let turn = 0;
  console.log(`SQLite store, ${CONVERSATIONS} conversations, groups of ${GROUP}, ${rounds} rounds after ${WARMUP_ROUNDS} of warm-up (µs of CPU per call)`);
  for (const [name, total] of totals) {
    console.log(`  ${name.padEnd(36)} ${(total / rounds).toFixed(1)}`);
    turn += total / rounds;
  }
  console.log(`  ${'a whole turn'.padEnd(36)} ${turn.toFixed(1)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
