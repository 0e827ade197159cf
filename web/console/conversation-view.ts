import { get, post } from './api.js';
import { Composer } from './composer.js';
import { h, replace } from './dom.js';
import { clock, fixed2 } from './format.js';
import { messageRow, type MessageActions } from './messages-view.js';
import type { Agent, Canned, ConversationView, Message } from './types.js';

export interface ConversationDeps {
  me: Agent;
  canned: readonly Canned[];
  labels: { intents: string[]; sentiments: string[] };
  agents: () => Agent[];
  typing(conversationId: string, on: boolean): void;
  /** Something changed that the page should re-read (after an action). */
  reload(): void;
}

const OWNER_TEXT = (v: ConversationView['conversation'], me: string): string =>
  v.owner === 'queued' ? 'Waiting in the queue' : v.owner === 'agent' ? (v.agent === me ? 'You handle this chat' : `Handled by ${v.agent}`) : v.owner === 'bot' ? 'The bot handles this chat' : 'Resolved';

/**
 * One conversation: who owns it and why it was escalated, a summary, the whole history with
 * annotations, the actions (claim, release, transfer, resolve) and the composer.
 */
export class ConversationPanel {
  readonly element = h('section', { class: 'conversation', 'aria-label': 'Conversation' });
  private view: ConversationView | undefined;
  private readonly log = h('div', { class: 'messages', role: 'log', 'aria-label': 'Messages', 'aria-live': 'polite' });
  private readonly header = h('header', { class: 'conv-header' });
  private readonly typingLine = h('p', { class: 'typing', 'aria-live': 'polite' });
  private readonly composer: Composer;
  private readonly actions: MessageActions;

  constructor(private readonly d: ConversationDeps) {
    this.composer = new Composer({
      canned: d.canned,
      send: async (text, note) => {
        const id = this.view!.conversation.id;
        await post(`/conversations/${encodeURIComponent(id)}/${note ? 'note' : 'reply'}`, { text });
      },
      typing: (on) => this.view && d.typing(this.view.conversation.id, on),
    });
    this.actions = {
      labels: d.labels,
      relabel: async (m, change) => void (await post(`/conversations/${encodeURIComponent(this.view!.conversation.id)}/messages/${encodeURIComponent(m.id)}/relabel`, change)),
      wrongAnswer: async (m) => void (await post(`/conversations/${encodeURIComponent(this.view!.conversation.id)}/messages/${encodeURIComponent(m.id)}/wrong-answer`, {})),
    };
    replace(this.element, h('p', { class: 'empty big' }, 'Pick a chat from the queue.'));
  }

  get conversationId(): string | undefined {
    return this.view?.conversation.id;
  }

  show(view: ConversationView): void {
    const same = this.view?.conversation.id === view.conversation.id;
    this.view = view;
    this.renderHeader();
    this.log.replaceChildren(...view.messages.map((m) => messageRow(m, this.actions)));
    if (!same) {
      this.typingLine.textContent = '';
      replace(this.element, this.header, this.log, this.typingLine, this.composer.element);
      this.composer.focus();
    }
    this.composer.setCanReply(view.conversation.owner === 'agent' && view.conversation.agent === this.d.me.name);
    this.scrollDown();
  }

  /** A live message: appended, or replaced when it comes again with its understanding. */
  upsert(m: Message): void {
    if (!this.view) return;
    const existing = this.log.querySelector(`[data-id="${CSS.escape(m.id)}"]`);
    const row = messageRow(m, this.actions);
    const i = this.view.messages.findIndex((x) => x.id === m.id);
    if (i >= 0) this.view.messages[i] = m;
    else this.view.messages.push(m);
    const nearBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    if (existing) existing.replaceWith(row);
    else this.log.append(row);
    // Follow the conversation unless the agent scrolled up to read something.
    if (nearBottom || m.role === 'agent') this.scrollDown();
    if (m.role === 'customer') this.typingLine.textContent = '';
    // A customer turn moves the frustration (level, trend, reasons) and the summary: re-read them.
    if (m.role === 'customer' && m.understanding) void this.refreshHeader();
  }

