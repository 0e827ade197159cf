import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface PostedMessage {
  channel: string;
  text: string;
  blocks?: Array<{ type: string; elements?: Array<{ value: string }> }>;
  authorization?: string;
}

/** A local stand-in for Slack's Web API: records `chat.postMessage` calls. */
export async function startFakeSlackApi() {
  const posted: PostedMessage[] = [];
  const app = express();
  app.use(express.urlencoded({ extended: false }), express.json());
  app.post('/api/chat.postMessage', (req, res) => {
    const body = req.body as Record<string, string>;
    const blocks = typeof body.blocks === 'string' ? JSON.parse(body.blocks) : body.blocks;
    posted.push({ channel: body.channel, text: body.text, blocks, authorization: req.header('authorization') });
    res.json({ ok: true, channel: body.channel, ts: `${Date.now() / 1000}` });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return {
    url,
    posted,
    async waitFor(match: (m: PostedMessage) => boolean, timeoutMs = 10_000): Promise<PostedMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = posted.find(match);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`Slack API got no matching message; got ${JSON.stringify(posted.map((p) => p.text))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
