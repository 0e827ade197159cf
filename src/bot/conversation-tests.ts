import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../store/index.js';
import type { EscalationPolicy } from '../escalation/index.js';
import type { StoredMessage } from '../store/types.js';
import { createEngine } from './create.js';
import type { ConversationEngine, TurnOutcome } from './engine.js';
import { loadConversationScripts, type LoadedScript, type StepExpectation } from './conversation-script.js';
import { ModelsHolder } from './models.js';

/** What one step produced, for the report. */
export interface StepGot {
  intent: string;
  confidence: number;
  sentiment: string;
  frustration: number;
  action: TurnOutcome['action'];
  owner: string;
  replies: string[];
  quickReplies: string[];
  reason?: string;
}

export interface StepResult {
  customer: string;
  line: number;
  ok: boolean;
  problems: string[];
  got: StepGot;
}

export interface ScriptResult {
  name: string;
  file: string;
  passed: boolean;
  steps: StepResult[];
  /** 1-based customer step at which the conversation was escalated, if it was. */
  escalatedAtStep?: number;
}

export interface ConversationRunResult {
  passed: number;
  failed: number;
  scripts: ScriptResult[];
}

export interface RunOptions {
  modelsDir?: string;
  intentsDir?: string;
  policy?: EscalationPolicy;
  /** Set by `parley test --conversations`: print each step (false) or one JSON line (true). Absent: print nothing. */
  json?: boolean;
  /** Where printing goes (default stdout). */
  write?: (line: string) => void;
}

/**
 * Replays conversation scripts through the real engine: the current models from
 * `modelsDir`, the responses from `intentsDir`, a throwaway SQLite store. Each script is
 * its own conversation. Never throws for a failing expectation: it is reported per step.
 *
 * @example
 * const r = await runConversationScripts('conversations');
 * r.failed // 0
 */
