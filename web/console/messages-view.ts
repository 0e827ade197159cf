import { h } from './dom.js';
import { clock, explanationText, fixed2 } from './format.js';
import type { Message } from './types.js';

/** What a message row can do (relabel, mark wrong), wired by the conversation view. */
export interface MessageActions {
  labels: { intents: string[]; sentiments: string[] };
  relabel(message: Message, change: { intent: string } | { sentiment: string }): Promise<void>;
  wrongAnswer(message: Message): Promise<void>;
}

const ROLE_NAMES: Record<Message['role'], string> = { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'Parley' };

/**
 * One message row. Customer messages carry their annotations: intent, sentiment, their
 * confidences, frustration, and the words that drove each prediction.
 */
export function messageRow(m: Message, actions: MessageActions): HTMLElement {
  const who = m.internal ? `Note by ${m.from}` : m.role === 'agent' ? m.from : ROLE_NAMES[m.role];
  const row = h(
    'article',
    { class: `msg${m.internal ? ' note' : ''}`, 'data-role': m.role, 'data-id': m.id, 'aria-label': `${who} at ${clock(m.ts)}` },
    h('div', { class: 'msg-meta' }, h('span', { class: 'who' }, who), h('time', { datetime: new Date(m.ts).toISOString() }, clock(m.ts)), m.internal ? h('span', { class: 'badge' }, 'only agents see this') : null),
    h('div', { class: 'bubble' }, m.text),
  );
  if (m.role === 'customer') row.append(annotations(m, actions));
  if (m.role === 'bot') row.append(wrongAnswerButton(m, actions));
  return row;
}

function annotations(m: Message, actions: MessageActions): HTMLElement {
  const u = m.understanding;
  const box = h('div', { class: 'annotations' });
  if (!u) {
    box.append(h('span', { class: 'chip pending' }, 'understanding…'));
    return box;
  }
  const intentWhy = explanationText(u.explanation.intent);
  const sentimentWhy = explanationText(u.explanation.sentiment);
  box.append(
    h('div', { class: 'chips' },
      h('span', { class: `chip intent${u.fallback ? ' fallback' : ''}`, 'data-annotation': 'intent', title: `Intent model ${u.modelVersions.intent}` }, `intent ${u.intent}`, h('b', {}, ` ${fixed2(u.intentConfidence)}`)),
      u.ambiguous ? h('span', { class: 'chip warn' }, 'ambiguous') : null,
      h('span', { class: `chip sentiment s-${u.sentiment}`, 'data-annotation': 'sentiment', title: `Sentiment model ${u.modelVersions.sentiment}` }, `sentiment ${u.sentiment}`, h('b', {}, ` ${fixed2(u.sentimentConfidence)}`)),
      u.frustration !== undefined ? h('span', { class: 'chip', 'data-annotation': 'frustration' }, `frustration ${fixed2(u.frustration)}`) : null,
      relabelButton(m, actions),
    ),
    h('div', { class: 'why', 'data-annotation': 'explanation' },
      intentWhy ? h('span', {}, h('b', {}, 'intent: '), intentWhy) : null,
      sentimentWhy ? h('span', {}, h('b', {}, 'sentiment: '), sentimentWhy) : null,
      u.alternatives.length > 1 ? h('span', { class: 'alts' }, `also: ${u.alternatives.slice(1, 3).map((a) => `${a.label} ${fixed2(a.confidence)}`).join(', ')}`) : null,
    ),
  );
  return box;
}

function relabelButton(m: Message, actions: MessageActions): HTMLElement {
  const button = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false' }, 'Relabel');
  button.addEventListener('click', () => {
    const row = button.closest('.msg')!;
    const existing = row.querySelector('.relabel');
    if (existing) {
      existing.remove();
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    row.append(relabelForm(m, actions, () => {
      row.querySelector('.relabel')?.remove();
      button.setAttribute('aria-expanded', 'false');
    }));
  });
  return button;
}

function relabelForm(m: Message, actions: MessageActions, close: () => void): HTMLElement {
  const u = m.understanding!;
  const intents = actions.labels.intents.length ? actions.labels.intents : u.alternatives.map((a) => a.label);
  const intent = h('select', { 'aria-label': 'Correct intent' }, ...intents.map((l) => h('option', { value: l, selected: l === u.intent }, l)));
  const sentiment = h('select', { 'aria-label': 'Correct sentiment' }, ...actions.labels.sentiments.map((l) => h('option', { value: l, selected: l === u.sentiment }, l)));
  const status = h('span', { class: 'status', role: 'status' });
  const save = (change: { intent: string } | { sentiment: string }) => {
    status.textContent = 'Saving…';
    actions.relabel(m, change).then(
      () => (status.textContent = `Saved: ${'intent' in change ? change.intent : change.sentiment} (pending review)`),
      (e: Error) => (status.textContent = e.message),
    );
  };
  return h(
    'div',
    { class: 'relabel', role: 'group', 'aria-label': 'Relabel this message' },
    intent,
    h('button', { type: 'button', onclick: () => save({ intent: intent.value }) }, 'Save intent'),
    sentiment,
    h('button', { type: 'button', onclick: () => save({ sentiment: sentiment.value }) }, 'Save sentiment'),
    h('button', { type: 'button', class: 'link', onclick: close }, 'Close'),
    status,
  );
}

function wrongAnswerButton(m: Message, actions: MessageActions): HTMLElement {
  const button = h('button', { type: 'button', class: 'link wrong', 'aria-pressed': 'false' }, 'Mark answer as wrong');
  button.addEventListener('click', () => {
    button.disabled = true;
    actions.wrongAnswer(m).then(
      () => {
        button.textContent = 'Marked as wrong';
        button.setAttribute('aria-pressed', 'true');
      },
      (e: Error) => {
        button.disabled = false;
        button.textContent = `Mark answer as wrong (${e.message})`;
      },
    );
  });
  return h('div', { class: 'annotations' }, button);
}
