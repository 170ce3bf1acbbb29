import { announce, fill, h, keepingFocus } from '../dom.js';
import { backendList } from '../components/backend-list.js';
import { openBackendModal } from '../components/backend-modal.js';
import { confirmDialog } from '../components/confirm-dialog.js';
import { roleBadge } from '../components/role-badge.js';
import { follow } from './follow.js';
import { historyTable } from './history.js';

/**
 * A deployment as R1 lays it out: basic info, its backends (add, edit, remove), its consumers; then
 * the topology its routers receive and its history. It follows changes made elsewhere through the
 * registry's waiting request, the one routers use.
 */
export function deploymentPage(main, { service, session, id }) {
  const heading = h('h1', { tabindex: '-1' }, `Deployment ${id}`);
  const info = h('div', { id: 'basic-info' });
  const backends = h('div', { id: 'backend-list' });
  const consumers = h('div', { id: 'consumers' });
  const topology = h('div', { id: 'topology', class: 'topology' });
  const history = h('div', { id: 'history' });
  const live = h('span', { class: 'live', id: 'live' }, '');
  const problem = h('div', { class: 'alert', role: 'alert', id: 'page-error', hidden: true });
  const addButton = session.canWrite ? h('button', { type: 'button', class: 'primary', id: 'add-backend' }, 'Add backend') : null;
  const controller = new AbortController();
  let current = null;   // { details, etag }

  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/deployments' }, 'Deployments'), ' / ', `#${id}`),
    heading, problem,
    h('section', { class: 'card', 'aria-labelledby': 'info-title' }, h('header', {}, h('h2', { id: 'info-title' }, 'Basic info'), live), info),
    h('section', { class: 'card', 'aria-labelledby': 'backends-title' },
      h('header', {}, h('h2', { id: 'backends-title' }, 'Backends'), addButton), backends),
    h('section', { class: 'card', 'aria-labelledby': 'consumers-title' },
      h('header', {}, h('h2', { id: 'consumers-title' }, 'Consumers')),
      h('p', { class: 'hint' }, 'Deployments that use this one as a backend.'), consumers),
    h('section', { class: 'card', 'aria-labelledby': 'topology-title' },
      h('header', {}, h('h2', { id: 'topology-title' }, 'What routers receive')),
      h('p', { class: 'hint' }, 'The topology a router of this deployment builds from the registry, checked by the router\'s own validator.'),
      topology),
    h('section', { class: 'card', 'aria-labelledby': 'history-title' },
      h('header', {}, h('h2', { id: 'history-title' }, 'History')), history));

  const failed = e => {
    if (e.name === 'AbortError') return;
    fill(problem, e.message);
    problem.hidden = false;
  };
  const headingOrAdd = () => addButton ?? heading;
  let shownAround = '';     // consumers, preview and history as last drawn: drawn again only when they change

  const render = ({ details }) => {
    const d = details.deployment;
    fill(heading, d.title, h('span', { class: 'sub' }, `deployment #${d.id}`));
    document.title = `${d.title} · Backend Connections`;
    fill(info, h('dl', { class: 'info' },
      h('dt', {}, 'Name'), h('dd', { id: 'info-name' }, d.name ?? '—'),
      h('dt', {}, 'Service'), h('dd', {}, d.serviceName ?? '—'),
      h('dt', {}, 'Port'), h('dd', { id: 'info-port' }, d.port ?? portOf(d.url) ?? '—'),
      h('dt', {}, 'Status'), h('dd', { id: 'info-status' }, h('span', { class: `status ${d.status ?? ''}` }, d.status ?? 'unknown')),
      h('dt', {}, 'Stage'), h('dd', {}, d.stage ?? '—'),
      h('dt', {}, 'Address'), h('dd', {}, h('code', {}, d.address))));
    keepingFocus(backends, () => fill(backends, backendList({ backends: details.backends, canWrite: session.canWrite,
      onEdit: edit, onRemove: remove })), headingOrAdd);
  };

  const refreshAround = async signal => {
    const [users, view, changes] = await Promise.all([service.getConsumersForDeployment(id, signal), service.getTopology(id, signal),
      service.getHistory(id, 20, signal)]);
    const drawn = JSON.stringify([users, view, changes]);
    if (drawn === shownAround) return;
    shownAround = drawn;
    keepingFocus(consumers, () => fill(consumers, users.length === 0
      ? h('p', { class: 'empty' }, 'No deployment uses this one as a backend.')
      : h('ul', { class: 'links' }, users.map(u => h('li', { dataset: { deploymentId: u.id } },
        h('a', { href: `#/deployments/${u.id}`, dataset: { focusKey: `consumer-${u.id}` } }, u.title),
        h('span', { class: 'hint' }, ` #${u.id}`),
        u.serviceName && u.serviceName !== u.title ? h('span', { class: 'hint' }, ` · ${u.serviceName}`) : null)))), () => heading);
    fill(topology, topologyView(view));
    fill(history, historyTable(changes));
  };

  const load = async signal => {
    current = await service.getDeploymentWithBackends(id, signal);
    render(current);
    await refreshAround(signal);
    problem.hidden = true;
  };

  const saved = (connection, target, verb) => {
    load().catch(failed);
    if (connection) announce(`${verb} ${target?.title ?? 'backend'} as ${connection.role.name}`);
  };

  let busy = false;     // one dialog at a time, however fast the clicks
  const once = action => async (...args) => {
    if (busy) return;
    busy = true;
    try {
      await action(...args);
    } catch (e) {
      failed(e);
    } finally {
      busy = false;
    }
  };

  // the form shows the connection as the registry has it now, and saving it is refused if it changes meanwhile
  const edit = once(async (connection, deployment) => {
    const fresh = await service.getConnection(connection.id);
    await openBackendModal({ service, deployment: current.details.deployment, existing: { connection: fresh.backend, deployment },
      etag: fresh.etag, reread: () => service.getConnection(connection.id), onSaved: (c, t) => saved(c, t, 'Saved') });
  });

  const remove = once(async (connection, deployment) => {
    const fresh = await service.getConnection(connection.id);
    const sure = await confirmDialog({ title: `Remove ${deployment.title}?`, confirmLabel: 'Remove backend',
      message: `${deployment.title} (#${deployment.id}, ${fresh.backend.role.name}) stops being a backend of `
        + `${current.details.deployment.title}. Its routers stop calling it once they have the change (at once when`
        + ' they wait on the registry).' });
    if (!sure) return;
    try {
      await service.removeBackend(connection.id, fresh.etag);
      announce(`Removed ${deployment.title}`);
    } finally {
      await load().catch(failed);
      if (!document.activeElement || document.activeElement === document.body) headingOrAdd().focus();
    }
  });

  addButton?.addEventListener('click', once(async () => {
    if (!current) return;
    await openBackendModal({ service, deployment: current.details.deployment, onSaved: (c, t) => saved(c, t, 'Added') });
  }));

  // Follows changes made elsewhere with the waiting request routers use; consumers and history change
  // without touching the details, so they are read again each round.
  follow({ signal: controller.signal, status: (text, paused) => {
    live.textContent = text;
    if (paused) live.dataset.pauses = String(Number(live.dataset.pauses ?? 0) + 1);
  }, round: async signal => {
    if (!current) {             // the first round loads the page, and a failed load is tried again
      try {
        await load(signal);
      } catch (e) {
        failed(e);
        throw e;
      }
      return;
    }
    const changed = await service.waitForChange(id, current.etag, signal);
    if (changed && changed.etag !== current.etag) {   // the page's own save has read it already
      current = changed;
      render(current);
      announce('This deployment changed; the page shows it now.');
    }
    await refreshAround(signal);
  } });

  const leave = () => controller.abort();
  window.addEventListener('pagehide', leave);     // left for another page, or for the back/forward cache
  return { focus: heading, close: () => {
    controller.abort();
    window.removeEventListener('pagehide', leave);
  } };
}

