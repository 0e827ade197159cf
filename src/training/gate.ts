/**
 * The promotion gate: a candidate replaces the serving model only if it is not worse on the
 * same frozen held-out data and breaks no conversation script that passed. Pure policy.
 */

/** Default largest macro-F1 drop tolerated (absolute, 0.005 = half a point). */
export const DEFAULT_GATE_MARGIN = 0.005;

/** Headline scores of one model on the held-out data. */
export interface GateScores {
  version: string;
  n: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error of the top label's confidence. */
  ece: number;
  perLabelF1: Record<string, number>;
  inScopeAccuracy?: number;
  oosRecall?: number;
}

/** One conversation script's outcome with one model. */
export interface ScriptOutcome {
  name: string;
  passed: boolean;
  /** Why it failed, shown in the report. */
  failure?: string;
}

export interface GateInput {
  candidate: GateScores;
  /** Absent when nothing serves yet: the first model is promoted if it has scores at all. */
  serving?: GateScores;
  conversations?: { serving: ScriptOutcome[]; candidate: ScriptOutcome[] };
  margin?: number;
}

export interface GateDecision {
  promote: boolean;
  /** One line per check, e.g. "macro-F1 0.912 vs 0.905 (+0.007), within margin 0.005". */
  reasons: string[];
  macroF1Delta: number;
  /** Scripts that passed with the serving model and fail with the candidate. */
  newlyFailing: string[];
  /** Scripts that failed with the serving model and pass with the candidate. */
  newlyPassing: string[];
}

/**
 * Decides whether a candidate may replace the serving model.
 *
 * @example
 * decideGate({ serving: { macroF1: 0.90, ... }, candidate: { macroF1: 0.897, ... } })
 * // { promote: true, macroF1Delta: -0.003, reasons: ['macro-F1 0.8970 vs 0.9000 (-0.0030): within margin 0.005', ...] }
 */
export function decideGate({ candidate, serving, conversations, margin = DEFAULT_GATE_MARGIN }: GateInput): GateDecision {
  const reasons: string[] = [];
  let promote = true;
  if (candidate.n === 0) {
    return { promote: false, reasons: ['no held-out data to compare on: add `tests` to intents/ or accept more feedback'], macroF1Delta: 0, newlyFailing: [], newlyPassing: [] };
  }
  const delta = serving ? candidate.macroF1 - serving.macroF1 : 0;
  if (!serving) reasons.push(`no serving model: candidate macro-F1 ${candidate.macroF1.toFixed(4)} on ${candidate.n} held-out examples`);
  else {
    const line = `macro-F1 ${candidate.macroF1.toFixed(4)} vs ${serving.macroF1.toFixed(4)} (${delta >= 0 ? '+' : ''}${delta.toFixed(4)})`;
    // A tiny epsilon so a drop of exactly the margin, computed in floating point, passes.
    if (delta < -margin - 1e-12) {
      promote = false;
      reasons.push(`${line}: drops more than the margin ${margin}`);
    } else reasons.push(`${line}: within margin ${margin}`);
  }
  const before = new Map((conversations?.serving ?? []).map((s) => [s.name, s.passed]));
  const newlyFailing: string[] = [];
  const newlyPassing: string[] = [];
  for (const s of conversations?.candidate ?? []) {
    if (!s.passed && before.get(s.name) === true) newlyFailing.push(s.name);
    if (s.passed && before.get(s.name) === false) newlyPassing.push(s.name);
  }
  if (conversations) {
    const total = conversations.candidate.length;
    const passed = conversations.candidate.filter((s) => s.passed).length;
    if (newlyFailing.length > 0) {
      promote = false;
      reasons.push(`conversation scripts that passed now fail: ${newlyFailing.join(', ')}`);
    } else reasons.push(`conversation scripts: ${passed}/${total} pass, none newly failing${newlyPassing.length ? `, ${newlyPassing.length} newly passing` : ''}`);
  }
  return { promote, reasons, macroF1Delta: delta, newlyFailing, newlyPassing };
}

/**
 * Per-label F1 changes between two score sets (labels of either), largest change first.
 *
 * @example f1Changes(a, b) // [{ label: 'refund', before: 0.8, after: 0.9, delta: 0.1 }, ...]
 */
export function f1Changes(before: Record<string, number>, after: Record<string, number>): Array<{ label: string; before?: number; after?: number; delta: number }> {
  const labels = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return labels
    .map((label) => ({ label, before: before[label], after: after[label], delta: (after[label] ?? 0) - (before[label] ?? 0) }))
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.label.localeCompare(b.label));
}
