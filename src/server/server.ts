import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { mountConsoleOnEngine } from '../console/server-mount.js';
import type { ConsoleHandle } from '../console/index.js';
import { watchCurrent } from '../training/registry-watch.js';
import { startRetrainJob } from '../training/retrain-job.js';
import { attachWebchat, type WebchatHandle } from '../channels/webchat/index.js';
import { createEngine } from '../bot/create.js';
import type { ConversationEngine, EngineObserver } from '../bot/engine.js';
import { sharesEvents } from '../bot/relay.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { createApp } from './app.js';
import type { ServerConfig } from './config.js';
import { ensureModels } from './ensure-models.js';
import { collectWhenIdle } from './idle-collector.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

export interface RunningServer {
  url: string;
  port: number;
  engine: ConversationEngine;
  store: Store;
  logger: Logger;
  /** Graceful: stop accepting, let turns in flight finish, close sockets and the store. Idempotent. */
  close(): Promise<void>;
}

/**
 * The composition root: config -> store -> models (trained first if missing) -> engine
 * (with recovery of unanswered messages) -> web chat -> HTTP.
 *
 * @example
 * const server = await startServer(loadConfig({ PORT: '0' }));
 * console.log(server.url); // http://127.0.0.1:43117
 * await server.close();
 */
export async function startServer(config: ServerConfig, { logger = createLogger(config.logLevel) }: { logger?: Logger } = {}): Promise<RunningServer> {
  if (config.trainIfMissing) await ensureModels(config.modelsDir, config.intentsDir, (msg) => logger.info(msg));
  if (config.store.kind === 'sqlite') await mkdir(config.dataDir, { recursive: true });
  const store = await openStore(config.store, { onError: (err) => logger.warn({ err }, 'store background error') });
  const metrics = createMetrics();
  let messagesHandled = 0;
  const observer: EngineObserver = { ...metrics.observer, message: (role) => { messagesHandled++; metrics.observer.message?.(role); } };
  let engine: ConversationEngine;
  try {
    engine = await createEngine({ store, modelsDir: config.modelsDir, intentsDir: config.intentsDir, policy: config.policy, logger, observer });
  } catch (error) {
    await store.close();
    throw error;
  }
  // Several instances on one Redis: events cross between them (an agent on B reaches a
  // customer on A). Subscribed before recovery and before the channels open.
  if (sharesEvents(store)) await engine.relay();
  const recovered = await engine.recover();
  if (recovered) logger.info({ messages: recovered }, 'replaying messages accepted before the last shutdown');

  let accepting = true;
  const webchatOptions = {
    secret: config.secret,
    maxTextLength: config.limits.maxMessageChars,
    rate: { capacity: config.limits.ratePerConnection, refillPerSecond: config.limits.rateRefillPerSecond },
    idleTimeoutMs: config.limits.idleTimeoutMs,
    replyHoldMs: config.replyHoldMs,
    allowedOrigins: config.allowedOrigins,
    serveDemo: config.serveDemo,
    logger,
  };
  const app = createApp({ store, models: engine.models, metrics, webchat: webchatOptions, accepting: () => accepting });
  const server = http.createServer(app);
  const webchat: WebchatHandle = attachWebchat(server, engine, {
    ...webchatOptions,
    onJoin: async ({ conversationId, customerId, attributes }) => {
      if (Object.keys(attributes).length) await engine.setAttributes({ id: conversationId, channel: 'webchat', customerId }, attributes);
    },
  });
  metrics.clients(() => webchat.clients());
  // The agent console shares the HTTP server: its own API, static files and socket path.
  const consoleHandle: ConsoleHandle | undefined = config.console
    ? mountConsoleOnEngine(app, server, { store, engine, options: config.console, policy: config.policy, logger })
    : undefined;

  // Teams and Slack are adapters at the edge like the web chat: they only call engine.accept.
  const onChannelError = (err: unknown) => logger.warn({ err }, 'channel delivery failed');
  // Their SDKs are imported only when configured: botbuilder alone is ~50 MB of memory.
  const teams = config.teams ? (await import('../channels/teams/teams.js')).teamsChannel(engine, { ...config.teams, references: store, onError: onChannelError }) : undefined;
  const slack = config.slack ? (await import('../channels/slack/slack.js')).slackChannel(engine, { ...config.slack, onError: onChannelError }) : undefined;
  if (teams) app.use(teams.router);
  if (slack) app.use(slack.router);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const versions = engine.models.current().versions;
  logger.info({ url, store: config.store.kind, models: versions }, 'parley server listening');

  // A promoted model (CLI, retraining job, another instance) is served from the next message on.
  const stopWatching = config.modelsReloadMs > 0
    ? await watchCurrent(
        config.modelsDir,
        () =>
          engine.models.reload().then(
            (changed) => void (changed && logger.info({ models: engine.models.current().versions }, 'models reloaded')),
            (err) => logger.warn({ err }, 'model reload failed; still serving the previous models'),
          ),
        { pollMs: config.modelsReloadMs, onError: (err) => logger.warn({ err }, 'cannot read models/current.json') },
      )
    : undefined;
  // Scheduled retraining (RETRAIN_SCHEDULE): the store lock keeps it to one instance at a time.
  const retrainJob = config.retrain.schedule
    ? startRetrainJob({ store, schedule: config.retrain.schedule, modelsDir: config.modelsDir, intentsDir: config.intentsDir, conversationsDir: config.retrain.conversationsDir, minNewLabels: config.retrain.minNewLabels, margin: config.retrain.margin, log: logger })
    : undefined;

  // Node exposes `gc` with --expose-gc (the bins' first line); without it, V8 collects on its own schedule.
  const gc = (globalThis as { gc?: () => void }).gc;
  const collector = gc && config.idleGcMs > 0
    ? collectWhenIdle({
        work: () => messagesHandled,
        idleMs: config.idleGcMs,
        // Twice: the second returns to the system the pages the first freed. After 16,000
        // messages at 2,000 a second, RSS 4 s later: one collection 154 -> 151 and 156 -> 147 MB,
        // two 154 -> 120 and 162 -> 120 MB (84 ms for both), none 158 and 154 MB.
        collect: () => { gc(); gc(); },
        onCollected: ({ ms, heapBefore, heapAfter }) => logger.debug({ ms: Math.round(ms), heapMb: [heapBefore, heapAfter].map((b) => Math.round(b / 1e6)) }, 'collected garbage while idle'),
      })
    : undefined;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      accepting = false;
      collector?.stop();
      stopWatching?.();
      retrainJob?.stop();
      logger.info('shutting down: no new messages, finishing turns in flight');
      // Stop taking new connections and messages first, then let running turns end.
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await webchat.close();
      await consoleHandle?.close();
      teams?.close();
      slack?.close();
      await withTimeout(engine.close(), config.shutdownTimeoutMs, () => logger.warn('turns still running at shutdown timeout; they are replayed at next start'));
      server.closeAllConnections();
      await httpClosed;
      await store.close();
      logger.info('stopped');
    })());

  return { url, port, engine, store, logger, close };
}

async function withTimeout(p: Promise<void>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  await Promise.race([p, timeout]);
  clearTimeout(timer);
}
