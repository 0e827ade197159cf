import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface RecordedActivity {
  conversationId: string;
  replyToId?: string;
  activity: { type: string; text?: string; suggestedActions?: { actions: Array<{ title: string; value: string }> } };
}

/**
 * A local stand-in for the Bot Framework connector service: it records the activities
 * the bot posts to `/v3/conversations/:id/activities[/:replyToId]`, the way the real
 * service receives them.
 */
export async function startFakeConnector() {
  const received: RecordedActivity[] = [];
  const waiters: Array<() => void> = [];
  const app = express();
  app.use(express.json());
  const record = (req: express.Request, res: express.Response) => {
    received.push({ conversationId: String(req.params.conversationId), replyToId: req.params.replyToId as string | undefined, activity: req.body });
    waiters.splice(0).forEach((w) => w());
    res.json({ id: `sent-${received.length}` });
  };
  app.post('/v3/conversations/:conversationId/activities', record);
  app.post('/v3/conversations/:conversationId/activities/:replyToId', record);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Resolves when a recorded activity matches, or rejects after `timeoutMs`. */
    async waitFor(match: (a: RecordedActivity) => boolean, timeoutMs = 10_000): Promise<RecordedActivity> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(match);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`connector received no matching activity; got ${JSON.stringify(received.map((r) => r.activity.text ?? r.activity.type))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