function portOf(url) {
  try { return url ? new URL(url).port || null : null; } catch { return null; }
}

function topologyView(view) {
  const problems = view.problems ?? [];
  if (!view.valid) {
    return [h('p', { class: 'invalid', id: 'topology-state' }, 'Routers refuse this: they keep the topology they have.'),
      h('ul', { class: 'problems' }, problems.map(p => h('li', {}, h('code', {}, p.path), ': ', p.message)))];
  }
  const t = view.topology;
  return [h('p', { class: 'valid', id: 'topology-state' }, `Valid: service ${t.service}`, t.stage ? `, stage ${t.stage}` : '',
    `, ${t.groups.length} group${t.groups.length === 1 ? '' : 's'}.`),
    t.groups.map(g => h('div', { class: 'group' },
      h('h3', {}, `http://${g.name}/`, g.sharded ? h('span', { class: 'hint' }, ' (sharded)') : null),
      h('table', { 'aria-label': `Members of group ${g.name}` },
        h('thead', {}, h('tr', {}, ['Member', 'Role', 'Priority', 'Routing key', 'URL'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, g.members.map(m => h('tr', {}, h('td', {}, m.name), h('td', {}, roleBadge(m.role)),
          h('td', {}, String(m.priority)), h('td', {}, m.routingKey ?? '—'), h('td', {}, h('code', {}, m.url))))))))];
}
