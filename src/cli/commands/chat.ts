import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';

/** `parley chat`: talk to the bot in the terminal through the real engine, with what it understood per turn. */
export function register(program: Command): void {
  program
    .command('chat')
    .description('Talk to the bot in the terminal (the real engine, a throwaway store); shows intent, confidence and sentiment per turn')
    .option('--models <dir>', 'models folder', 'models')
    .option('--intents <dir>', 'intents folder (responses)', 'intents')
    .option('--attr <key=value...>', 'customer attributes, e.g. --attr vip=true')
    .action(async (opts: { models: string; intents: string; attr?: string[] }) => {
      const { createEngine } = await import('../../bot/create.js');
      const { openStore } = await import('../../store/index.js');
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-chat-'));
      const store = await openStore({ kind: 'sqlite', file: path.join(tmp, 'chat.db') });
      let rl: readline.Interface | undefined;
      try {
        // The chat prints why the bot understood what it did: explain every message.
        const engine = await createEngine({ store, modelsDir: opts.models, intentsDir: opts.intents, explanations: 'every-turn' });
        const conversationId = 'cli:chat';
        const attributes = Object.fromEntries((opts.attr ?? []).map((a) => a.split('=', 2) as [string, string]));
        if (Object.keys(attributes).length) await engine.setAttributes({ id: conversationId, channel: 'cli', customerId: 'you' }, attributes);
        const { versions } = engine.models.current();
        process.stdout.write(`models: ${versions.intent}, ${versions.sentiment}. Type a message; empty line or Ctrl-D to quit.\n`);
        engine.on('message', (m) => {
          if (m.role === 'customer') return;
          const who = m.role === 'bot' ? 'bot' : m.role === 'system' ? '(system)' : m.from;
          process.stdout.write(`${who}: ${m.text}\n`);
          if (m.quickReplies?.length) process.stdout.write(`     [${m.quickReplies.map((q) => q.title).join('] [')}]\n`);
        });
        // Created only now: lines piped in while the models were loading would be lost otherwise.
        rl = readline.createInterface({ input: process.stdin, terminal: Boolean(process.stdin.isTTY) });
        // Iterating the lines (rather than question()) also works when stdin is a pipe.
        let n = 0;
        process.stdout.write('you: ');
        for await (const raw of rl) {
          const line = raw.trim();
          if (!line) break;
          const id = `cli-${++n}`;
          const done = engine.turnOf(id);
          await engine.accept({ id, conversationId, channel: 'cli', role: 'customer', from: 'you', text: line, ts: Date.now() });
          const t = await done;
          const u = t.understanding.stored;
          const alt = u.alternatives[1] ? `, next ${u.alternatives[1].label} ${u.alternatives[1].confidence.toFixed(2)}` : '';
          const why = u.explanation.intent.slice(0, 3).map((e) => e.feature).join(' ');
          process.stdout.write(`     ~ ${u.intent} ${u.intentConfidence.toFixed(2)}${alt} | ${u.sentiment} ${u.sentimentScore.toFixed(2)} | frustration ${(u.frustration ?? 0).toFixed(2)} | ${t.action}${t.action === 'escalate' ? ` (${t.decision.reason})` : ''}${why ? ` | because: ${why}` : ''}\n`);
          process.stdout.write('you: ');
        }
        process.stdout.write('\n');
        await engine.close();
      } finally {
        rl?.close();
        await store.close();
        await rm(tmp, { recursive: true, force: true });
      }
    });
}
