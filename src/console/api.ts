import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Engine } from '../bot/engine-api.js';
import { defaultPolicy, type EscalationPolicy } from '../escalation/policy.js';
import type { Store } from '../store/types.js';
import { TokenBucket } from '../channels/webchat/rate-limit.js';
import { authenticate, listAgents } from './auth/accounts.js';
import { cookieHeader, readCookie, requireSession, session, SESSION_COOKIE } from './auth/http.js';
import { createSession, deleteSession } from './auth/sessions.js';
import { DeskError, type AgentDesk } from './desk.js';
import { feedbackFor, type AgentFeedback } from './feedback.js';
import type { ConsoleSettings } from './options.js';
import { buildQueue } from './queue.js';
import { listTickets } from './tickets.js';
import { buildView } from './view.js';

/** What the console API is built from. */
export interface ConsoleDeps {
  store: Store;
  engine: Engine;
  desk: AgentDesk;
  policy?: EscalationPolicy;
  /**
   * Resolves when the turn of an accepted customer message finished (the engine's
   * `turnOf`): the console then pushes the message again with its understanding.
   */
  turnOf?: (messageId: string) => Promise<unknown>;
  /** The labels agents may pick when relabelling (the serving models' labels). */
  labels?: () => { intents: string[]; sentiments: string[] };
  logger?: { warn(obj: object, msg?: string): void; info?(obj: object, msg?: string): void };
}

const Login = z.object({ name: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const Text = (max: number) => z.object({ text: z.string().trim().min(1, 'text is empty').max(max, `text longer than ${max} characters`), clientId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional() });
const Transfer = z.object({ to: z.string().min(1).max(100) });
const Resolve = z.object({ needed: z.boolean() });
const Relabel = z.union([
  z.object({ intent: z.string().regex(/^[a-z0-9_]{1,64}$/, 'intent: lower-case letters, digits and _') }),
  z.object({ sentiment: z.enum(['negative', 'neutral', 'positive']) }),
]);
const WrongAnswer = z.object({ note: z.string().max(500).optional() });

/** Parses a body or answers 400 naming the first bad field. */
function body<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  res.status(400).json({ error: 'bad_request', message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
  return undefined;
}

type Handler = (req: Request, res: Response) => Promise<void>;
/** Async handlers with one error path: DeskError -> its status, anything else -> 500 (logged). */
const wrap = (deps: ConsoleDeps, handler: Handler) => (req: Request, res: Response, next: NextFunction) =>
  handler(req, res).catch((error: unknown) => {
    if (error instanceof DeskError) return void res.status(error.status).json({ error: 'conflict', message: error.message });
    deps.logger?.warn({ err: error, path: req.path }, 'console api failed');
    next(error);
  });

/**
 * The console's JSON API (mounted at `/console/api`). Everything but `POST /login` needs
 * a session; every state-changing call also needs the CSRF header; every agent action is
 * audited.
 */
export function consoleApi(deps: ConsoleDeps, settings: ConsoleSettings): Router {
  const { store, desk } = deps;
  const policy = deps.policy ?? defaultPolicy;
  const router = express.Router();
  router.use(express.json({ limit: '32kb' }));
  const auth = requireSession(store);
  const loginBuckets = new Map<string, TokenBucket>();
  const audit = (actor: string, action: string, subject: string, details: Record<string, unknown> = {}) => store.audit({ ts: Date.now(), actor, action, subject, details });
  const secure = (req: Request) => settings.secureCookies === 'always' || (settings.secureCookies === 'auto' && req.secure);

  router.post('/login', wrap(deps, async (req, res) => {
    const ip = req.ip ?? 'unknown';
    let bucket = loginBuckets.get(ip);
    if (!bucket) {
      if (loginBuckets.size > 10_000) loginBuckets.clear(); // bounded memory under a flood
      loginBuckets.set(ip, (bucket = new TokenBucket(settings.loginRate)));
    }
    if (!bucket.take()) return void res.status(429).json({ error: 'rate_limited', message: 'too many sign-in attempts; wait a minute' });
    const input = body(Login, req, res);
    if (!input) return;
    const agent = await authenticate(store, input.name, input.password);
    if (!agent) {
      await audit(input.name.slice(0, 40), 'login-failed', 'console', { ip });
      return void res.status(401).json({ error: 'unauthenticated', message: 'wrong name or password' });
    }
    const { id, session: s } = await createSession(store, agent, settings.sessionTtlMs);
    await audit(agent.name, 'login', 'console', { ip });
    res.setHeader('Set-Cookie', cookieHeader(id, { secure: secure(req), maxAgeMs: settings.sessionTtlMs }));
    res.json({ agent, csrfToken: s.csrfToken });
  }));

  router.post('/logout', auth, wrap(deps, async (req, res) => {
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (id) await deleteSession(store, id);
    await audit(session(res).agent.name, 'logout', 'console');
    res.setHeader('Set-Cookie', cookieHeader('', { secure: secure(req), maxAgeMs: 0 }));
    res.json({ ok: true });
  }));

  router.get('/me', auth, (_req, res) => {
    const s = session(res);
    res.json({ agent: s.agent, csrfToken: s.csrfToken });
  });

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

  const feedback = (kind: 'relabel' | 'wrong-answer') =>
    wrap(deps, async (req, res) => {
      const id = String(req.params.id);
      const me = session(res).agent.name;
      const message = await store.getMessage(id, String(req.params.messageId));
      if (!message) return void res.status(404).json({ error: 'not_found', message: 'no such message in this conversation' });
      let fb: AgentFeedback;
      let about = undefined;
      if (kind === 'relabel') {
        if (message.role !== 'customer') return void res.status(400).json({ error: 'bad_request', message: 'only customer messages can be relabelled' });
        const input = body(Relabel, req, res);
        if (!input) return;
        fb = 'intent' in input ? { kind: 'relabel-intent', value: input.intent } : { kind: 'relabel-sentiment', value: input.sentiment };
      } else {
        if (message.role !== 'bot') return void res.status(400).json({ error: 'bad_request', message: 'only bot answers can be marked wrong' });
        const input = body(WrongAnswer, req, res);
        if (!input) return;
        fb = { kind: 'wrong-answer' };
        about = message.replyTo ? await store.getMessage(id, message.replyTo) : undefined;
      }
      const event = feedbackFor(message, fb, me, { about });
      await store.addFeedback(event);
      await audit(me, event.kind, id, { messageId: message.id, feedbackId: event.id, value: event.value, predicted: event.predicted });
      res.json({ feedback: { id: event.id, kind: event.kind, value: event.value } });
    });
  router.post('/conversations/:id/messages/:messageId/relabel', auth, feedback('relabel'));
  router.post('/conversations/:id/messages/:messageId/wrong-answer', auth, feedback('wrong-answer'));

  return router;
}
