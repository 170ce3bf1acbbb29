import { h } from '../dom.js';
import { openModal } from './modal.js';

/** Asks before something that cannot be undone; resolves true only when the person confirms. */
export function confirmDialog({ title, message, confirmLabel }) {
  return new Promise(resolve => {
    let answer = false;
    const cancel = h('button', { type: 'button', onclick: () => close() }, 'Cancel');
    const confirm = h('button', { type: 'button', class: 'danger', onclick: () => { answer = true; close(); } }, confirmLabel);
    const dialog = h('dialog', { role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title',
      'aria-describedby': 'confirm-message', class: 'confirm' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', { id: 'confirm-message' }, message),
      h('div', { class: 'buttons' }, cancel, confirm));
    // the safe choice has focus first
    const close = openModal(dialog, { initialFocus: cancel, onClose: () => resolve(answer) });
  });
}
