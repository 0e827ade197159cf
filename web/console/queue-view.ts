import { h, replace } from './dom.js';
import { duration } from './format.js';
import type { QueueItem, Ticket } from './types.js';

/**
 * The queue column: waiting chats by priority (the server's order), then chats agents
 * handle. Each row is a button that opens the conversation.
 */
export function renderQueue(list: Element, queue: readonly QueueItem[], selected: string | undefined, me: string, open: (id: string) => void, tickets: readonly Ticket[] = []): void {
  const waiting = queue.filter((q) => q.owner === 'queued');
  const mine = queue.filter((q) => q.owner === 'agent' && q.agent === me);
  const others = queue.filter((q) => q.owner === 'agent' && q.agent !== me);
  const row = (q: QueueItem) =>
    h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: `queue-item${q.conversationId === selected ? ' selected' : ''}`,
          'data-conversation-id': q.conversationId,
          'data-owner': q.owner,
          'aria-current': q.conversationId === selected ? 'true' : undefined,
          onclick: () => open(q.conversationId),
        },
        h(
          'span',
          { class: 'qi-top' },
          q.position ? h('span', { class: 'qi-pos', title: 'Place in the queue' }, `#${q.position}`) : null,
          h('span', { class: 'qi-customer' }, q.customerId.replace(/^web:/, '').slice(0, 12)),
          q.attributes.vip === 'true' ? h('span', { class: 'badge vip' }, 'VIP') : null,
          h('span', { class: 'qi-priority', title: 'Priority (frustration, rules, waiting time)' }, q.priority.toFixed(0)),
        ),
        h('span', { class: 'qi-reason' }, q.reason ?? 'no reason recorded'),
        h(
          'span',
          { class: 'qi-meta' },
          q.owner === 'queued' ? `waiting ${duration(q.waitingMs)}` : `with ${q.agent}`,
          q.frustration !== undefined ? h('span', { class: 'frustration', title: `Frustration ${q.frustration.toFixed(2)}` }, h('span', { style: `width:${Math.round(q.frustration * 100)}%` })) : null,
        ),
      ),
    );
  const section = (title: string, items: QueueItem[], empty: string) =>
    h('section', { class: 'queue-section', 'aria-label': title }, h('h2', {}, title, h('span', { class: 'count' }, String(items.length))), items.length ? h('ol', {}, ...items.map(row)) : h('p', { class: 'empty' }, empty));
  const open_ = tickets.filter((t) => t.status === 'open');
  const ticketList = open_.length
    ? h(
        'section',
        { class: 'queue-section', 'aria-label': 'Contact requests' },
        h('h2', {}, 'Contact requests', h('span', { class: 'count' }, String(open_.length))),
        h('ol', {}, ...open_.map((t) => h('li', {}, h('button', { type: 'button', class: 'queue-item ticket', 'data-conversation-id': t.conversationId, onclick: () => open(t.conversationId) },
          h('span', { class: 'qi-top' }, h('span', { class: 'qi-customer' }, [...t.emails, ...t.phones].join(', '))),
          h('span', { class: 'qi-reason' }, t.reason ?? 'left contact details'),
          h('span', { class: 'qi-meta' }, `left ${duration(Date.now() - t.createdAt)} ago`))))),
      )
    : null;
  replace(list, section('Waiting', waiting, 'Nobody is waiting.'), section('My chats', mine, 'No chats yet: claim one.'), others.length ? section('Other agents', others, '') : null, ticketList);
}
