import { h } from '../dom.js';
import { roleOf } from '../models.js';

/** A role as a badge: its own colour and always its name, so it reads without colour. */
export function roleBadge(role) {
  const r = roleOf(role);
  return h('span', { class: `badge role-${r.name}`, title: `${r.label}: ${r.description}`, dataset: { role: r.name } }, r.name);
}