  private async refreshHeader(): Promise<void> {
    const id = this.view?.conversation.id;
    if (!id) return;
    const fresh = await get<ConversationView>(`/conversations/${encodeURIComponent(id)}`).catch(() => undefined);
    if (!fresh || this.view?.conversation.id !== id) return;
    Object.assign(this.view, { conversation: fresh.conversation, summary: fresh.summary, transitions: fresh.transitions });
    this.renderHeader();
  }

  typing(role: string, on: boolean): void {
    if (role !== 'customer') return;
    this.typingLine.textContent = on ? 'Customer is typing…' : '';
  }

  private scrollDown(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  private renderHeader(): void {
    const v = this.view!.conversation;
    const me = this.d.me.name;
    const id = encodeURIComponent(v.id);
    const act = (path: string, body: unknown = {}) => () => {
      post(`/conversations/${id}/${path}`, body).then(
        () => this.d.reload(),
        (e: Error) => {
          this.flash(e.message);
          this.d.reload();
        },
      );
    };
    const mine = v.owner === 'agent' && v.agent === me;
    const buttons: HTMLElement[] = [];
    if (v.owner === 'queued' || v.owner === 'bot') buttons.push(h('button', { type: 'button', class: 'primary', onclick: act('claim') }, v.owner === 'bot' ? 'Take over from the bot' : 'Claim'));
    if (mine) {
      buttons.push(h('button', { type: 'button', onclick: act('release') }, 'Release to queue'));
      const others = this.d.agents().filter((a) => a.name !== me);
      if (others.length) {
        const select = h('select', { 'aria-label': 'Transfer to' }, ...others.map((a) => h('option', { value: a.name }, a.name)));
        buttons.push(h('span', { class: 'group' }, select, h('button', { type: 'button', onclick: () => act('transfer', { to: select.value })() }, 'Transfer')));
      }
      buttons.push(
        h('span', { class: 'group resolve', role: 'group', 'aria-label': 'Resolve: was the escalation needed?' },
          h('span', { class: 'label' }, 'Resolve · escalation was'),
          h('button', { type: 'button', class: 'good', onclick: act('resolve', { needed: true }) }, 'needed'),
          h('button', { type: 'button', onclick: act('resolve', { needed: false }) }, 'not needed'),
        ),
      );
    }
    const escalation = this.view!.transitions.filter((t) => t.to === 'queued').at(-1);
    replace(
      this.header,
      h('div', { class: 'conv-title' },
        h('h2', {}, `Customer ${v.customerId.replace(/^web:/, '').slice(0, 12)}`),
        h('span', { class: `owner owner-${v.owner}`, 'data-owner': v.owner }, OWNER_TEXT(v, me)),
        v.attributes.vip === 'true' ? h('span', { class: 'badge vip' }, 'VIP') : null,
        h('span', { class: 'meta' }, `${v.channel} · priority ${v.priority.toFixed(0)}${v.frustration !== undefined ? ` · frustration ${fixed2(v.frustration)}${v.frustrationTrend ? ` ${v.frustrationTrend}` : ''}` : ''}`),
      ),
      v.frustrationReasons?.length ? h('p', { class: 'frustration-why', 'data-annotation': 'frustration-reasons' }, h('b', {}, 'Frustration: '), v.frustrationReasons.join('; ')) : null,
      v.escalationReason ? h('p', { class: 'reason', 'data-annotation': 'escalation-reason' }, h('b', {}, 'Escalated: '), v.escalationReason, escalation ? ` (${clock(escalation.ts)})` : '') : null,
      h('p', { class: 'summary', 'data-annotation': 'summary' }, h('b', {}, 'Summary: '), this.view!.summary),
      h('div', { class: 'actions' }, ...buttons),
      h('p', { class: 'flash', role: 'alert' }),
    );
  }

  private flash(text: string): void {
    const el = this.header.querySelector('.flash');
    if (el) el.textContent = text;
  }
}
