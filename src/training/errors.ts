import { UserError } from '../cli/user-error.js';

/**
 * A problem in the intents folder. The message names the file, the line and what to fix,
 * e.g. `intents/refund.yml line 7: "examples" is empty: add at least one example sentence`.
 * It is a UserError, so the CLI prints it as one line without a stack trace.
 */
export class IntentsError extends UserError {
  constructor(message: string, readonly file: string, readonly line: number) {
    // line 0: the problem is the folder or file as a whole.
    super(line > 0 ? `${file} line ${line}: ${message}` : `${file}: ${message}`);
    this.name = 'IntentsError';
  }
}

/** A bad line in a JSONL data file; `line` is 1-based. */
export class JsonlError extends UserError {
  constructor(readonly file: string, readonly line: number, reason: string) {
    super(`${file}: bad JSONL line ${line}: ${reason}`);
    this.name = 'JsonlError';
  }
}
