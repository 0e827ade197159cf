/**
 * Typed store errors. A missing conversation or message is a caller mistake (append before
 * `ensureConversation`, understanding for an unknown message), so it fails loudly with a
 * message that says what to do instead of silently creating half a record.
 */
export class StoreNotFoundError extends Error {
  constructor(readonly what: 'conversation' | 'message', readonly id: string, hint = '') {
    super(`${what} '${id}' does not exist${hint ? `: ${hint}` : ''}`);
    this.name = 'StoreNotFoundError';
  }
}

/** The backend cannot be reached or opened (Redis down, unwritable SQLite file). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
