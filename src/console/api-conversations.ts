import express, { type Router } from 'express';
import { z } from 'zod';
import { defaultPolicy } from '../escalation/policy.js';
import { auditor, body, wrap, type ConsoleDeps } from './api-shared.js';
import { listAgents } from './auth/accounts.js';
import { requireSession, session } from './auth/http.js';
import type { ConsoleSettings } from './options.js';
import { buildQueue } from './queue.js';
import { listTickets } from './tickets.js';
import { buildView } from './view.js';

const Text = (max: number) => z.object({ text: z.string().trim().min(1, 'text is empty').max(max, `text longer than ${max} characters`), clientId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() });
const Transfer = z.object({ to: z.string().min(1).max(100) });
const Resolve = z.object({ needed: z.boolean() });

/**
 * The queue, the conversation view, the ownership moves (claim, release, transfer, resolve:
 * 409 when someone else moved first) and what agents write (replies, notes).
 */
export function conversationsApi(deps: ConsoleDeps, settings: ConsoleSettings): Router {
  const { store, desk } = deps;
  const policy = deps.policy ?? defaultPolicy;
  const router = express.Router();
  const auth = requireSession(store);
  const audit = auditor(store);

  router.get('/queue', auth, wrap(deps, async (_req, res) => {
    res.json({ queue: buildQueue(await store.listConversations({ owner: ['queued', 'agent'] }), Date.now(), policy) });
  }));

  router.get('/agents', auth, wrap(deps, async (_req, res) => {
    res.json({ agents: (await listAgents(store)).map(({ name, role }) => ({ name, role })) });
  }));

  router.get('/labels', auth, (_req, res) => {
    const labels = deps.labels?.() ?? { intents: [], sentiments: ['negative', 'neutral', 'positive'] };
    res.json({ intents: [...labels.intents].sort(), sentiments: labels.sentiments });
  });

  router.get('/canned', auth, (_req, res) => void res.json({ canned: settings.cannedReplies }));

  router.get('/tickets', auth, wrap(deps, async (_req, res) => void res.json({ tickets: await listTickets(store) })));

  router.get('/conversations/:id', auth, wrap(deps, async (req, res) => {
    const id = String(req.params.id);
    const conversation = await store.getConversation(id);
    if (!conversation) return void res.status(404).json({ error: 'not_found', message: `no conversation ${id}` });
    // An agent opens it: messages the bot handled alone get their explanations now.
    await deps.explain?.(id).catch((error) => deps.logger?.warn({ err: error, conversationId: id }, 'could not explain messages'));
    const [messages, transitions] = await Promise.all([store.listMessages(id, { limit: 2000 }), store.listTransitions(id)]);
    res.json(buildView(conversation, messages, transitions));
  }));

  /** An ownership move: 409 when it lost (someone else claimed, not the owner). */
  const move = (action: 'claim' | 'release' | 'transfer' | 'resolve') =>
    wrap(deps, async (req, res) => {
      const id = String(req.params.id);
      const me = session(res).agent.name;
      const conversation = await store.getConversation(id);
      if (!conversation) return void res.status(404).json({ error: 'not_found', message: `no conversation ${id}` });
      let ok: boolean;
      let details: Record<string, unknown> = {};
      if (action === 'claim') ok = await desk.claim(id, me);
      else if (action === 'release') ok = await desk.release(id, me);
      else if (action === 'transfer') {
        const input = body(Transfer, req, res);
        if (!input) return;
        const target = (await listAgents(store)).find((a) => a.name.toLowerCase() === input.to.toLowerCase());
        if (!target) return void res.status(400).json({ error: 'bad_request', message: `no agent named ${input.to}` });
        ok = await desk.transfer(id, me, target.name);
        details = { to: target.name };
      } else {
        const input = body(Resolve, req, res);
        if (!input) return;
        // The state machine records the escalation outcome (feedback kind 'escalation-outcome').
        ok = await desk.resolve(id, me, input.needed);
      }
      if (!ok) {
        const now = await store.getConversation(id);
        const who = now?.owner === 'agent' ? `${now.agent} owns it` : `it is ${now?.owner ?? 'gone'}`;
        await audit(me, `${action}-refused`, id, { ...details, owner: now?.owner, agent: now?.agent });
        return void res.status(409).json({ error: 'conflict', message: `cannot ${action}: ${who}` });
      }
      // Successful moves are audited by the ownership state machine itself.
      const after = await store.getConversation(id);
      res.json({ ok: true, owner: after?.owner, agent: after?.agent });
    });
  router.post('/conversations/:id/claim', auth, move('claim'));
  router.post('/conversations/:id/release', auth, move('release'));
  router.post('/conversations/:id/transfer', auth, move('transfer'));
  router.post('/conversations/:id/resolve', auth, move('resolve'));

  const write = (kind: 'reply' | 'note') =>
    wrap(deps, async (req, res) => {
      const input = body(Text(settings.maxTextLength), req, res);
      if (!input) return;
      const id = String(req.params.id);
      const me = session(res).agent.name;
      const message = kind === 'reply' ? await desk.reply(id, me, input.text, input.clientId) : await desk.note(id, me, input.text, input.clientId);
      // The text is in the conversation already; the audit log only says who wrote what where.
      await audit(me, kind, id, { messageId: message.id, seq: message.seq });
      res.json({ message: { id: message.id, seq: message.seq } });
    });
  router.post('/conversations/:id/reply', auth, write('reply'));
  router.post('/conversations/:id/note', auth, write('note'));

  return router;
}
