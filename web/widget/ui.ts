import { ChatSession } from './chat.js';
import type { WidgetConfig } from './config.js';
import { chatIcon, el, thumbIcon } from './dom.js';
import { StateStore } from './storage.js';
import { styles } from './styles.js';
import type { ChatItem, ConnectionState, Role } from './types.js';

/** What `ParleyWidget.init` returns. */
export interface WidgetApi {
  open(): void;
  close(): void;
  /** Forget the conversation (e.g. on logout). */
  reset(): void;
  destroy(): void;
}

const TYPING_IDLE_MS = 3000;
const WHO: Partial<Record<Role, string>> = { agent: 'Agent', system: 'Notice' };

/**
 * Mounts the widget: a floating button and a chat panel in a shadow root. The panel is a
 * non-modal dialog (the shop stays usable), the transcript a polite live region, every
 * control a labelled button; Esc closes and gives focus back to the button.
 */
export function mountWidget(config: WidgetConfig): WidgetApi {
  const host = el('div', { 'data-parley-widget': '' });
  (config.container ?? document.body).append(host);
  const root = host.attachShadow({ mode: 'open' });
  root.append(el('style', {}, styles));
  host.style.setProperty('--accent', config.color);

  const badge = el('span', { class: 'badge', hidden: '', 'aria-hidden': 'true' });
  const launcher = el('button', { class: 'launcher', type: 'button', 'aria-label': `Open chat: ${config.title}`, 'aria-expanded': 'false', 'aria-controls': 'parley-panel', 'aria-haspopup': 'dialog' }, chatIcon(), badge);
  const statusText = el('span', {}, 'Connecting…');
  const close = el('button', { class: 'close', type: 'button', 'aria-label': 'Close chat' }, '×');
  const notice = el('div', { class: 'notice', role: 'status', hidden: '' });
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages', tabindex: '0' });
  const typing = el('div', { class: 'typing', role: 'status', 'aria-live': 'polite' });
  const input = el('textarea', { 'aria-label': 'Message', placeholder: 'Write a message…', rows: '1', maxlength: '2000' });
  const send = el('button', { class: 'send', type: 'submit', 'aria-label': 'Send message' }, 'Send');
  const form = el('form', {}, input, send);
  const panel = el(
    'div',
    { class: 'panel', id: 'parley-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'parley-title', hidden: '', 'data-connection': 'connecting' },
    el('header', {}, el('div', { class: 'titles' }, el('h2', { id: 'parley-title' }, config.title), el('div', { class: 'status', role: 'status' }, el('span', { class: 'dot', 'aria-hidden': 'true' }), statusText)), close),
    notice,
    log,
    typing,
    form,
  );
  root.append(launcher, panel);

  const greeting = el('div', { class: 'msg them greeting' }, el('div', { class: 'bubble' }, config.greeting));
  const rendered = new Map<string, HTMLElement>();
  let isOpen = false;
  let unread = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingOn = false;
  const seen = new Set<string>();
  let restoring = true;

  const chat = new ChatSession(new StateStore(`parley:${config.server}`), config.server, config.customer, {
    items: () => render(),
    connection: (state, retryInMs) => showConnection(state, retryInMs),
    typing: (role, on) => {
      typing.textContent = on ? `${role === 'agent' ? 'An agent' : config.title} is typing…` : '';
    },
    owner: (owner, position) => {
      const text =
        owner === 'queued' ? `You are in line for a human agent${position ? ` (position ${position})` : ''}.` :
        owner === 'agent' ? 'You are chatting with an agent.' :
        owner === 'resolved' ? 'This conversation was resolved.' : '';
      notice.textContent = text;
      notice.hidden = !text;
    },
  });

  function showConnection(state: ConnectionState, retryInMs?: number): void {
    panel.setAttribute('data-connection', state);
    statusText.textContent =
      state === 'online' ? 'Online' :
      state === 'connecting' ? 'Connecting…' :
      retryInMs !== undefined ? `Offline, reconnecting in ${Math.max(1, Math.round(retryInMs / 1000))} s` : 'Offline';
  }

  function render(): void {
    const items = chat.items;
    if (!greeting.isConnected) log.prepend(greeting);
    items.forEach((item, index) => {
      let node = rendered.get(item.id);
      if (!node) {
        node = renderItem(item);
        rendered.set(item.id, node);
        log.append(node);
        // What was already there before this page load (restored from storage) is not news.
        if (!seen.has(item.id)) {
          seen.add(item.id);
          if (!isOpen && !restoring && item.role !== 'customer') unread++;
        }
      }
      updateItem(node, item, index === items.length - 1);
    });
    // Items dropped (a conversation reset) leave the log.
    const ids = new Set(items.map((i) => i.id));
    for (const [id, node] of rendered) if (!ids.has(id)) (node.remove(), rendered.delete(id));
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
    log.scrollTop = log.scrollHeight;
  }

  function renderItem(item: ChatItem): HTMLElement {
    const mine = item.role === 'customer';
    const node = el('div', { class: `msg ${mine ? 'me' : 'them'}`, 'data-role': item.role, 'data-id': item.id });
    const who = WHO[item.role];
    if (who) node.append(el('span', { class: 'who' }, who));
    node.append(el('div', { class: 'bubble' }, item.text));
    if (mine) node.append(el('span', { class: 'meta', 'aria-live': 'off' }));
    if (item.role === 'bot') {
      const up = el('button', { type: 'button', class: 'up', 'aria-label': 'Helpful', 'aria-pressed': 'false' }, thumbIcon());
      const down = el('button', { type: 'button', class: 'down', 'aria-label': 'Not helpful', 'aria-pressed': 'false' }, thumbIcon());
      up.addEventListener('click', () => chat.thumbs(item.id, 'up'));
      down.addEventListener('click', () => chat.thumbs(item.id, 'down'));
      node.append(el('div', { class: 'thumbs', role: 'group', 'aria-label': 'Was this answer helpful?' }, up, down));
    }
    return node;
  }

  function updateItem(node: HTMLElement, item: ChatItem, last: boolean): void {
    if (item.status) {
      node.setAttribute('data-status', item.status);
      const meta = node.querySelector('.meta');
      if (meta) meta.textContent = item.status === 'sending' ? 'Sending…' : item.status === 'failed' ? `Not sent${item.error ? `: ${item.error}` : ''}` : 'Sent';
    }
    node.querySelector('.up')?.setAttribute('aria-pressed', String(item.thumbs === 'up'));
    node.querySelector('.down')?.setAttribute('aria-pressed', String(item.thumbs === 'down'));
    // Quick replies make sense only while they are the latest thing said.
    const quick = node.querySelector('.quick');
    if (last && item.quickReplies?.length && !quick) {
      node.append(el('div', { class: 'quick', role: 'group', 'aria-label': 'Suggested replies' }, ...item.quickReplies.map((q) => {
        const b = el('button', { type: 'button' }, q.title);
        b.addEventListener('click', () => {
          chat.say(q.value, 'quickReply', q.title);
          input.focus();
        });
        return b;
      })));
    } else if (!last && quick) {
      quick.remove();
    }
  }

  function setTyping(on: boolean): void {
    if (on !== typingOn) chat.typing((typingOn = on));
  }

  function open(): void {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', `Close chat: ${config.title}`);
    unread = 0;
    render();
    chat.setActive(true);
    chat.connect();
    input.focus();
  }

  function closePanel(): void {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    setTyping(false);
    chat.setActive(false);
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', `Open chat: ${config.title}`);
    launcher.focus();
  }

  launcher.addEventListener('click', () => (isOpen ? closePanel() : open()));
  close.addEventListener('click', closePanel);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      closePanel();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    clearTimeout(typingTimer);
    setTyping(false);
    chat.say(text);
    input.focus();
  });
  input.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter makes a new line.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    setTyping(input.value.length > 0);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => setTyping(false), TYPING_IDLE_MS);
  });

  render();
  restoring = false;
  // A returning customer reconnects at once, so replies that came while away show as unread.
  if (chat.hasConversation) chat.connect();
  if (config.open) open();

  return {
    open,
    close: closePanel,
    reset: () => {
      seen.clear();
      chat.reset();
    },
    destroy: () => {
      clearTimeout(typingTimer);
      chat.destroy();
      host.remove();
    },
  };
}
