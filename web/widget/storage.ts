import type { ChatItem, OutgoingItem } from './types.js';

/** What survives a page reload: enough to resume the conversation and show it at once. */
export interface SavedState {
  conversationId?: string;
  resumeToken?: string;
  /** Highest seq received as a `message` frame: the server replays everything after it. */
  lastSeq: number;
  items: ChatItem[];
  /** Messages written but not yet acknowledged: sent again after the reload. */
  outbox: OutgoingItem[];
}

const MAX_ITEMS = 200;

/**
 * localStorage, keyed by server, tolerant of browsers that refuse it (private mode,
 * storage full, blocked third-party storage): the chat then simply does not survive a reload.
 */
export class StateStore {
  constructor(private readonly key: string) {}

  load(): SavedState {
    try {
      const raw = window.localStorage.getItem(this.key);
      const parsed = raw ? (JSON.parse(raw) as Partial<SavedState>) : {};
      return {
        conversationId: typeof parsed.conversationId === 'string' ? parsed.conversationId : undefined,
        resumeToken: typeof parsed.resumeToken === 'string' ? parsed.resumeToken : undefined,
        lastSeq: typeof parsed.lastSeq === 'number' ? parsed.lastSeq : 0,
        items: Array.isArray(parsed.items) ? parsed.items : [],
        outbox: Array.isArray(parsed.outbox) ? parsed.outbox : [],
      };
    } catch {
      return { lastSeq: 0, items: [], outbox: [] };
    }
  }

  save(state: SavedState): void {
    try {
      // Only the recent transcript is kept; lastSeq still covers the older part.
      window.localStorage.setItem(this.key, JSON.stringify({ ...state, items: state.items.slice(-MAX_ITEMS) }));
    } catch {
      /* storage refused: keep working without persistence */
    }
  }

  clear(): void {
    try {
      window.localStorage.removeItem(this.key);
    } catch {
      /* nothing to clear */
    }
  }
}
