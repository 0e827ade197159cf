/**
 * Helper process for the SIGKILL durability test (not a test file): appends messages to
 * the SQLite store at argv[2] forever and prints each id only after its append resolved,
 * i.e. after the store acknowledged it. The parent kills it and checks every printed id.
 */
import { openSqliteStore } from '../../src/store/sqlite.js';

const store = await openSqliteStore({ file: process.argv[2] });
await store.ensureConversation({ id: 'durable', channel: 'test', customerId: 'u1' });
for (let i = 0; ; i++) {
  const id = `m${i}`;
  await store.appendMessage({ id, conversationId: 'durable', channel: 'test', role: 'customer', from: 'u1', text: `message ${i}`, ts: i });
  process.stdout.write(`${id}\n`);
}
