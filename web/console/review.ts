/**
 * The feedback review page (/console/review), keyboard first, for admins labelling hundreds
 * of messages: j/k move, a accept, d discard, 1-9 pick a label, / search labels, Enter picks
 * the first match, Esc leaves the search, r reloads. Rows are built once and removed as they
 * are decided, so the list stays fast. Text only ever goes through text nodes.
 */
import { h, replace } from './dom.js';

/** One item of GET /console/api/review. */
export interface ReviewItem {
  id: string;
  kind: string;
  task: 'intent' | 'sentiment';
  text: string;
  predicted?: { intent?: string; sentiment?: string; confidence?: number };
  proposed?: string;
  priority: number;
  reasons: string[];
  by: string;
  ts: number;
}

export interface ReviewList {
  items: ReviewItem[];
  total: number;
  labels: { intent: string[]; sentiment: string[] };
  csrfToken: string;
}

export type KeyCommand =
  | { kind: 'move'; by: 1 | -1 }
  | { kind: 'accept' }
  | { kind: 'discard' }
  | { kind: 'pick'; index: number }
  | { kind: 'search' }
  | { kind: 'reload' };

/**
 * The command of a key pressed outside the search box (undefined: not ours).
 *
 * @example keyCommand('3') // { kind: 'pick', index: 2 }
 */
export function keyCommand(key: string): KeyCommand | undefined {
  if (key === 'j' || key === 'ArrowDown') return { kind: 'move', by: 1 };
  if (key === 'k' || key === 'ArrowUp') return { kind: 'move', by: -1 };
  if (key === 'a') return { kind: 'accept' };
  if (key === 'd') return { kind: 'discard' };
  if (key === '/') return { kind: 'search' };
  if (key === 'r') return { kind: 'reload' };
  if (/^[1-9]$/.test(key)) return { kind: 'pick', index: Number(key) - 1 };
  return undefined;
}

/**
 * The labels offered for an item, numbered 1-9 on screen: with a search, the labels that
 * contain it (those starting with it first); without, the proposed and predicted labels
 * first, then the rest in order.
 *
 * @example palette(item, ['order_status', 'return_refund'], 'ref') // ['return_refund']
 */
export function palette(item: Pick<ReviewItem, 'task' | 'proposed' | 'predicted'>, labels: readonly string[], query = ''): string[] {
  const q = query.trim().toLowerCase();
  if (q) {
    const hits = labels.filter((l) => l.toLowerCase().includes(q));
    return [...hits.filter((l) => l.toLowerCase().startsWith(q)), ...hits.filter((l) => !l.toLowerCase().startsWith(q))].slice(0, 9);
  }
  const guess = item.task === 'sentiment' ? item.predicted?.sentiment : item.predicted?.intent;
  const first = [item.proposed, guess].filter((l): l is string => !!l && labels.includes(l));
  return [...new Set([...first, ...labels])].slice(0, 9);
}

const CSS = `
.rv{font:14px/1.4 system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:12px}
.rv header{display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
.rv .help{color:#555;font-size:12px}
.rv .status{min-height:1.4em;color:#a33}
.rv ol{list-style:none;padding:0;margin:8px 0;max-height:60vh;overflow:auto;border:1px solid #ddd}
.rv li{display:grid;grid-template-columns:60px 1fr 260px;gap:8px;padding:6px 8px;border-bottom:1px solid #eee;cursor:pointer}
.rv li.sel{background:#e8f0fe;outline:2px solid #2a6fdb}
.rv .why{color:#666;font-size:12px}
.rv .pal{display:flex;gap:6px;flex-wrap:wrap;margin:8px 0}
.rv .pal button{font:inherit;padding:2px 8px}
.rv .pal kbd{font-weight:bold;margin-right:4px}
.rv input{font:inherit;padding:4px 8px;width:240px}
`;

interface State {
  list: ReviewList;
  index: number;
  query: string;
  rows: Map<string, HTMLLIElement>;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`api${path}`, { credentials: 'same-origin', ...init });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

