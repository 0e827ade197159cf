import path from 'node:path';
import { z } from 'zod';
import { ConsoleEnvSchema, consoleOptionsFromEnv } from '../console/env.js';
import type { ConsoleOptions } from '../console/options.js';
import { EscalationPolicy } from '../escalation/index.js';
import { parseSchedule } from '../training/retrain-schedule.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/**
 * Every setting of the server, read from the environment (and `.env`) at the entry point
 * only; `.env.example` documents each variable. The parsed object is what the rest of the
 * server receives: nothing below reads `process.env`.
 */
export const EnvSchema = z.object({
  PORT: int(0, 65535).default(3000),
  /** Loopback by default: exposing the server is a deliberate choice (set 0.0.0.0 behind a proxy or in a container). */
  HOST: z.string().min(1).default('127.0.0.1'),
  PARLEY_DATA_DIR: z.string().min(1).default('./data'),
  PARLEY_MODELS_DIR: z.string().min(1).default('./models'),
  PARLEY_INTENTS_DIR: z.string().min(1).default('./intents'),
  STORE: z.enum(['sqlite', 'redis']).default('sqlite'),
  /** SQLite's page cache in MB (see SqliteStoreOptions.cacheMb). */
  SQLITE_CACHE_MB: z.coerce.number().min(1).max(4096).default(4),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().default('parley:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** HMAC key for web chat resume tokens (and console sessions). Required in production. */
  SESSION_SECRET: z.string().min(16, 'SESSION_SECRET must be at least 16 characters').optional(),
  NODE_ENV: z.string().default('development'),
  MAX_MESSAGE_CHARS: int(1, 4000).default(2000),
  RATE_PER_CONNECTION: int(1, 1000).default(10),
  RATE_REFILL_PER_SECOND: z.coerce.number().min(0).max(1000).default(1),
  IDLE_TIMEOUT_MS: int(1000, 86_400_000).default(300_000),
  /** How long a customer message's ack waits for the bot's reply, to go out with it (0: at once; see WebchatOptions.replyHoldMs). */
  REPLY_HOLD_MS: int(0, 10_000).default(300),
  ALLOWED_ORIGINS: list.default([]),
  SERVE_DEMO: bool.default(true),
  /** Train missing models at start (from PARLEY_INTENTS_DIR) instead of refusing to start. */
  TRAIN_IF_MISSING: bool.default(true),
  /** Poll models/current.json and swap in a promoted model without a restart (0 = off). */
  MODELS_RELOAD_MS: int(0, 86_400_000).default(10_000),
  /** Collect the garbage (two full collections) this long after the last message (0: never; needs node's --expose-gc, which the bins pass). */
  IDLE_GC_MS: int(0, 86_400_000).default(2000),
  /** Retrain on a schedule: an interval ("6h") or a 5-field cron expression in UTC ("0 3 * * *"); unset = never. */
  RETRAIN_SCHEDULE: z.string().optional(),
  /** New accepted feedback labels a scheduled retrain needs before it trains anything. */
  RETRAIN_MIN_NEW_LABELS: int(1, 1_000_000).default(20),
  /** Largest macro-F1 drop the promotion gate tolerates (absolute). */
  RETRAIN_MARGIN: z.coerce.number().min(0).max(1).default(0.005),
  /** Conversation scripts a retrained model must not break. */
  PARLEY_CONVERSATIONS_DIR: z.string().min(1).default('./conversations'),
  /** How long a graceful shutdown may wait for turns in flight. */
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  /** Escalation policy overrides, as JSON (see src/escalation/policy.ts), e.g. {"fallbacks":{"inARow":2}}. */
  ESCALATION_POLICY: z.string().default('{}'),
  ESCALATION_FALLBACKS_IN_A_ROW: int(1, 100).optional(),
  ESCALATION_KEYWORDS: list.optional(),
  ESCALATION_VIP_ATTRIBUTE: z.string().min(1).optional(),
  /** Serve the agent console at /console. */
  CONSOLE_ENABLED: bool.default(true),
  /** Microsoft Teams / Bot Framework at /api/messages (off unless an app id or the local-testing flag is set). */
  TEAMS_APP_ID: z.string().min(1).optional(),
  TEAMS_APP_PASSWORD: z.string().min(1).optional(),
  TEAMS_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  TEAMS_TENANT_ID: z.string().min(1).optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: bool.default(false),
  /** Slack Events API at /slack/events and /slack/interactions (off unless both are set). */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_API_URL: z.string().url().optional(),
}).extend(ConsoleEnvSchema.shape);

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  modelsDir: string;
  intentsDir: string;
  store: { kind: 'sqlite'; file: string; cacheMb: number } | { kind: 'redis'; url: string; prefix: string };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  secret: string;
  limits: { maxMessageChars: number; ratePerConnection: number; rateRefillPerSecond: number; idleTimeoutMs: number };
  /** How long a customer message's frames wait for the bot's reply to go out with it (WebchatOptions.replyHoldMs). */
  replyHoldMs: number;
  allowedOrigins: string[];
  serveDemo: boolean;
  trainIfMissing: boolean;
  modelsReloadMs: number;
  idleGcMs: number;
  shutdownTimeoutMs: number;
  policy: EscalationPolicy;
  /** Scheduled retraining (see src/training/retrain-job.ts); no schedule = only `parley retrain`. */
  retrain: { schedule?: string; minNewLabels: number; margin: number; conversationsDir: string };
  /** The agent console at /console (undefined = not served). */
  console?: ConsoleOptions;
  teams?: { appId?: string; appPassword?: string; appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI'; tenantId?: string; allowUnauthenticated: boolean };
  slack?: { signingSecret: string; botToken: string; apiUrl?: string };
}

/** A configuration problem: one line naming the variable and what to set. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// Used only outside production when SESSION_SECRET is unset, so `npm start` works out of the box.
const DEV_SECRET = 'parley-development-secret-change-me';

/**
 * Parses the environment into the server configuration. Throws a ConfigError naming the
 * bad variable. `cwd` resolves relative folders.
 *
 * @example
 * const config = loadConfig({ PORT: '0', PARLEY_DATA_DIR: '/tmp/x' });
 * config.port // 0; config.store // { kind: 'sqlite', file: '/tmp/x/parley.db' }
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): ServerConfig {
  // Empty variables (KEY= in .env) mean "use the default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${issue.path.join('.') || 'environment'}: ${issue.message} (see .env.example)`);
  }
  const e = parsed.data;
  if (!e.SESSION_SECRET && e.NODE_ENV === 'production') throw new ConfigError('SESSION_SECRET must be set in production (at least 16 random characters; see .env.example)');
  const dataDir = path.resolve(cwd, e.PARLEY_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    modelsDir: path.resolve(cwd, e.PARLEY_MODELS_DIR),
    intentsDir: path.resolve(cwd, e.PARLEY_INTENTS_DIR),
    store: e.STORE === 'redis' ? { kind: 'redis', url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : { kind: 'sqlite', file: path.join(dataDir, 'parley.db'), cacheMb: e.SQLITE_CACHE_MB },
    logLevel: e.LOG_LEVEL,
    secret: e.SESSION_SECRET ?? DEV_SECRET,
    limits: { maxMessageChars: e.MAX_MESSAGE_CHARS, ratePerConnection: e.RATE_PER_CONNECTION, rateRefillPerSecond: e.RATE_REFILL_PER_SECOND, idleTimeoutMs: e.IDLE_TIMEOUT_MS },
    replyHoldMs: e.REPLY_HOLD_MS,
    allowedOrigins: e.ALLOWED_ORIGINS,
    serveDemo: e.SERVE_DEMO,
    trainIfMissing: e.TRAIN_IF_MISSING,
    modelsReloadMs: e.MODELS_RELOAD_MS,
    idleGcMs: e.IDLE_GC_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    policy: policyFrom(e),
    retrain: { ...(e.RETRAIN_SCHEDULE ? { schedule: scheduleFrom(e.RETRAIN_SCHEDULE) } : {}), minNewLabels: e.RETRAIN_MIN_NEW_LABELS, margin: e.RETRAIN_MARGIN, conversationsDir: path.resolve(cwd, e.PARLEY_CONVERSATIONS_DIR) },
    ...(e.CONSOLE_ENABLED ? { console: consoleFrom(e) } : {}),
    ...(e.TEAMS_APP_ID || e.TEAMS_ALLOW_UNAUTHENTICATED
      ? { teams: { appId: e.TEAMS_APP_ID, appPassword: e.TEAMS_APP_PASSWORD, appType: e.TEAMS_APP_TYPE, tenantId: e.TEAMS_TENANT_ID, allowUnauthenticated: e.TEAMS_ALLOW_UNAUTHENTICATED } }
      : {}),
    ...slackFrom(e),
  };
}

function slackFrom(e: z.infer<typeof EnvSchema>): Pick<ServerConfig, 'slack'> {
  if (!e.SLACK_SIGNING_SECRET && !e.SLACK_BOT_TOKEN) return {};
  if (!e.SLACK_SIGNING_SECRET || !e.SLACK_BOT_TOKEN) throw new ConfigError('Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (see .env.example)');
  return { slack: { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL } };
}

function consoleFrom(e: z.infer<typeof EnvSchema>): ConsoleOptions {
  try {
    return consoleOptionsFromEnv(e);
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${(error as Error).message}`);
  }
}

function scheduleFrom(value: string): string {
  try {
    parseSchedule(value);
  } catch (error) {
    throw new ConfigError(`invalid configuration: RETRAIN_SCHEDULE: ${(error as Error).message}`);
  }
  return value;
}

function policyFrom(e: z.infer<typeof EnvSchema>): EscalationPolicy {
  let overrides: Record<string, unknown>;
  try {
    overrides = JSON.parse(e.ESCALATION_POLICY) as Record<string, unknown>;
  } catch {
    throw new ConfigError('invalid configuration: ESCALATION_POLICY is not valid JSON (e.g. {"fallbacks":{"inARow":2}})');
  }
  const input = structuredClone(overrides ?? {}) as Record<string, any>;
  if (e.ESCALATION_FALLBACKS_IN_A_ROW !== undefined) input.fallbacks = { ...input.fallbacks, inARow: e.ESCALATION_FALLBACKS_IN_A_ROW };
  if (e.ESCALATION_KEYWORDS !== undefined) input.rules = { ...input.rules, keywords: { ...input.rules?.keywords, words: e.ESCALATION_KEYWORDS } };
  if (e.ESCALATION_VIP_ATTRIBUTE !== undefined) {
    input.rules = { ...input.rules, attributes: [{ name: e.ESCALATION_VIP_ATTRIBUTE, equals: 'true', when: 'negative', priorityBoost: 30, label: 'vip customer' }] };
  }
  const policy = EscalationPolicy.safeParse(input);
  if (!policy.success) {
    const issue = policy.error.issues[0];
    throw new ConfigError(`invalid configuration: escalation policy ${issue.path.join('.')}: ${issue.message}`);
  }
  return policy.data;
}
