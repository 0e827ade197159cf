import { evaluateAsync, type Evaluation } from '../nlu/index.js';
import type { LabelledText, TextClassifier } from '../nlu/types.js';
import { decideGate, DEFAULT_GATE_MARGIN, f1Changes, type GateDecision, type GateScores, type ScriptOutcome } from './gate.js';

/** Runs the conversation scripts with the model in a given folder; one outcome per script. */
export type ConversationRunner = (modelDir: string) => Promise<ScriptOutcome[]>;

/** Everything the gate saw and decided: stored as gate-report.json in the candidate's folder. */
export interface GateReport {
  task: string;
  candidate: GateScores;
  serving?: GateScores;
  heldOut: { n: number; fromTests: number; fromFeedback: number };
  conversations?: { serving: ScriptOutcome[]; candidate: ScriptOutcome[] };
  margin: number;
  decision: GateDecision;
  perLabel: ReturnType<typeof f1Changes>;
  evaluatedAt: string;
}

/** Headline scores of an evaluation, as the gate and the registry diff compare them. */
export function gateScores(version: string, e: Evaluation): GateScores {
  return {
    version, n: e.n, accuracy: e.accuracy, macroF1: e.macroF1, ece: e.ece,
    perLabelF1: Object.fromEntries(Object.entries(e.perLabel).map(([l, s]) => [l, s.f1])),
    ...(e.inScopeAccuracy !== undefined ? { inScopeAccuracy: e.inScopeAccuracy, oosRecall: e.oosRecall } : {}),
  };
}

export interface EvaluateGateOptions {
  candidate: TextClassifier;
  serving?: TextClassifier;
  /** Model folders, for the conversation runner. */
  candidateDir?: string;
  servingDir?: string;
  /** Frozen held-out data: intents/ tests first, then held-out feedback. */
  tests: LabelledText[];
  feedbackHeldOut?: LabelledText[];
  runConversations?: ConversationRunner;
  margin?: number;
}

/**
 * Scores the candidate and the serving model on the same held-out data (and conversation
 * scripts, when a runner is given) and applies the gate.
 *
 * @example
 * const report = await evaluateGate({ candidate, serving, tests: ds.test });
 * report.decision.promote // true
 */
export async function evaluateGate({ candidate, serving, candidateDir, servingDir, tests, feedbackHeldOut = [], runConversations, margin = DEFAULT_GATE_MARGIN }: EvaluateGateOptions): Promise<GateReport> {
  const heldOut = [...tests, ...feedbackHeldOut];
  const cand = gateScores(candidate.manifest.version, await evaluateAsync(candidate, heldOut));
  const serv = serving ? gateScores(serving.manifest.version, await evaluateAsync(serving, heldOut)) : undefined;
  let conversations: GateReport['conversations'];
  if (runConversations && candidateDir) {
    conversations = {
      serving: servingDir ? await runConversations(servingDir) : [],
      candidate: await runConversations(candidateDir),
    };
  }
  const decision = decideGate({ candidate: cand, serving: serv, conversations, margin });
  return {
    task: candidate.manifest.task,
    candidate: cand,
    ...(serv ? { serving: serv } : {}),
    heldOut: { n: heldOut.length, fromTests: tests.length, fromFeedback: feedbackHeldOut.length },
    ...(conversations ? { conversations } : {}),
    margin,
    decision,
    perLabel: f1Changes(serv?.perLabelF1 ?? {}, cand.perLabelF1),
    evaluatedAt: new Date().toISOString(),
  };
}
