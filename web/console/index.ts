import { ApiError, get, post, setCsrf } from './api.js';
import { ConversationPanel } from './conversation-view.js';
import { h, replace } from './dom.js';
import { renderLogin } from './login.js';
import { renderQueue } from './queue-view.js';
import { LiveSocket } from './socket.js';
import type { Agent, Canned, ConversationView, QueueItem, ServerFrame, Ticket } from './types.js';

/**
 * The agent console: sign in, then the live queue on the left and the open conversation on
 * the right. State lives in the server; the page keeps the last queue and the open view.
 */
const root = document.getElementById('app')!;

async function start(): Promise<void> {
  try {
    const me = await get<{ agent: Agent; csrfToken: string }>('/me');
    setCsrf(me.csrfToken);
    await openDesk(me.agent);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return renderLogin(root, (agent) => void openDesk(agent));
    replace(root, h('p', { class: 'form-error' }, `The console could not start: ${(e as Error).message}`));
  }
}

async function openDesk(me: Agent): Promise<void> {
  const [{ canned }, labels, { agents }] = await Promise.all([
    get<{ canned: Canned[] }>('/canned'),
    get<{ intents: string[]; sentiments: string[] }>('/labels'),
    get<{ agents: Agent[] }>('/agents'),
  ]);
  let queue: QueueItem[] = [];
  let tickets: Ticket[] = [];
  const drawQueue = () => renderQueue(queueList, queue, panel.conversationId, me.name, (id) => void open(id), tickets);
  // Contact requests change rarely: re-read them with the queue, at most every 10 s.
  let ticketsReadAt = 0;
  const refreshTickets = () => {
    if (Date.now() - ticketsReadAt < 10_000) return;
    ticketsReadAt = Date.now();
    get<{ tickets: Ticket[] }>('/tickets').then((r) => {
      tickets = r.tickets;
      drawQueue();
    }, () => undefined);
  };
  const queueList = h('div', { class: 'queue-list' });
  const status = h('span', { class: 'conn', 'data-online': 'false' }, 'connecting…');
  let loading = 0;

  const open = async (conversationId: string) => {
    const ticket = ++loading;
    const view = await get<ConversationView>(`/conversations/${encodeURIComponent(conversationId)}`);
    if (ticket !== loading) return; // a later click won
    socket.watch(conversationId);
    panel.show(view);
    drawQueue();
    history.replaceState(null, '', `#${encodeURIComponent(conversationId)}`);
  };
  const reload = () => panel.conversationId && void open(panel.conversationId);

  const panel = new ConversationPanel({ me, canned, labels, agents: () => agents, typing: (id, on) => socket.typing(id, on), reload });

  const onFrame = (frame: ServerFrame) => {
    switch (frame.type) {
      case 'queue':
        queue = frame.queue;
        drawQueue();
        refreshTickets();
        document.title = `${queue.filter((q) => q.owner === 'queued').length ? `(${queue.filter((q) => q.owner === 'queued').length}) ` : ''}Parley · Agent console`;
        return;
      case 'message':
        if (frame.conversationId === panel.conversationId) panel.upsert(frame.message);
        return;
      case 'typing':
        if (frame.conversationId === panel.conversationId) panel.typing(frame.role, frame.on);
        return;
      case 'transition':
        if (frame.transition.conversationId === panel.conversationId) reload();
        return;
    }
  };
  const socket = new LiveSocket(onFrame, (online) => {
    status.dataset.online = String(online);
    status.textContent = online ? 'live' : 'reconnecting…';
    // A socket that drops may mean the session ended (signed out elsewhere, expired).
    if (!online)
      get('/me').catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          socket.stop();
          renderLogin(root, (agent) => void openDesk(agent), 'Your session ended. Sign in again.');
        }
      });
  });

  const signOut = h('button', { type: 'button', class: 'link', onclick: () => {
    socket.stop();
    post('/logout').finally(() => renderLogin(root, (agent) => void openDesk(agent), 'Signed out.'));
  } }, 'Sign out');
  replace(
    root,
    h('header', { class: 'topbar' }, h('span', { class: 'brand' }, 'Parley'), h('span', { class: 'title' }, 'Agent console'), status, h('span', { class: 'me' }, `${me.name} (${me.role})`), me.role === 'admin' ? h('a', { href: 'review', class: 'link' }, 'Review feedback') : null, signOut),
    h('div', { class: 'layout' }, h('aside', { class: 'queue', 'aria-label': 'Queue' }, queueList), panel.element),
  );
  socket.start();
  const fromHash = decodeURIComponent(location.hash.slice(1));
  if (fromHash) void open(fromHash).catch(() => undefined);
}

void start();