export async function runConversationScripts(dir: string, options: RunOptions & { model?: string } = {}): Promise<ConversationRunResult> {
  const scripts = await loadConversationScripts(dir);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-conv-'));
  const store = await openStore({ kind: 'sqlite', file: path.join(tmp, 'store.db') });
  try {
    const models = await ModelsHolder.open(options.modelsDir ?? 'models');
    const engine = await createEngine({ store, models, modelsDir: options.modelsDir ?? 'models', intentsDir: options.intentsDir ?? 'intents', ...(options.policy ? { policy: options.policy } : {}) });
    const results: ScriptResult[] = [];
    for (const [i, script] of scripts.entries()) results.push(await runScript(engine, script, `script-${i}`));
    await engine.close();
    const result = { passed: results.filter((r) => r.passed).length, failed: results.filter((r) => !r.passed).length, scripts: results };
    if (options.json !== undefined) print(result, options.json, options.write ?? ((l) => process.stdout.write(`${l}\n`)));
    return result;
  } finally {
    await store.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

async function runScript(engine: ConversationEngine, script: LoadedScript, conversationId: string): Promise<ScriptResult> {
  const customerId = `${conversationId}-customer`;
  if (Object.keys(script.attributes).length) await engine.setAttributes({ id: conversationId, channel: 'test', customerId }, script.attributes);
  const steps: StepResult[] = [];
  let lastBot: StoredMessage | undefined;
  let escalatedAtStep: number | undefined;
  for (const [i, step] of script.steps.entries()) {
    const problems: string[] = [];
    let text = step.customer;
    if (step.click !== undefined) {
      const offered = lastBot?.quickReplies ?? [];
      text = offered.find((q) => q.title.toLowerCase() === step.click!.toLowerCase())?.value;
      if (text === undefined) {
        steps.push({ customer: `[click] ${step.click}`, line: script.stepLines[i], ok: false, problems: [`no quick reply titled "${step.click}" was offered (offered: ${offered.map((q) => q.title).join(', ') || 'none'})`], got: emptyGot() });
        continue;
      }
    }
    const id = `${conversationId}-${i}`;
    const done = engine.turnOf(id);
    await engine.accept({ id, conversationId, channel: 'test', role: 'customer', from: customerId, text: text!, ts: Date.now() });
    const outcome = await done;
    const conversation = await engine.conversation(conversationId);
    const owner = conversation?.owner ?? 'bot';
    if (outcome.action === 'escalate' && escalatedAtStep === undefined) escalatedAtStep = i + 1;
    const replies = outcome.posted;
    const bot = replies.filter((m) => m.role === 'bot').pop();
    if (bot) lastBot = bot;
    const got: StepGot = {
      intent: outcome.understanding.stored.intent,
      confidence: outcome.understanding.stored.intentConfidence,
      sentiment: outcome.understanding.stored.sentiment,
      frustration: outcome.understanding.stored.frustration ?? 0,
      action: outcome.action,
      owner,
      replies: replies.map((m) => m.text),
      quickReplies: replies.flatMap((m) => m.quickReplies?.map((q) => q.title) ?? []),
      ...(outcome.decision.reason && outcome.action === 'escalate' ? { reason: outcome.decision.reason } : {}),
    };
    check(step.expect, got, outcome, problems);
    steps.push({ customer: step.click !== undefined ? `[click] ${step.click}` : text!, line: script.stepLines[i], ok: problems.length === 0, problems, got });
  }
  return { name: script.name, file: script.file, passed: steps.every((s) => s.ok), steps, ...(escalatedAtStep !== undefined ? { escalatedAtStep } : {}) };
}

function check(expect: StepExpectation, got: StepGot, outcome: TurnOutcome, problems: string[]): void {
  if (expect.intent !== undefined && got.intent !== expect.intent) problems.push(`intent: expected ${expect.intent}, got ${got.intent} (${got.confidence.toFixed(2)})`);
  if (expect.replyContains !== undefined) {
    const all = got.replies.join('\n').toLowerCase();
    for (const want of ([] as string[]).concat(expect.replyContains)) {
      if (!all.includes(want.toLowerCase())) problems.push(`reply should contain "${want}", got ${got.replies.length ? got.replies.map((r) => JSON.stringify(r)).join(' / ') : 'no reply'}`);
    }
  }
  if (expect.quickReplies !== undefined) {
    for (const title of expect.quickReplies) {
      if (!got.quickReplies.some((q) => q.toLowerCase() === title.toLowerCase())) problems.push(`quick reply "${title}" not offered (offered: ${got.quickReplies.join(', ') || 'none'})`);
    }
  }
  if (expect.escalated !== undefined) {
    const escalated = got.owner === 'queued' || got.owner === 'agent';
    if (escalated !== expect.escalated) problems.push(expect.escalated ? `should be escalated, but the bot kept it (frustration ${got.frustration.toFixed(2)}, sentiment ${got.sentiment})` : `should not be escalated, but was (${outcome.decision.reason ?? got.owner})`);
  }
  if (expect.reasonContains !== undefined && !(got.reason ?? '').toLowerCase().includes(expect.reasonContains.toLowerCase())) {
    problems.push(`escalation reason should contain "${expect.reasonContains}", got ${got.reason ? JSON.stringify(got.reason) : 'no escalation on this step'}`);
  }
  if (expect.fallback !== undefined && outcome.understanding.stored.fallback !== expect.fallback) problems.push(`fallback: expected ${expect.fallback}, got ${outcome.understanding.stored.fallback} (${got.intent})`);
  if (expect.clarify !== undefined && (outcome.reply?.kind === 'clarify') !== expect.clarify) problems.push(`clarify: expected ${expect.clarify}, got ${outcome.reply?.kind ?? got.action}`);
  if (expect.silent !== undefined && (got.replies.length === 0) !== expect.silent) problems.push(expect.silent ? `the bot should stay silent, but said ${JSON.stringify(got.replies[0])}` : 'the bot should answer, but stayed silent');
}

function emptyGot(): StepGot {
  return { intent: '', confidence: 0, sentiment: '', frustration: 0, action: 'silent', owner: '', replies: [], quickReplies: [] };
}

function print(result: ConversationRunResult, json: boolean, write: (line: string) => void): void {
  if (json) {
    write(JSON.stringify({ passed: result.passed, failed: result.failed, failures: result.scripts.filter((s) => !s.passed).map((s) => ({ name: s.name, file: s.file, problems: s.steps.flatMap((st) => st.problems.map((p) => `line ${st.line}: ${p}`)) })) }));
    return;
  }
  for (const s of result.scripts) {
    write(`${s.passed ? 'PASS' : 'FAIL'} ${s.name} (${s.file})`);
    for (const st of s.steps) {
      const g = st.got;
      write(`  ${st.ok ? 'ok ' : 'XX '} customer: ${st.customer}`);
      write(`       ${g.intent} ${g.confidence.toFixed(2)}, ${g.sentiment}, frustration ${g.frustration.toFixed(2)} -> ${g.action}${g.reason ? ` (${g.reason})` : ''}`);
      for (const r of g.replies) write(`       bot: ${r}`);
      for (const p of st.problems) write(`       ! line ${st.line}: ${p}`);
    }
  }
  write(`${result.passed} passed, ${result.failed} failed, ${result.scripts.length} scripts`);
}
