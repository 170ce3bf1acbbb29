// Builds elements from data with textContent only: nothing from the registry is ever parsed as HTML.

/**
 * h('button', { class: 'small', onclick: fn, 'aria-label': 'Edit' }, 'Edit')
 * Properties starting with "on" become listeners; false/null attributes are left out.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of an element. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Says something to screen readers without moving focus. */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (region) {
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 30);
  }
}

/**
 * Renders into `container` without losing the keyboard's place: when the focus was inside, it goes
 * back to the new element of the same `data-focus-key` (the same button of the same row), else to
 * `fallback()` when that element is gone.
 */
export function keepingFocus(container, render, fallback = () => null) {
  const active = document.activeElement;
  const inside = active && active !== document.body && container.contains(active);
  const key = inside ? active.dataset.focusKey : null;
  render();
  if (!inside || container.contains(active)) return;
  const again = key ? container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`) : null;
  (again ?? fallback())?.focus();
}
