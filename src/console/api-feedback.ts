import express, { type Router } from 'express';
import { z } from 'zod';
import type { StoredMessage } from '../store/types.js';
import { recordFeedback } from '../training/feedback-log.js';
import { auditor, body, wrap, type ConsoleDeps } from './api-shared.js';
import { requireSession, session } from './auth/http.js';
import { feedbackFor, type AgentFeedback } from './feedback.js';

const Relabel = z.union([
  z.object({ intent: z.string().regex(/^[a-z0-9_]{1,64}$/, 'intent: lower-case letters, digits and _') }),
  z.object({ sentiment: z.enum(['negative', 'neutral', 'positive']) }),
]);
const WrongAnswer = z.object({ note: z.string().max(500).optional() });

/** Relabelling a customer message and marking a bot answer wrong: feedback events, review 'pending'. */
export function feedbackApi(deps: ConsoleDeps): Router {
  const { store } = deps;
  const router = express.Router();
  const auth = requireSession(store);
  const audit = auditor(store);

  const feedback = (kind: 'relabel' | 'wrong-answer') =>
    wrap(deps, async (req, res) => {
      const id = String(req.params.id);
      const me = session(res).agent.name;
      const message = await store.getMessage(id, String(req.params.messageId));
      if (!message) return void res.status(404).json({ error: 'not_found', message: 'no such message in this conversation' });
      let fb: AgentFeedback;
      let about: StoredMessage | undefined;
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
      // Through the feedback log's one entry point, which redacts (again) and validates.
      const event = await recordFeedback(store, feedbackFor(message, fb, me, { about }));
      await audit(me, event.kind, id, { messageId: message.id, feedbackId: event.id, value: event.value, predicted: event.predicted });
      res.json({ feedback: { id: event.id, kind: event.kind, value: event.value } });
    });
  router.post('/conversations/:id/messages/:messageId/relabel', auth, feedback('relabel'));
  router.post('/conversations/:id/messages/:messageId/wrong-answer', auth, feedback('wrong-answer'));

  return router;
}
