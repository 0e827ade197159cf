import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Runs once before the suite: the tests use real services, so say clearly what is missing
 * instead of letting fifty tests time out. Starts a throwaway Redis when the binary is
 * installed but no server answers (the CI script does the same).
 */
export default function setup(): void {
  const redisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!process.env.PARLEY_TEST_REDIS_URL && !redisAnswers()) {
    const started = spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
    if (started.error) {
      throw new Error(`Tests need Redis at ${redisUrl}: install it (apt-get install -y redis-server) or set PARLEY_TEST_REDIS_URL.`);
    }
    for (let i = 0; i < 50 && !redisAnswers(); i++) execFileSync('sleep', ['0.1']);
  }
  if (!existsSync(process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium')) {
    throw new Error('Browser tests need Debian chromium at /usr/bin/chromium: apt-get install -y chromium (or set PARLEY_CHROMIUM).');
  }
}

function redisAnswers(): boolean {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'PONG';
}
