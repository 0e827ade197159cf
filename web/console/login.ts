import { ApiError, post, setCsrf } from './api.js';
import { h, replace } from './dom.js';
import type { Agent } from './types.js';

/** The sign-in form; calls `done` with the agent once the server set the session cookie. */
export function renderLogin(root: Element, done: (agent: Agent) => void, notice = ''): void {
  const error = h('p', { class: 'form-error', role: 'alert' }, notice);
  const name = h('input', { id: 'login-name', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'login', 'aria-label': 'Sign in' },
    h('h1', {}, 'Parley agent console'),
    h('label', { for: 'login-name' }, 'Name'),
    name,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    post<{ agent: Agent; csrfToken: string }>('/login', { name: name.value.trim(), password: password.value })
      .then(({ agent, csrfToken }) => {
        setCsrf(csrfToken);
        done(agent);
      })
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError && e.status === 401 ? 'Wrong name or password.' : e instanceof Error ? e.message : 'Sign-in failed.';
        password.select();
      })
      .finally(() => (button.disabled = false));
  });
  replace(root, h('main', { class: 'login-page' }, form));
  name.focus();
}
