import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { signSlackBody } from '../../src/channels/slack/signature.js';
import { intentsDir, modelsDir } from '../bot/helpers.js';
import { startFakeConnector } from './fakes/bot-connector.js';
import { startFakeSlackApi } from './fakes/slack-api.js';

const SIGNING_SECRET = 'slack-signing-secret-for-tests';

/**
 * Teams (Bot Framework SDK) and Slack (Events API) against the real server, with local
 * stand-ins for the remote services on loopback recording what the bot sends back.
 */
describe('Teams and Slack channels on the real server', () => {
  let server: RunningServer;
  let dataDir: string;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let slackApi: Awaited<ReturnType<typeof startFakeSlackApi>>;

  beforeAll(async () => {
    connector = await startFakeConnector();
    slackApi = await startFakeSlackApi();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-channels-'));
    const config = loadConfig({
      PORT: '0', PARLEY_DATA_DIR: dataDir, PARLEY_MODELS_DIR: modelsDir, PARLEY_INTENTS_DIR: intentsDir, MODELS_RELOAD_MS: '0',
      TEAMS_ALLOW_UNAUTHENTICATED: 'true',
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slackApi.url,
    });
    server = await startServer(config, { logger: createLogger('silent') });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
    await slackApi?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const teamsActivity = (id: string, text: string) => ({
    type: 'message', id, text, channelId: 'msteams', serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    from: { id: 'user-1', name: 'Dana', aadObjectId: 'aad-1' },
    recipient: { id: 'bot-1', name: 'Parley' },
    conversation: { id: 'a:conv-1', conversationType: 'personal' },
  });

  it('Teams: a message is stored under the teams channel and the bot answers through the connector', async () => {
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsActivity('act-1', '<at>Parley</at> how much is shipping to my place?')),
    });
    expect(res.status).toBeLessThan(300);
    const reply = await connector.waitFor((a) => a.conversationId === 'a:conv-1' && a.activity.type === 'message');
    expect(reply.activity.text?.length).toBeGreaterThan(0);

    const stored = await server.store.listMessages('teams:a:conv-1');
    const customerMessage = stored.find((m) => m.role === 'customer');
    expect(customerMessage).toMatchObject({ channel: 'teams', text: 'how much is shipping to my place?' });
    expect(customerMessage?.understanding?.intent).toBe('shipping_costs');
    expect(stored.some((m) => m.role === 'bot' && m.text === reply.activity.text)).toBe(true);
  });

  it('Teams: a redelivered activity is not processed twice', async () => {
    const before = (await server.store.listMessages('teams:a:conv-1')).length;
    const body = JSON.stringify(teamsActivity('act-1', 'how much is shipping to my place?'));
    await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await new Promise((r) => setTimeout(r, 300));
    expect((await server.store.listMessages('teams:a:conv-1')).length).toBe(before);
  });

  const slackPost = (route: string, body: string, contentType: string, secret = SIGNING_SECRET) => {
    const ts = Math.floor(Date.now() / 1000);
    return fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackBody(secret, ts, body) },
      body,
    });
  };

  it('Slack: answers the URL verification challenge and refuses unsigned requests', async () => {
    const ok = await slackPost('/slack/events', JSON.stringify({ type: 'url_verification', challenge: 'c-123' }), 'application/json');
    expect(await ok.json()).toEqual({ challenge: 'c-123' });
    const forged = await slackPost('/slack/events', JSON.stringify({ type: 'url_verification', challenge: 'x' }), 'application/json', 'wrong-secret');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'signature mismatch' });
  });

  it('Slack: a message event gets a reply through chat.postMessage; quick replies become buttons that come back as turns', async () => {
    const event = {
      type: 'event_callback', team_id: 'T1', event_id: 'Ev1',
      event: { type: 'message', channel: 'D42', user: 'U7', text: 'where is my order?', ts: '1764331200.000100', client_msg_id: 'cm-1' },
    };
    const res = await slackPost('/slack/events', JSON.stringify(event), 'application/json');
    expect(res.status).toBe(200);
    const reply = await slackApi.waitFor((m) => m.channel === 'D42');
    expect(reply.authorization).toBe('Bearer xoxb-test-token');
    const conversation = await server.store.listMessages('slack:T1:D42');
    expect(conversation.find((m) => m.role === 'customer')?.understanding?.intent).toBe('order_status');

    const buttons = reply.blocks?.find((b) => b.type === 'actions')?.elements ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    const payload = {
      type: 'block_actions', team: { id: 'T1' }, user: { id: 'U7' }, channel: { id: 'D42' },
      actions: [{ action_id: 'quick_reply_0', value: buttons[0].value, action_ts: '1764331260.000200' }],
    };
    const click = await slackPost('/slack/interactions', new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    expect(click.status).toBe(200);
    await expect.poll(async () => (await server.store.listMessages('slack:T1:D42')).filter((m) => m.role === 'customer').map((m) => m.text), { timeout: 10_000 })
      .toContain(buttons[0].value);
  });
});
