// Connection status in the header, and the token field the service asks for.
import { h, field } from './dom.js';

const LABELS = {
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Offline',
  unauthorized: 'Token needed',
};

export function createConnection(store, actions) {
  const light = h('span', { class: 'led', 'aria-hidden': 'true' });
  const text = h('span', { class: 'status-text' }, LABELS[store.state.status]);
  const status = h(
    'div',
    { class: 'status', id: 'connection-status', role: 'status', 'aria-live': 'polite', dataset: { state: store.state.status } },
    light,
    text,
  );

  const input = h('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'current-password',
    placeholder: 'service token',
  });
  const form = h(
    'form',
    {
      class: 'token-form',
      id: 'token-form',
      hidden: true,
      onsubmit: (e) => {
        e.preventDefault();
        actions.setToken(input.value.trim());
        input.value = '';
      },
    },
    field('Token', input),
    h('button', { type: 'submit' }, 'Connect'),
  );

  store.on('status', (state) => {
    status.dataset.state = state;
    text.textContent = LABELS[state] || state;
    form.hidden = state !== 'unauthorized';
    if (state === 'unauthorized') {
      // A stored token that earns a 401 is a wrong one, not a missing one.
      input.placeholder = actions.hasToken ? 'token refused — try another' : 'service token';
      input.focus();
    }
  });
  store.on('retry', (seconds) => {
    text.textContent = `Offline — retrying in ${seconds.toFixed(1)} s`;
  });

  return h('div', { class: 'connection' }, status, form);
}
