import express, { type Request, type Response, type Router } from 'express';
import { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Engine } from '../../bot/engine-api.js';
import type { StoredMessage } from '../../store/types.js';
import { verifySlackSignature } from './signature.js';

export interface SlackOptions {
  signingSecret: string;
  botToken: string;
  /** Override for the Web API base URL (a local fake in tests). */
  apiUrl?: string;
  onError?: (error: unknown) => void;
}

export interface SlackChannel {
  router: Router;
  close(): void;
}

const PREFIX = 'slack:';

const MessageEvent = z.object({
  type: z.literal('message'),
  channel: z.string(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  client_msg_id: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  thread_ts: z.string().optional(),
});

const EventsBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string() }),
  z.object({ type: z.literal('event_callback'), team_id: z.string(), event_id: z.string().optional(), event: z.object({ type: z.string() }).passthrough() }),
]);

const BlockActions = z.object({
  type: z.literal('block_actions'),
  team: z.object({ id: z.string() }).optional(),
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }),
  trigger_id: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional(), action_ts: z.string() })).min(1),
});

/** Our conversation id: one conversation per Slack workspace and channel (a DM with the bot is a channel). */
export const slackConversationId = (teamId: string, channel: string): string => `${PREFIX}${teamId}:${channel}`;

/**
 * Slack through the Events API: `/slack/events` (messages) and `/slack/interactions`
 * (quick-reply buttons). Every request's signature is verified against the raw body before
 * anything is parsed; replies go out through Slack's Web API client.
 */
export function slackChannel(engine: Engine, options: SlackOptions): SlackChannel {
  const client = new WebClient(options.botToken, options.apiUrl ? { slackApiUrl: options.apiUrl } : {});
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '256kb' });

  const verified = (req: Request, res: Response): string | undefined => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const check = verifySlackSignature(options.signingSecret, {
      timestamp: req.header('x-slack-request-timestamp'),
      signature: req.header('x-slack-signature'),
    }, body);
    if (!check.ok) {
      res.status(401).json({ error: check.reason });
      return undefined;
    }
    return body;
  };

  router.post('/slack/events', raw, async (req, res) => {
    const body = verified(req, res);
    if (body === undefined) return;
    const parsed = EventsBody.safeParse(safeJson(body));
    if (!parsed.success) return void res.status(400).json({ error: 'not a Slack Events API payload' });
    if (parsed.data.type === 'url_verification') return void res.json({ challenge: parsed.data.challenge });
    const event = MessageEvent.safeParse(parsed.data.event);
    // Bot messages (ours included) and edits/joins are not customer turns.
    if (!event.success || event.data.bot_id || event.data.subtype || !event.data.user || !event.data.text?.trim()) {
      return void res.sendStatus(200);
    }
    try {
      // Slack retries when we are slow; the id makes a retry a no-op in the engine.
      await engine.accept({
        id: PREFIX + (event.data.client_msg_id ?? `${event.data.channel}:${event.data.ts}`),
        conversationId: slackConversationId(parsed.data.team_id, event.data.channel),
        channel: 'slack',
        role: 'customer',
        from: `${PREFIX}${event.data.user}`,
        text: event.data.text.slice(0, 4000),
        ts: Math.round(Number(event.data.ts) * 1000) || Date.now(),
      });
      res.sendStatus(200);
    } catch (error) {
      options.onError?.(error);
      res.status(500).json({ error: 'could not store the message; Slack will retry' });
    }
  });

  router.post('/slack/interactions', raw, async (req, res) => {
    const body = verified(req, res);
    if (body === undefined) return;
    const payload = BlockActions.safeParse(safeJson(new URLSearchParams(body).get('payload') ?? ''));
    if (!payload.success) return void res.sendStatus(200);
    const { channel, user, actions, team } = payload.data;
    const action = actions[0];
    try {
      await engine.accept({
        id: `${PREFIX}action:${channel.id}:${action.action_ts}`,
        conversationId: slackConversationId(team?.id ?? 'T0', channel.id),
        channel: 'slack',
        role: 'customer',
        from: `${PREFIX}${user.id}`,
        text: (action.value ?? action.action_id).slice(0, 4000),
        ts: Date.now(),
      });
      res.sendStatus(200);
    } catch (error) {
      options.onError?.(error);
      res.sendStatus(500);
    }
  });

  const send = async (message: StoredMessage) => {
    const channel = message.conversationId.slice(PREFIX.length).split(':')[1];
    await client.chat.postMessage({ channel, text: message.text, blocks: blocksFor(message) });
  };
  // Local events only: every instance sees every event, and one of them posts it to Slack.
  const stop = engine.on('message', (message, origin) => {
    if (origin === 'remote' || !message.conversationId.startsWith(PREFIX) || message.role === 'customer') return;
    send(message).catch((error) => options.onError?.(error));
  });

  return { router, close: stop };
}

/** Quick replies become buttons; plain text otherwise (Slack renders `text` as a fallback). */
function blocksFor(message: StoredMessage) {
  if (!message.quickReplies?.length) return undefined;
  return [
    { type: 'section', text: { type: 'plain_text', text: message.text } },
    {
      type: 'actions',
      elements: message.quickReplies.map((q, i) => ({
        type: 'button',
        action_id: `quick_reply_${i}`,
        text: { type: 'plain_text', text: q.title },
        value: q.value,
      })),
    },
  ];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
