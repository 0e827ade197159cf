/**
 * An error caused by the user's input (a missing file, a bad line): the CLI prints its
 * message as one line, without a stack trace, and exits with `exitCode`.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
