import express, { type Router } from 'express';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TurnContext,
  type ConversationReference,
} from 'botbuilder';
import type { Engine } from '../../bot/engine-api.js';
import type { KeyValueStore, StoredMessage } from '../../store/types.js';

export interface TeamsOptions {
  /** Azure bot registration. Without an app id the adapter accepts unauthenticated requests. */
  appId?: string;
  appPassword?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
  /** Must be set to run without an app id (local development and tests only). */
  allowUnauthenticated?: boolean;
  /** Where conversation references live so that replies survive a restart. */
  references: KeyValueStore;
  onError?: (error: unknown) => void;
}

export interface TeamsChannel {
  router: Router;
  close(): void;
}

const PREFIX = 'teams:';
const REFERENCES = 'teams-reference';

/** Our conversation id for a Bot Framework conversation. */
export const teamsConversationId = (botFrameworkConversationId: string): string => PREFIX + botFrameworkConversationId;

/**
 * Microsoft Teams (and any Bot Framework channel) through the Microsoft SDK: the adapter
 * turns activities into our Activity at `/api/messages`; the bot's and agents' replies are
 * sent proactively through the saved conversation reference, because they arrive later
 * than the HTTP request (an agent may answer minutes after the customer wrote).
 */
export function teamsChannel(engine: Engine, options: TeamsOptions): TeamsChannel {
  if (!options.appId && !options.allowUnauthenticated) {
    throw new Error('Teams needs TEAMS_APP_ID and TEAMS_APP_PASSWORD (or TEAMS_ALLOW_UNAUTHENTICATED=true for local testing only).');
  }
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: options.appId ?? '',
      MicrosoftAppPassword: options.appPassword ?? '',
      MicrosoftAppType: options.appType ?? 'MultiTenant',
      MicrosoftAppTenantId: options.tenantId ?? '',
    }),
  );
  adapter.onTurnError = async (_context, error) => options.onError?.(error);
  const references = new Map<string, Partial<ConversationReference>>();

  const referenceFor = async (conversationId: string) => {
    const cached = references.get(conversationId);
    if (cached) return cached;
    const stored = await options.references.get<Partial<ConversationReference>>(REFERENCES, conversationId);
    if (stored) references.set(conversationId, stored);
    return stored;
  };

  const send = async (message: StoredMessage) => {
    const reference = await referenceFor(message.conversationId);
    if (!reference) return;
    await adapter.continueConversationAsync(options.appId ?? '', reference, async (context) => {
      const reply = message.quickReplies?.length
        ? MessageFactory.suggestedActions(message.quickReplies.map((q) => ({ type: 'imBack', title: q.title, value: q.value })), message.text)
        : MessageFactory.text(message.text);
      await context.sendActivity(reply);
    });
  };

  // Local events only: every instance sees every event, and one of them posts it to Teams.
  const stopMessages = engine.on('message', (message, origin) => {
    if (origin === 'remote' || !message.conversationId.startsWith(PREFIX) || message.role === 'customer') return;
    send(message).catch((error) => options.onError?.(error));
  });
  const stopTyping = engine.on('typing', (event, origin) => {
    if (origin === 'remote' || !event.conversationId.startsWith(PREFIX) || event.role === 'customer' || !event.on) return;
    referenceFor(event.conversationId)
      .then((reference) => reference && adapter.continueConversationAsync(options.appId ?? '', reference, (c) => c.sendActivity({ type: ActivityTypes.Typing }).then(() => undefined)))
      .catch((error) => options.onError?.(error));
  });

  const router = express.Router();
  router.post('/api/messages', express.json({ limit: '256kb' }), async (req, res) => {
    await adapter.process(req, res, async (context) => {
      const activity = context.activity;
      if (activity.type !== ActivityTypes.Message || !activity.text?.trim()) return;
      const conversationId = teamsConversationId(activity.conversation.id);
      const reference = TurnContext.getConversationReference(activity);
      if (!references.has(conversationId)) {
        references.set(conversationId, reference);
        await options.references.set(REFERENCES, conversationId, reference);
      }
      await engine.accept({
        id: PREFIX + (activity.id ?? `${activity.conversation.id}:${Date.parse(String(activity.timestamp)) || Date.now()}`),
        conversationId,
        channel: 'teams',
        role: 'customer',
        from: PREFIX + (activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown'),
        text: stripMentions(activity.text).slice(0, 4000),
        ts: Date.now(),
      });
    });
  });

  return {
    router,
    close() {
      stopMessages();
      stopTyping();
    },
  };
}

/** Teams prefixes channel messages with `<at>Bot</at>`; the classifier should not see it. */
function stripMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/g, '').trim();
}
