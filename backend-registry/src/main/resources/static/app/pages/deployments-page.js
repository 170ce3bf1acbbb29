import { announce, fill, h } from '../dom.js';

/** The deployments, searched by name (any part, any case), service and stage. */
export function deploymentsPage(main, { service, params }) {
  const name = h('input', { id: 'q-name', type: 'search', name: 'name', value: params.get('name') ?? '', autocomplete: 'off' });
  const serviceName = h('input', { id: 'q-service', type: 'search', name: 'serviceName', value: params.get('serviceName') ?? '',
    autocomplete: 'off', 'aria-describedby': 'q-exact' });
  const stage = h('input', { id: 'q-stage', type: 'search', name: 'stage', value: params.get('stage') ?? '', autocomplete: 'off',
    'aria-describedby': 'q-exact' });
  const results = h('div', { id: 'deployments', 'aria-live': 'polite' });
  const heading = h('h1', { tabindex: '-1' }, 'Deployments');

  let searching = 0;     // only the latest search's answer is shown
  const search = async () => {
    const mine = ++searching;
    const query = new URLSearchParams();
    for (const input of [name, serviceName, stage]) if (input.value.trim()) query.set(input.name, input.value.trim());
    history.replaceState(null, '', '#/deployments' + (query.size ? '?' + query : ''));
    try {
      const found = await service.searchDeployments({ name: name.value, serviceName: serviceName.value, stage: stage.value });
      if (mine !== searching) return;
      fill(results, found.length === 0 ? h('p', { class: 'empty' }, 'No deployment matches.') : table(found));
      announce(`${found.length} deployments`);
    } catch (e) {
      if (mine === searching) fill(results, h('div', { class: 'alert', role: 'alert' }, e.message));
    }
  };
  let timer = null;
  const soon = () => { clearTimeout(timer); timer = setTimeout(search, 250); };
  [name, serviceName, stage].forEach(input => input.addEventListener('input', soon));

  fill(main, heading,
    h('form', { class: 'search', role: 'search', 'aria-label': 'Deployments', onsubmit: e => { e.preventDefault(); search(); } },
      h('div', { class: 'field' }, h('label', { for: 'q-name' }, 'Name'), name),
      h('div', { class: 'field' }, h('label', { for: 'q-service' }, 'Service'), serviceName),
      h('div', { class: 'field' }, h('label', { for: 'q-stage' }, 'Stage'), stage),
      h('button', { type: 'submit' }, 'Search')),
    h('p', { class: 'hint', id: 'q-exact' }, 'A name matches any part of it; service and stage match whole names.'),
    results);
  search();
  return { focus: heading, close: () => clearTimeout(timer) };
}

function table(deployments) {
  return h('table', { 'aria-label': 'Deployments found' },
    h('thead', {}, h('tr', {}, ['Name', 'Service', 'Stage', 'Status', 'Address', 'Id'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, deployments.map(d => h('tr', { dataset: { deploymentId: d.id } },
      h('td', {}, h('a', { href: `#/deployments/${d.id}` }, d.title)),
      h('td', {}, d.serviceName ?? '—'), h('td', {}, d.stage ?? '—'),
      h('td', {}, h('span', { class: `status ${d.status ?? ''}` }, d.status ?? '—')),
      h('td', {}, h('code', {}, d.address)), h('td', {}, String(d.id))))));
}
