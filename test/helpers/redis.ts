import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

/** The Redis the tests use (a real server; `.ci/run` starts one). */
export const testRedisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for one test file, so files running at once never share keys. */
export const freshPrefix = (name: string): string => `parley-test-${name}-${randomBytes(6).toString('hex')}:`;

/** Deletes every key under `prefix` (after a test file). */
export async function deletePrefix(prefix: string, url = testRedisUrl): Promise<void> {
  const admin = createClient({ url });
  await admin.connect();
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (batch.length) await admin.del(batch);
  await admin.close();
}
