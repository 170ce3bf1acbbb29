import { fill, h } from '../dom.js';

/** Sign-in with an API token (made with the jar's `token create` command); it is kept in an HttpOnly cookie. */
export function signInPage(main, { service, onSignedIn, reason = null }) {
  const token = h('input', { id: 'token', type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'token-hint token-error' });
  const error = h('span', { class: 'field-error', id: 'token-error' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const heading = h('h1', { tabindex: '-1' }, 'Sign in');
  fill(main, heading,
    h('section', { class: 'card' },
      reason ? h('p', { class: 'notice' }, reason) : null,
      h('form', { id: 'sign-in', novalidate: true, onsubmit: async e => {
        e.preventDefault();
        error.textContent = '';
        token.removeAttribute('aria-invalid');
        button.disabled = true;
        try {
          onSignedIn(await service.signIn(token.value));
        } catch (e) {
          error.textContent = e.message;
          token.setAttribute('aria-invalid', 'true');
          token.focus();
        } finally {
          button.disabled = false;
        }
      } },
        h('div', { class: 'field' }, h('label', { for: 'token' }, 'API token'), token,
          h('p', { class: 'hint', id: 'token-hint' }, 'A read token shows the registry; a write token can change it.'
            + ' Tokens are made with the registry jar: token create NAME --scope write.'), error),
        button)));
  return { focus: token, close: () => {} };
}
