import { h } from '../dom.js';

const ACTIONS = {
  'connection.added': 'Backend added', 'connection.updated': 'Backend changed', 'connection.removed': 'Backend removed',
  'deployment.created': 'Deployment created', 'deployment.replaced': 'Deployment changed', 'deployment.deleted': 'Deployment removed',
};

/** The changes from /api/audit, newest first: when, who (the token's name), what. */
export function historyTable(changes) {
  if (changes.length === 0) return h('p', { class: 'empty' }, 'No changes recorded yet.');
  return h('table', { 'aria-label': 'Changes' },
    h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Change'].map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, changes.map(c => h('tr', {},
      h('td', {}, h('time', { datetime: c.at }, new Date(c.at).toLocaleString())),
      h('td', {}, c.actor),
      h('td', {}, ACTIONS[c.action] ?? c.action),
      h('td', {}, summary(c.before, c.after))))));
}

function summary(before, after) {
  const shown = value => value && value.backendDeploymentId !== undefined
    ? `#${value.backendDeploymentId} ${value.role ?? 'PRIMARY'}${value.priority != null ? ' p' + value.priority : ''}`
      + `${value.routingKey ? ' ' + value.routingKey : ''}${value.group ? ' in ' + value.group : ''}`
    : value ? `${value.name ?? value.serviceName ?? ''} #${value.id}` : '';
  if (before && after) return `${shown(before)} → ${shown(after)}`;
  return shown(after ?? before);
}
