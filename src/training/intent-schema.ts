import { z } from 'zod';

/** The label used for out-of-scope examples (the reserved file intents/oos.yml). */
export const OOS_LABEL = 'oos';

export const QuickReply = z.object({
  title: z.string().min(1),
  /** What the customer "says" when they click it. */
  value: z.string().min(1),
}).strict();
export type QuickReply = z.infer<typeof QuickReply>;

/** A reply; a plain string is short for `{ text }`. */
export const IntentResponse = z.union([
  z.string().min(1).transform((text) => ({ text })),
  z.object({ text: z.string().min(1), quickReplies: z.array(QuickReply).optional() }).strict(),
]);
export type IntentResponse = { text: string; quickReplies?: QuickReply[] };

const name = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case, e.g. order_status');
const texts = z.array(z.string().trim().min(1, 'must not be empty'));

/** One intents/<name>.yml file. */
export const IntentFile = z.object({
  name,
  description: z.string().optional(),
  examples: texts.min(1, 'is empty: add at least one example sentence'),
  tests: texts.default([]),
  responses: z.array(IntentResponse).min(1, 'is empty: add at least one reply'),
}).strict();

/** The reserved intents/oos.yml: examples the bot must not answer, no responses. */
export const OosFile = z.object({
  name: z.literal(OOS_LABEL),
  description: z.string().optional(),
  examples: texts.min(1, 'is empty: add at least one out-of-scope sentence'),
  tests: texts.default([]),
}).strict();

/** Hints appended to schema errors, per top-level key: they say what to write. */
export const FIX_HINTS: Record<string, string> = {
  name: 'write `name: <intent_name>` matching the file name',
  description: 'write one line of text',
  examples: 'write a list of sentences, one per `- ` line',
  tests: 'write a list of held-out sentences, one per `- ` line',
  responses: 'write a list of replies: `- text: ...` (optionally `quickReplies: [{title, value}]`)',
};
