import { announce, fill, h } from '../dom.js';
import { backendList } from '../components/backend-list.js';
import { openBackendModal } from '../components/backend-modal.js';
import { confirmDialog } from '../components/confirm-dialog.js';
import { roleBadge } from '../components/role-badge.js';
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
    fill(backends, backendList({ backends: details.backends, canWrite: session.canWrite, onEdit: edit, onRemove: remove }));
  };

  const refreshAround = async () => {
    const [users, view, changes] = await Promise.all([service.getConsumersForDeployment(id), service.getTopology(id),
      service.getHistory(id)]);
    fill(consumers, users.length === 0 ? h('p', { class: 'empty' }, 'No deployment uses this one as a backend.')
      : h('ul', { class: 'links' }, users.map(u => h('li', { dataset: { deploymentId: u.id } },
        h('a', { href: `#/deployments/${u.id}` }, u.title), h('span', { class: 'hint' }, ` #${u.id}`),
        u.serviceName && u.serviceName !== u.title ? h('span', { class: 'hint' }, ` · ${u.serviceName}`) : null))));
    fill(topology, topologyView(view));
    fill(history, historyTable(changes));
  };

  const load = async () => {
    current = await service.getDeploymentWithBackends(id);
    render(current);
    await refreshAround();
    problem.hidden = true;
  };

  const saved = (connection, target, verb) => {
    load().catch(failed);
    if (connection) announce(`${verb} ${target?.title ?? 'backend'} as ${connection.role.name}`);
  };

  async function edit(connection, deployment) {
    try {
      const { etag } = await service.getConnection(connection.id);
      openBackendModal({ service, deployment: current.details.deployment, existing: { connection, deployment }, etag,
        onSaved: (c, t) => saved(c, t, 'Saved') });
    } catch (e) {
      failed(e);
    }
  }

  async function remove(connection, deployment) {
    const sure = await confirmDialog({ title: `Remove ${deployment.title}?`, confirmLabel: 'Remove backend',
      message: `${deployment.title} (#${deployment.id}, ${connection.role.name}) stops being a backend of `
        + `${current.details.deployment.title}. Its routers stop calling it once they have the change (within a second`
        + ' when they wait on the registry).' });
    if (!sure) return;
    try {
      await service.removeBackend(connection.id);
      announce(`Removed ${deployment.title}`);
      await load();
    } catch (e) {
      failed(e);
      load().catch(failed);
    }
  }

  addButton?.addEventListener('click', () => openBackendModal({ service, deployment: current.details.deployment,
    onSaved: (c, t) => saved(c, t, 'Added') }));

  // Follows changes made elsewhere: the details' tag, waited on; on a change everything is read again.
  // A browser keeps about six connections per host over HTTP/1.1, so a hidden tab gives its up, and
  // a page left behind (navigation, back/forward cache) drops it at once.
  let round = null;
  const pauseWhenHidden = () => { if (document.hidden) round?.abort(); };
  const leave = () => controller.abort();
  controller.signal.addEventListener('abort', () => round?.abort());
  document.addEventListener('visibilitychange', pauseWhenHidden);
  window.addEventListener('pagehide', leave);
  const visible = () => new Promise(resolve => {
    const check = () => {
      if (!document.hidden || controller.signal.aborted) {
        document.removeEventListener('visibilitychange', check);
        resolve();
      }
    };
    document.addEventListener('visibilitychange', check);
    controller.signal.addEventListener('abort', check);
    check();
  });
  const follow = async () => {
    let pause = 1000;
    while (!controller.signal.aborted) {
      if (document.hidden) {
        live.textContent = 'Paused while hidden';
        live.dataset.pauses = String(Number(live.dataset.pauses ?? 0) + 1);
        await visible();
        if (controller.signal.aborted) return;
      }
      round = new AbortController();
      try {
        live.textContent = 'Live';
        const changed = await service.waitForChange(id, current.etag, round.signal);
        if (changed && changed.etag !== current.etag) {   // the page's own save has read it already
          current = changed;
          render(current);
          announce('This deployment changed; the page shows it now.');
        }
        await refreshAround();   // consumers and history change without touching the details: read them each round
        pause = 1000;
      } catch (e) {
        if (controller.signal.aborted) return;
        if (round.signal.aborted) continue;      // hidden: wait until seen again
        live.textContent = 'Reconnecting…';
        await new Promise(resolve => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 15000);
      }
    }
  };

  load().then(follow, failed);
  return { focus: heading, close: () => {
    controller.abort();
    document.removeEventListener('visibilitychange', pauseWhenHidden);
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
