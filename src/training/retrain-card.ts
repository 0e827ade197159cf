import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DatasetCounts, FeedbackExample } from './dataset-builder.js';

/** The feedback a version was trained and gated on, kept in its folder as feedback.json. */
export const FEEDBACK_FILE = 'feedback.json';

const FeedbackFile = z.object({
  counts: z.record(z.string(), z.number()),
  train: z.array(z.object({ id: z.string(), text: z.string(), label: z.string() })),
  heldOut: z.array(z.object({ id: z.string(), text: z.string(), label: z.string() })),
});
export type FeedbackFile = z.infer<typeof FeedbackFile>;

/** Reads a version's feedback.json; versions trained without feedback have none (empty lists). */
export async function readFeedbackFile(modelDir: string): Promise<FeedbackFile> {
  try {
    return FeedbackFile.parse(JSON.parse(await readFile(path.join(modelDir, FEEDBACK_FILE), 'utf8')));
  } catch {
    return { counts: {}, train: [], heldOut: [] };
  }
}

/**
 * Records the feedback in a model folder: feedback.json (ids, redacted texts, labels) and a
 * "Feedback included" section appended to MODEL_CARD.md, so a reader of the card sees which
 * reviewed messages taught this version.
 */
export async function writeFeedbackRecord(modelDir: string, counts: DatasetCounts, train: readonly FeedbackExample[], heldOut: readonly FeedbackExample[], { maxListed = 200 }: { maxListed?: number } = {}): Promise<void> {
  const pick = (list: readonly FeedbackExample[]) => list.map(({ id, text, label }) => ({ id, text, label }));
  const record: FeedbackFile = { counts: { ...counts }, train: pick(train), heldOut: pick(heldOut) };
  await writeFile(path.join(modelDir, FEEDBACK_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const line = (e: FeedbackExample) => `| ${e.id} | ${e.label} | ${e.text.replaceAll('|', '\\|').replace(/\s+/g, ' ').slice(0, 120)} |`;
  const lines = [
    '',
    '## Feedback included',
    `- Sources: ${counts.base} examples from the training data files (intents/), ${counts.feedback} reviewed feedback examples trained on, ${counts.feedbackHeldOut} held out for the gate (never trained on).`,
    `- Cleaning: ${counts.duplicates} duplicates dropped, ${counts.conflicts} conflicting labels resolved by the latest review, ${counts.relabelledBase} intents examples relabelled by a review, ${counts.unknownLabel} with an unknown label and ${counts.overlapsTests} equal to a held-out test left out.`,
    '- Texts were redacted (emails, phone numbers, cards, IBANs, addresses, IPs) before they were stored. Full list: feedback.json.',
  ];
  if (train.length) {
    lines.push('', `| feedback id | label | text |`, '|---|---|---|', ...train.slice(0, maxListed).map(line));
    if (train.length > maxListed) lines.push('', `(${train.length - maxListed} more in feedback.json)`);
  }
  await appendFile(path.join(modelDir, 'MODEL_CARD.md'), `${lines.join('\n')}\n`);
}