function boot(): void {
  const root = document.getElementById('review')!;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  root.className = 'rv';

  const status = h('div', { class: 'status', role: 'status' });
  const count = h('strong');
  const list = h('ol', { 'aria-label': 'messages to review' });
  const pal = h('div', { class: 'pal', 'aria-label': 'labels' });
  const search = h('input', { type: 'search', placeholder: '/ search labels', 'aria-label': 'search labels' });
  let state: State | undefined;

  const current = (): ReviewItem | undefined => state?.list.items[state.index];
  const labelsOf = (item: ReviewItem) => (state ? state.list.labels[item.task] : []);

  const renderPalette = () => {
    const item = current();
    if (!item) return replace(pal, 'Nothing left to review.');
    replace(pal, ...palette(item, labelsOf(item), state!.query).map((label, i) => h('button', { type: 'button', onclick: () => void decide({ action: 'correct', label }) }, h('kbd', {}, String(i + 1)), label)));
  };

  const select = (index: number) => {
    if (!state) return;
    const n = state.list.items.length;
    state.rows.get(current()?.id ?? '')?.classList.remove('sel');
    state.index = Math.max(0, Math.min(n - 1, index));
    const row = state.rows.get(current()?.id ?? '');
    row?.classList.add('sel');
    row?.scrollIntoView({ block: 'nearest' });
    count.textContent = `${n} to review${state.list.total > n ? ` (of ${state.list.total})` : ''}`;
    renderPalette();
  };

  const rowOf = (item: ReviewItem): HTMLLIElement => {
    const guess = item.task === 'sentiment' ? item.predicted?.sentiment : item.predicted?.intent;
    const conf = item.predicted?.confidence !== undefined ? ` ${item.predicted.confidence.toFixed(2)}` : '';
    return h('li', { onclick: () => select(state!.list.items.findIndex((x) => x.id === item.id)) },
      h('span', {}, item.priority.toFixed(1)),
      h('span', {}, item.text, h('div', { class: 'why' }, `${item.kind} · ${item.reasons.join(' · ') || 'no flag'}`)),
      h('span', {}, `${item.task}: ${guess ?? '?'}${conf}`, item.proposed ? h('div', { class: 'why' }, `a = ${item.proposed}`) : undefined),
    );
  };

  const load = async () => {
    status.textContent = '';
    const { status: code, body } = await api<ReviewList & { message?: string }>('/review?limit=1000');
    if (code === 401) return replace(root, h('p', {}, 'Sign in to the console as an admin first: ', h('a', { href: './' }, 'open the console')));
    if (code === 403) return replace(root, h('p', {}, 'Only admins review feedback.'));
    if (code !== 200) { status.textContent = body.message ?? `could not load the queue (${code})`; return; }
    const rows = new Map<string, HTMLLIElement>();
    for (const item of body.items) rows.set(item.id, rowOf(item));
    state = { list: body, index: 0, query: '', rows };
    replace(list, ...rows.values());
    select(0);
  };

  /** Optimistic: the row goes at once (the next slides into its place); it comes back if the server refuses. */
  const decide = async (decision: { action: 'accept' | 'discard' } | { action: 'correct'; label: string }) => {
    const item = current();
    if (!item || !state) return;
    const s = state;
    const at = s.index;
    const row = s.rows.get(item.id)!;
    s.list.items.splice(at, 1);
    s.list.total = Math.max(0, s.list.total - 1);
    row.remove();
    s.rows.delete(item.id);
    s.query = '';
    search.value = '';
    select(at);
    const { status: code, body } = await api<{ message?: string }>(`/review/${encodeURIComponent(item.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-parley-csrf': s.list.csrfToken },
      body: JSON.stringify(decision),
    });
    if (code === 200) return;
    if (code === 404) { status.textContent = 'one item was already reviewed by someone else'; return; }
    status.textContent = `"${item.text.slice(0, 40)}": ${body.message ?? `failed (${code})`}`;
    if (state !== s) return; // reloaded meanwhile
    const back = Math.min(at, s.list.items.length);
    const before = s.list.items[back] ? s.rows.get(s.list.items[back].id) ?? null : null;
    s.list.items.splice(back, 0, item);
    s.list.total++;
    s.rows.set(item.id, row);
    list.insertBefore(row, before);
    select(back);
  };

  search.addEventListener('input', () => { if (state) { state.query = search.value; renderPalette(); } });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { search.value = ''; if (state) state.query = ''; search.blur(); renderPalette(); e.preventDefault(); }
    if (e.key === 'Enter') {
      const item = current();
      const first = item && palette(item, labelsOf(item), search.value)[0];
      if (first) void decide({ action: 'correct', label: first });
      search.blur();
      e.preventDefault();
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.target === search || e.ctrlKey || e.metaKey || e.altKey) return;
    const cmd = keyCommand(e.key);
    if (!cmd || !state) return;
    e.preventDefault();
    const item = current();
    if (cmd.kind === 'move') select(state.index + cmd.by);
    else if (cmd.kind === 'search') search.focus();
    else if (cmd.kind === 'reload') void load();
    else if (cmd.kind === 'discard') void decide({ action: 'discard' });
    else if (cmd.kind === 'accept') {
      if (item?.proposed) void decide({ action: 'accept' });
      else status.textContent = 'nothing proposed for this one: pick a label with 1-9 or /';
    } else if (cmd.kind === 'pick' && item) {
      const label = palette(item, labelsOf(item), state.query)[cmd.index];
      if (label) void decide({ action: 'correct', label });
    }
  });

  replace(root,
    h('header', {}, h('h1', {}, 'Feedback review'), count, h('span', { class: 'help' }, 'j/k move · a accept · d discard · 1-9 label · / search · Enter pick · r reload')),
    status, list, search, pal);
  void load();
}

if (typeof document !== 'undefined') boot();
