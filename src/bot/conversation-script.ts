import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../cli/user-error.js';
import { parseYamlSource, type YamlSource } from '../training/yaml-source.js';

/** A conversation script that cannot be read; the message names the file and line. */
export class ConversationScriptError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ConversationScriptError';
  }
}

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** What must be true after one customer step. Every field is optional; absent = not checked. */
export const StepExpectation = z.strictObject({
  /** The understood intent (`fallback` when not understood). */
  intent: z.string().min(1).optional(),
  /** Text(s) the bot's answer (or the escalation notice) must contain, any case. */
  replyContains: oneOrMany.optional(),
  /** Quick-reply titles that must be offered. */
  quickReplies: z.array(z.string().min(1)).optional(),
  /** true: the conversation is with the agents (queued) after this step; false: it is not. */
  escalated: z.boolean().optional(),
  /** Text the escalation reason must contain (with escalated: true). */
  reasonContains: z.string().min(1).optional(),
  /** Whether the bot fell back (did not understand). */
  fallback: z.boolean().optional(),
  /** Whether the bot asked a clarifying question. */
  clarify: z.boolean().optional(),
  /** Whether the bot said nothing (a person owns the conversation). */
  silent: z.boolean().optional(),
});
export type StepExpectation = z.infer<typeof StepExpectation>;

export const ScriptStep = z
  .strictObject({
    /** What the customer types. */
    customer: z.string().min(1).optional(),
    /** Or: the title of a quick reply offered by the previous bot message, which the customer clicks. */
    click: z.string().min(1).optional(),
    expect: StepExpectation.default({}),
  })
  .refine((s) => (s.customer === undefined) !== (s.click === undefined), { message: 'a step needs exactly one of `customer` or `click`' });
export type ScriptStep = z.infer<typeof ScriptStep>;

export const ConversationScript = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Customer attributes the channel would provide, e.g. { vip: 'true' }. */
  attributes: z.record(z.string(), z.string()).default({}),
  steps: z.array(ScriptStep).min(1, 'add at least one step'),
});
export type ConversationScript = z.infer<typeof ConversationScript>;

export interface LoadedScript extends ConversationScript {
  file: string;
  /** 1-based line of each step in the file, for reports. */
  stepLines: number[];
}

/**
 * Reads and validates every `*.yml` / `*.yaml` file in `dir` (one script per file).
 * Throws a ConversationScriptError like `conversations/x.yml line 7: steps[2].expect.escalted: unknown key`.
 *
 * @example const scripts = await loadConversationScripts('conversations');
 */
export async function loadConversationScripts(dir: string): Promise<LoadedScript[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
  } catch {
    throw new ConversationScriptError(`${dir}: conversation scripts folder not found`);
  }
  if (names.length === 0) throw new ConversationScriptError(`${dir}: no .yml conversation scripts`);
  const scripts: LoadedScript[] = [];
  for (const name of names) scripts.push(parseConversationScript(path.join(dir, name), await readFile(path.join(dir, name), 'utf8')));
  return scripts;
}

/** Parses one script file's text; errors name the file and the line. */
export function parseConversationScript(file: string, text: string): LoadedScript {
  let source: YamlSource;
  try {
    source = parseYamlSource(file, text);
  } catch (error) {
    throw new ConversationScriptError((error as Error).message);
  }
  const parsed = ConversationScript.safeParse(source.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = keys.length ? [...where, keys[0]] : where;
    const label = at.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'script';
    const reason = issue.code === 'unrecognized_keys' ? `unknown key; allowed: ${allowedKeys(where)}` : issue.message.replace(/^Invalid input: /, '');
    throw new ConversationScriptError(`${file} line ${source.lineOf(at)}: ${label}: ${reason}`);
  }
  return { ...parsed.data, file, stepLines: parsed.data.steps.map((_, i) => source.lineOf(['steps', i])) };
}

function allowedKeys(where: ReadonlyArray<string | number>): string {
  const last = where[where.length - 1];
  if (last === 'expect') return Object.keys(StepExpectation.shape).join(', ');
  if (typeof last === 'number') return 'customer, click, expect';
  return 'name, description, attributes, steps';
}
