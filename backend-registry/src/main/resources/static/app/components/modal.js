// What every dialog of the page does: opens modal (the page behind is inert), keeps Tab and
// Shift+Tab inside, closes on Escape, and gives focus back to what opened it.

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]),'
  + ' textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function openModal(dialog, { onClose = () => {}, initialFocus = null } = {}) {
  const opener = document.activeElement;
  const keepFocusInside = event => {
    if (event.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll(FOCUSABLE)].filter(e => e.offsetParent !== null || e === document.activeElement);
    if (focusable.length === 0) { event.preventDefault(); return; }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      first.focus();
    }
  };
  const closed = () => {
    dialog.removeEventListener('keydown', keepFocusInside);
    dialog.remove();
    onClose();
    if (opener && opener.isConnected) {
      opener.focus();
    } else {      // the page was drawn again meanwhile: the same control, else the page's heading
      const key = opener?.dataset?.focusKey;
      const again = key ? document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`) : null;
      (again ?? document.querySelector('main h1'))?.focus();
    }
  };
  dialog.addEventListener('keydown', keepFocusInside);
  dialog.addEventListener('close', closed, { once: true });
  document.body.append(dialog);
  dialog.showModal();   // Escape sends 'cancel' and closes it
  (initialFocus ?? dialog.querySelector(FOCUSABLE))?.focus();
  return () => { if (dialog.open) dialog.close(); };
}
