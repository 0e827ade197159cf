import { h } from './dom.js';
import { cannedMatches } from './format.js';
import type { Canned } from './types.js';

export interface ComposerOptions {
  canned: readonly Canned[];
  /** Sends a reply (note = false) or an internal note (note = true). */
  send(text: string, note: boolean): Promise<void>;
  /** The agent started or stopped typing (replies only: notes are not shown to the customer). */
  typing(on: boolean): void;
}

/**
 * The reply box: Enter sends, Shift+Enter breaks the line; "/" opens the canned replies
 * (arrows + Enter, or click), Alt+1..9 inserts canned reply 1..9; a switch turns the box
 * into an internal note.
 */
export class Composer {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly noteSwitch: HTMLInputElement;
  private readonly menu: HTMLElement;
  private readonly status: HTMLElement;
  private readonly sendButton: HTMLButtonElement;
  private matches: Canned[] = [];
  private active = 0;
  private typingOn = false;
  private typingTimer: number | undefined;
  private canReply = false;

  constructor(private readonly o: ComposerOptions) {
    this.input = h('textarea', { rows: 3, 'aria-label': 'Message to the customer', placeholder: 'Write a reply…  ( / canned replies · Alt+1..9 )' });
    this.noteSwitch = h('input', { type: 'checkbox', id: 'note-switch' });
    this.menu = h('ul', { class: 'canned-menu', role: 'listbox', 'aria-label': 'Canned replies', hidden: true });
    this.status = h('span', { class: 'composer-status', role: 'status' });
    this.sendButton = h('button', { type: 'submit', class: 'primary' }, 'Send');
    const form = h(
      'form',
      { class: 'composer', 'aria-label': 'Reply' },
      this.menu,
      this.input,
      h(
        'div',
        { class: 'composer-bar' },
        h('label', { class: 'switch', for: 'note-switch' }, this.noteSwitch, ' Internal note (customer does not see it)'),
        h('span', { class: 'hint' }, 'Enter: send · Shift+Enter: new line'),
        this.status,
        this.sendButton,
      ),
      h('div', { class: 'canned-bar', 'aria-label': 'Canned replies (Alt+number)' }, ...o.canned.slice(0, 9).map((c, i) => h('button', { type: 'button', class: 'canned', title: c.text, onclick: () => this.insert(c) }, h('kbd', {}, `Alt+${i + 1}`), ` ${c.title}`))),
    );
    this.element = form;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => this.onInput());
    this.noteSwitch.addEventListener('change', () => this.refresh());
    this.refresh();
  }

  /** Replies need the chat to be yours; notes are always possible. */
  setCanReply(can: boolean): void {
    this.canReply = can;
    this.refresh();
  }

  focus(): void {
    this.input.focus();
  }

  private refresh(): void {
    const note = this.noteSwitch.checked;
    this.element.classList.toggle('as-note', note);
    this.sendButton.textContent = note ? 'Add note' : 'Send';
    const blocked = !note && !this.canReply;
    this.sendButton.disabled = blocked;
    this.input.placeholder = blocked ? 'Claim this chat to reply (or switch to an internal note)' : note ? 'Internal note for agents…' : 'Write a reply…  ( / canned replies · Alt+1..9 )';
  }

  private insert(c: Canned): void {
    this.input.value = c.text;
    this.closeMenu();
    this.input.focus();
    this.onInput();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey && /^[1-9]$/.test(e.key)) {
      const c = this.o.canned[Number(e.key) - 1];
      if (c) {
        e.preventDefault();
        this.insert(c);
      }
      return;
    }
    if (!this.menu.hidden) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.active = (this.active + (e.key === 'ArrowDown' ? 1 : this.matches.length - 1)) % Math.max(1, this.matches.length);
        this.renderMenu();
        return;
      }
      if (e.key === 'Enter' && this.matches[this.active]) {
        e.preventDefault();
        this.insert(this.matches[this.active]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        this.closeMenu();
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void this.submit();
    }
  }

  private onInput(): void {
    const found = cannedMatches(this.input.value, this.o.canned);
    if (found && found.length) {
      this.matches = found;
      this.active = Math.min(this.active, found.length - 1);
      this.renderMenu();
    } else this.closeMenu();
    if (this.noteSwitch.checked || !this.canReply) return;
    const hasText = this.input.value.trim() !== '';
    if (hasText !== this.typingOn) {
      this.typingOn = hasText;
      this.o.typing(hasText);
    }
    // Stop showing "typing" when the agent pauses for a while.
    clearTimeout(this.typingTimer);
    if (hasText) this.typingTimer = window.setTimeout(() => this.stopTyping(), 5000);
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (this.typingOn) {
      this.typingOn = false;
      this.o.typing(false);
    }
  }

  private renderMenu(): void {
    this.menu.hidden = false;
    this.menu.replaceChildren(
      ...this.matches.map((c, i) =>
        h('li', { role: 'option', 'aria-selected': i === this.active ? 'true' : 'false', class: i === this.active ? 'active' : undefined, onmousedown: (e: Event) => { e.preventDefault(); this.insert(c); } }, h('b', {}, c.title), ` ${c.text}`),
      ),
    );
  }

  private closeMenu(): void {
    this.menu.hidden = true;
    this.matches = [];
    this.active = 0;
  }

  private async submit(): Promise<void> {
    const text = this.input.value.trim();
    const note = this.noteSwitch.checked;
    if (!text || (!note && !this.canReply)) return;
    this.sendButton.disabled = true;
    this.status.textContent = '';
    try {
      await this.o.send(text, note);
      this.input.value = '';
      this.stopTyping();
      if (note) {
        this.noteSwitch.checked = false;
        this.refresh();
      }
    } catch (e) {
      this.status.textContent = e instanceof Error ? e.message : 'not sent';
    } finally {
      this.refresh();
      this.input.focus();
    }
  }
}
