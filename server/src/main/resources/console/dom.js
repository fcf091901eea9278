// A tiny DOM toolkit: element building, field errors next to inputs, modal dialogs, live status.

/** h('button', {class: 'x', onclick: f}, 'text', child...) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const IDS_KEY = 'stockade.showIds';

/** Whether objects' ids are shown beside their names (the "Show ids" switch); setting it shows or hides them at once. */
export function showIds(on) {
  if (on !== undefined) sessionStorage.setItem(IDS_KEY, on ? '1' : '');
  const shown = sessionStorage.getItem(IDS_KEY) === '1';
  document.body.classList.toggle('show-ids', shown);
  return shown;
}

/** An object's id beside its name: hidden unless "Show ids" is on. */
export function idTag(id) {
  return h('span', { class: 'obj-id muted' }, ` ${id}`);
}

let idCounter = 0;
export const uid = (p = 'f') => `${p}-${++idCounter}`;

/** A labelled field: the label, the control, an optional hint, and a slot for its error. */
export function field(labelText, control, hint) {
  const id = control.id || (control.id = uid());
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const parts = [h('label', { for: id }, labelText), control];
  const described = [err.id];
  if (hint) {
    const hintEl = h('p', { class: 'hint', id: `${id}-hint` }, hint);
    parts.push(hintEl);
    described.unshift(hintEl.id);
  }
  control.setAttribute('aria-describedby', described.join(' '));
  parts.push(err);
  return h('div', { class: 'field' }, parts);
}

/** Shows an API error next to the control named by its field (or in the form's error box). */
export function showError(form, err) {
  clearErrors(form);
  const name = err.field ? err.field.replace(/^.*\./, '') : null;
  const control = (err.field && (form.querySelector(`[name="${err.field}"]`) || form.querySelector(`[name="${name}"]`))) || null;
  if (control) {
    const slot = document.getElementById(`${control.id}-error`);
    control.setAttribute('aria-invalid', 'true');
    if (slot) {
      slot.textContent = err.message;
      slot.hidden = false;
    }
    control.focus();
  }
  const box = form.querySelector('.form-error');
  if (box && (!control || !document.getElementById(`${control.id}-error`))) {
    box.textContent = err.message;
    box.hidden = false;
  }
  status(err.message, true);
}

export function clearErrors(form) {
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error, .form-error').forEach((e) => {
    e.hidden = true;
    e.textContent = '';
  });
}

export const formError = () => h('p', { class: 'form-error', role: 'alert', hidden: true });

/** Announces a message in the aria-live status bar. */
export function status(message, isError = false) {
  const bar = document.getElementById('status');
  if (!bar) return;
  bar.textContent = message;
  bar.classList.toggle('error', isError && message !== '');
}

/**
 * A modal <dialog>: focus stays inside (the page behind is inert), Escape or Cancel closes it and
 * focus returns to where it was. body(close) builds the content.
 */
export function dialog(title, body) {
  const opener = document.activeElement;
  const titleId = uid('dlg');
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
  const close = () => dlg.close();
  dlg.addEventListener('close', () => {
    dlg.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  replace(dlg, h('h2', { id: titleId }, title), body(close));
  document.body.append(dlg);
  dlg.showModal();
  const first = dlg.querySelector('[autofocus], input, select, textarea, button');
  if (first) first.focus();
  return dlg;
}

/**
 * Asks before a destructive action: run() happens only on the named button, nothing on Cancel or
 * Escape.
 */
export function confirmAction(question, yes, run) {
  return dialog(question, (close) => h('div', {},
    h('p', {}, 'This cannot be undone.'),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'danger', onclick: async () => { close(); await run(); } }, yes),
      h('button', { type: 'button', autofocus: true, onclick: close }, 'Cancel'))));
}

/** An event handler whose failure is announced in the status bar instead of being lost. */
export function safe(f) {
  return async (...args) => {
    try {
      await f(...args);
    } catch (err) {
      status(err.message, true);
    }
  };
}

/** Re-renders a region keeping focus on the element with the same data-key, if it still exists. */
export function keepFocus(region, render) {
  const active = document.activeElement;
  const key = active && region.contains(active) ? active.dataset.key : null;
  render();
  if (key) {
    const again = region.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

/**
 * A search box that hides the rows of a region's table whose text does not contain what is typed;
 * rows with the same data-{groupKey} (one instance's vnics) show or hide together.
 */
export function filterBox(region, label = 'Filter', groupKey = null) {
  const input = h('input', { type: 'search', id: uid('filter'), autocomplete: 'off', placeholder: 'name, id, address…' });
  const apply = () => {
    const q = input.value.trim().toLowerCase();
    const rows = [...region.querySelectorAll('tbody tr')];
    const hit = (tr) => q === '' || tr.textContent.toLowerCase().includes(q);
    const shown = new Set(rows.filter(hit).map((tr) => (groupKey ? tr.dataset[groupKey] : tr)));
    rows.forEach((tr) => { tr.hidden = !shown.has(groupKey ? tr.dataset[groupKey] : tr); });
  };
  ['input', 'change', 'search'].forEach((t) => input.addEventListener(t, apply));
  return { el: h('div', { class: 'filter' }, h('label', { for: input.id }, label), input), apply };
}

export function table(caption, headers, rows, empty = 'Nothing here yet.') {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', {}, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows));
}

export function option(value, text, selected) {
  return h('option', { value, selected: !!selected }, text);
}
