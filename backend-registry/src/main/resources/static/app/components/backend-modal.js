import { announce, fill, h } from '../dom.js';
import { BackendRole, ROLES, ServiceBackend } from '../models.js';
import { openModal } from './modal.js';

const FIELDS = ['backendDeploymentId', 'role', 'priority', 'routingKey', 'group'];

/**
 * The add-backend modal, and the same form to edit a connection. The registry checks everything
 * (the router's own validator); its 400 is shown at the field it names, other problems above the form.
 *
 * openBackendModal({ service, deployment, onSaved })                         // add to `deployment`
 * openBackendModal({ service, deployment, existing: { connection, deployment }, etag, reread, onSaved })   // edit
 *
 * An edit is saved with If-Match: refused (412) when the connection changed since it was read, the
 * form then shows the registry's version (from `reread`), to be saved again or cancelled.
 */
export function openBackendModal({ service, deployment, existing = null, etag = null, reread = null, onSaved }) {
  const editing = existing !== null;
  let chosen = editing ? existing.deployment : null;
  const errors = Object.fromEntries(FIELDS.map(f => [f, h('span', { class: 'field-error', id: `bm-${f}-error` })]));
  const alert = h('div', { class: 'alert', role: 'alert', id: 'bm-alert', hidden: true });

  const search = h('input', { id: 'bm-search', type: 'search', autocomplete: 'off', 'aria-describedby': 'bm-search-hint bm-backendDeploymentId-error',
    'aria-controls': 'bm-results' });
  const results = h('ul', { class: 'picks', id: 'bm-results', 'aria-label': 'Matching deployments' });
  const chosenLine = h('p', { class: 'chosen', id: 'bm-chosen', 'aria-live': 'polite' });
  const role = h('select', { id: 'bm-role', name: 'role', 'aria-describedby': 'bm-role-hint bm-role-error' },
    ROLES.map(r => h('option', { value: r.name }, `${r.name} — ${r.label}`)));
  const roleHint = h('p', { class: 'hint', id: 'bm-role-hint' });
  const priority = h('input', { id: 'bm-priority', name: 'priority', inputmode: 'numeric', autocomplete: 'off',
    'aria-describedby': 'bm-priority-hint bm-priority-error' });
  const routingKey = h('input', { id: 'bm-routingKey', name: 'routingKey', autocomplete: 'off',
    'aria-describedby': 'bm-routingKey-hint bm-routingKey-error' });
  const routingKeyHint = h('p', { class: 'hint', id: 'bm-routingKey-hint' });
  const routingKeyLabel = h('label', { for: 'bm-routingKey' }, 'Routing key');
  const group = h('input', { id: 'bm-group', name: 'group', autocomplete: 'off', placeholder: 'default',
    'aria-describedby': 'bm-group-hint bm-group-error' });
  const inputs = { backendDeploymentId: search, role, priority, routingKey, group };

  const priorityField = h('div', { class: 'field', id: 'bm-priority-field' },
    h('label', { for: 'bm-priority' }, 'Priority'), priority,
    h('p', { class: 'hint', id: 'bm-priority-hint' }, 'Within a role, lower numbers are called first; empty means 1.'),
    errors.priority);
  const routingKeyField = h('div', { class: 'field', id: 'bm-routingKey-field' }, routingKeyLabel, routingKey, routingKeyHint,
    errors.routingKey);

  const fillFrom = connection => {
    role.value = connection.role.name;
    priority.value = connection.priority ?? '';
    routingKey.value = connection.routingKey ?? '';
    group.value = connection.group ?? '';
  };
  if (editing) fillFrom(existing.connection);

  const showFieldsForRole = () => {
    const r = BackendRole[role.value];
    roleHint.textContent = r.description;
    priorityField.hidden = !r.priority;
    routingKeyField.hidden = r.routingKey === 'none';
    routingKey.toggleAttribute('aria-required', r.routingKey === 'required');
    fill(routingKeyLabel, 'Routing key', r.routingKey === 'required' ? ' (required)' : ' (optional)');
    routingKeyHint.textContent = r.routingKey === 'required'
      ? 'The keys this shard serves: a range such as users-a-m, or hash slots such as users#0-8191.'
      : 'Only in a sharded group: the range of the shard this backend serves.';
  };
  role.addEventListener('change', showFieldsForRole);
  showFieldsForRole();

  const choose = d => {
    chosen = d;
    results.querySelectorAll('button.pick').forEach(b => b.setAttribute('aria-pressed', String(b.dataset.deploymentId === String(d.id))));
    fill(chosenLine, 'Chosen: ', h('strong', {}, d.title), ` (#${d.id}${d.serviceName ? ', ' + d.serviceName : ''})`);
    clearError('backendDeploymentId');
    role.focus();
  };
  if (editing) fill(chosenLine, h('strong', {}, chosen.title), ` (#${chosen.id})`);
  else chosenLine.textContent = 'No deployment chosen yet.';

  let searching = 0;
  const runSearch = async () => {
    const text = search.value.trim();
    const mine = ++searching;
    if (!text) { results.replaceChildren(); return; }
    try {
      const found = await service.searchDeployments({ name: text, size: 10 });
      if (/^[0-9]+$/.test(text) && !found.some(d => String(d.id) === text)) {
        try { found.unshift(await service.getDeployment(text)); } catch { /* no deployment of that id */ }
      }
      if (mine !== searching) return;
      searched = text;
      const others = found.filter(d => d.id !== deployment.id);
      fill(results, others.map(d => h('li', {}, h('button', { type: 'button', class: 'pick', dataset: { deploymentId: d.id },
        onclick: () => choose(d), onkeydown: e => moveInResults(e) },
        h('strong', {}, d.title), ` #${d.id}`, d.serviceName && d.serviceName !== d.title ? ` · ${d.serviceName}` : '',
        d.stage ? ` · ${d.stage}` : ''))));
      announce(others.length === 0 ? 'No deployment matches' : `${others.length} deployments match`);
      if (others.length === 0) results.append(h('li', { class: 'hint' }, `No deployment matches “${text}”.`));
    } catch (e) {
      if (mine === searching) fill(results, h('li', { class: 'field-error' }, e.message));
    }
  };
  let timer = null;
  let searched = '';      // the text the results are for
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(runSearch, 200); });
  search.addEventListener('keydown', async e => {
    if (e.key === 'Enter') {
      e.preventDefault();       // Enter picks, it does not submit a half-filled form
      if (searched !== search.value.trim()) {     // typed faster than the search: search first
        clearTimeout(timer);
        await runSearch();
      }
      const picks = results.querySelectorAll('button.pick');
      if (picks.length === 1) picks[0].click();
      else picks[0]?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      results.querySelector('button.pick')?.focus();
    }
  });
  const moveInResults = e => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const picks = [...results.querySelectorAll('button.pick')];
    const at = picks.indexOf(document.activeElement);
    if (e.key === 'ArrowUp' && at === 0) search.focus();
    else picks[Math.min(picks.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };

  const clearError = field => {
    errors[field].textContent = '';
    inputs[field].removeAttribute('aria-invalid');
  };
  const showError = error => {
    FIELDS.forEach(clearError);
    const field = error.field ? error.field.split(/[ .(\[]/)[0] : null;
    const problems = error.problems.length > 1 ? error.problems : [];
    if (field && FIELDS.includes(field) && problems.length === 0) {
      alert.hidden = true;
      errors[field].textContent = error.message.startsWith(error.field + ': ') ? error.message.slice(error.field.length + 2)
        : error.message;
      inputs[field].setAttribute('aria-invalid', 'true');
      inputs[field].focus();
      return;
    }
    for (const p of error.problems) {           // the new connection's own fields carry their problem too
      if (FIELDS.includes(p.path)) {
        errors[p.path].textContent = p.message;
        inputs[p.path].setAttribute('aria-invalid', 'true');
      }
    }
    fill(alert, error.problems.length > 0 ? 'The registry refused this change: routers of this deployment would not accept'
      + ' the topology.' : error.message,
      problems.length > 0 || error.problems.length === 1
        ? h('ul', {}, error.problems.map(p => h('li', {}, h('code', {}, p.path), ': ', p.message))) : null);
    alert.hidden = false;
    alert.setAttribute('tabindex', '-1');
    alert.focus();
  };

  const save = h('button', { type: 'submit', class: 'primary', id: 'bm-save' }, editing ? 'Save changes' : 'Add backend');
  const cancel = h('button', { type: 'button', id: 'bm-cancel', onclick: () => close() }, 'Cancel');
  const form = h('form', { novalidate: true, onsubmit: async e => {
    e.preventDefault();
    const r = BackendRole[role.value];
    const priorityText = priority.value.trim();
    const backend = new ServiceBackend({
      id: editing ? existing.connection.id : null,
      serviceDeploymentId: deployment.id,
      backendDeploymentId: chosen ? chosen.id : null,
      role: r.name,
      priority: !r.priority || priorityText === '' ? null : /^-?[0-9]+$/.test(priorityText) ? Number(priorityText) : priorityText,
      routingKey: r.routingKey === 'none' ? null : routingKey.value.trim() || null,
      group: group.value.trim() || null,
    });
    save.disabled = true;
    try {
      const saved = editing ? await service.updateBackend(backend, etag) : await service.addBackend(backend);
      close();
      onSaved(saved, chosen);
    } catch (error) {
      showError(error);
      if (error.status === 412 && reread) {
        try {
          const fresh = await reread();
          etag = fresh.etag;
          fillFrom(fresh.backend);
          showFieldsForRole();
          alert.append(h('p', {}, 'The form now shows their version: save again to replace it, or cancel.'));
        } catch (e) {
          alert.append(h('p', {}, e.message));
        }
        onSaved(null, chosen);      // the list behind shows their version too
      }
    } finally {
      save.disabled = false;
    }
  } },
    h('h2', { id: 'bm-title' }, editing ? `Edit backend ${chosen.title}` : `Add a backend to ${deployment.title}`),
    alert,
    h('div', { class: 'field' },
      editing ? h('span', { class: 'label' }, h('strong', {}, 'Backend deployment')) : h('label', { for: 'bm-search' }, 'Backend deployment'),
      editing ? null : search,
      editing ? null : h('p', { class: 'hint', id: 'bm-search-hint' }, 'Type part of its name, or its id; then choose it below.'),
      editing ? null : results,
      chosenLine, errors.backendDeploymentId),
    h('div', { class: 'field' }, h('label', { for: 'bm-role' }, 'Role'), role, roleHint, errors.role),
    priorityField,
    routingKeyField,
    h('div', { class: 'field' }, h('label', { for: 'bm-group' }, 'Group'), group,
      h('p', { class: 'hint', id: 'bm-group-hint' }, 'The group routers call it through (http://GROUP/…); empty means default.'),
      errors.group),
    h('div', { class: 'buttons' }, cancel, save));

  const dialog = h('dialog', { id: 'backend-modal', 'aria-modal': 'true', 'aria-labelledby': 'bm-title' }, form);
  const close = openModal(dialog, { initialFocus: editing ? role : search });
  return close;
}
