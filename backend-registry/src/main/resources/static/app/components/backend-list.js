import { h } from '../dom.js';
import { ROLES } from '../models.js';
import { roleBadge } from './role-badge.js';

/**
 * The backends of a deployment as a table; edit and remove buttons only when the session may write.
 * `backends` are the details' entries: { connection, deployment }.
 */
export function backendList({ backends, canWrite, onEdit, onRemove }) {
  if (backends.length === 0) {
    return h('p', { class: 'empty', id: 'no-backends' }, 'No backends yet: a router of this deployment has nothing to call.');
  }
  // by group, then role (in BackendRole's order), then priority
  const sorted = [...backends].sort((a, b) => (a.connection.group ?? 'default').localeCompare(b.connection.group ?? 'default')
    || ROLES.indexOf(a.connection.role) - ROLES.indexOf(b.connection.role)
    || (a.connection.priority ?? 1) - (b.connection.priority ?? 1) || a.connection.id - b.connection.id);
  return h('table', { class: 'backends', 'aria-label': 'Backends' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Backend'), h('th', { scope: 'col' }, 'Role'), h('th', { scope: 'col' }, 'Priority'),
      h('th', { scope: 'col' }, 'Routing key'), h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Address'),
      canWrite ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null)),
    h('tbody', {}, sorted.map(({ connection, deployment }) => h('tr', { dataset: { connectionId: connection.id,
      backendId: deployment.id } },
      h('td', {}, h('a', { href: `#/deployments/${deployment.id}`, dataset: { focusKey: `link-${connection.id}` } }, deployment.title),
        h('span', { class: 'hint' }, ` #${deployment.id}`)),
      h('td', {}, roleBadge(connection.role)),
      h('td', {}, connection.priority ?? h('span', { class: 'hint' }, '1 (default)')),
      h('td', {}, connection.routingKey ? h('code', {}, connection.routingKey) : '—'),
      h('td', {}, connection.group ?? h('span', { class: 'hint' }, 'default')),
      h('td', {}, h('code', {}, deployment.address)),
      canWrite ? h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small edit', 'aria-label': `Edit backend ${deployment.title}`,
          dataset: { focusKey: `edit-${connection.id}` },
          onclick: () => onEdit(connection, deployment) }, 'Edit'), ' ',
        h('button', { type: 'button', class: 'small remove', 'aria-label': `Remove backend ${deployment.title}`,
          dataset: { focusKey: `remove-${connection.id}` },
          onclick: () => onRemove(connection, deployment) }, 'Remove')) : null))));
}
