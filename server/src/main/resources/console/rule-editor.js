// The Wakame rule text editor: a textarea with line numbers, and errors marked at their line and column.
import { h, replace, uid } from './dom.js';

/** Errors from the API: "2:15: what; 3:1: what" in the message, else the first one's line and column. */
function ruleErrors(err) {
  const parts = err.message.split(/; (?=\d+:\d+: )/).map((p) => p.match(/^(\d+):(\d+): ([\s\S]*)$/));
  if (parts.every(Boolean)) return parts.map(([, l, c, m]) => ({ line: +l, column: +c, message: m }));
  return [{ line: err.line || 1, column: err.column || 1, message: err.message }];
}

/**
 * check(text) -> {valid, rules, errors} (the server's reading of the text, nothing saved): asked a
 * moment after typing stops, so errors show at their line and column while writing.
 */
export function ruleEditor({ name = 'rulesText', value = '', label = 'Rules (Wakame rule text)', check = null } = {}) {
  const id = uid('rules');
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const backdrop = h('div', { class: 'backdrop', 'aria-hidden': 'true' });
  const hintId = `${id}-hint`;
  const errorBox = h('div', { class: 'rule-errors', id: `${id}-error`, role: 'alert' });
  const summary = h('p', { class: 'hint rule-summary', 'aria-live': 'polite' });
  let timer = null;
  let asked = 0;
  const textarea = h('textarea', { id, name, rows: 10, spellcheck: 'false', autocomplete: 'off', wrap: 'off',
    'aria-describedby': `${hintId} ${errorBox.id}` });
  textarea.value = value;
  let errors = [];

  function paint() {
    const lines = textarea.value.split('\n');
    const bad = new Map(errors.map((e) => [e.line, e]));
    replace(gutter, lines.map((_, i) => h('div', { class: bad.has(i + 1) ? 'error' : null, dataset: { line: i + 1 } }, i + 1)));
    replace(backdrop, lines.map((text, i) => {
      const e = bad.get(i + 1);
      if (!e) return h('div', {}, text || ' ');
      const col = Math.max(0, Math.min(e.column - 1, text.length));
      return h('div', { class: 'err-line' }, text.slice(0, col), h('mark', {}, text.slice(col, col + 1) || ' '), text.slice(col + 1));
    }));
    sync();
  }

  function sync() {
    gutter.scrollTop = textarea.scrollTop;
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
  }

  function goTo(e) {
    const lines = textarea.value.split('\n');
    let pos = 0;
    for (let i = 0; i < e.line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.max(0, e.column - 1);
    textarea.focus();
    textarea.setSelectionRange(pos, pos + 1);
  }

  async function recheck() {
    const mine = ++asked;
    try {
      const r = await check(textarea.value);
      if (mine !== asked) return;
      setErrors(r.errors);
      summary.textContent = r.valid ? `${r.rules.length} rule${r.rules.length === 1 ? '' : 's'}, no errors` : `${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`;
    } catch (err) {
      if (mine === asked) summary.textContent = `Cannot check the text now: ${err.message}`;
    }
  }

  textarea.addEventListener('input', () => {
    paint();
    if (check) {
      clearTimeout(timer);
      timer = setTimeout(recheck, 400);
    } else if (errors.length) {
      setErrors([]);
    }
  });
  textarea.addEventListener('scroll', sync);

  function setErrors(list) {
    errors = list;
    if (list.length) textarea.setAttribute('aria-invalid', 'true');
    else textarea.removeAttribute('aria-invalid');
    replace(errorBox, list.length === 0 ? null : h('ul', {}, list.map((e) => h('li', { class: 'rule-error', dataset: { line: e.line, column: e.column } },
      h('button', { type: 'button', class: 'link', onclick: () => goTo(e) }, `Line ${e.line}, column ${e.column}`), `: ${e.message}`))));
    paint();
  }

  const el = h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('p', { class: 'hint', id: hintId }, 'One rule a line, e.g. ', h('code', {}, 'tcp:22,22,ip4:0.0.0.0'), ', ',
      h('code', {}, 'tcp:3306,3306,sg-dbclnts'), ', ', h('code', {}, 'icmp:-1,-1,ip4:0.0.0.0'), ', ', h('code', {}, 'egress:udp:53,53,ip4:192.0.2.53'),
      '; ', h('code', {}, '#'), ' starts a comment (after a rule: its description).'),
    h('div', { class: 'rule-editor' }, gutter, h('div', { class: 'editor-wrap' }, backdrop, textarea)),
    summary, errorBox);
  paint();
  return {
    el,
    textarea,
    get value() { return textarea.value; },
    set value(v) { textarea.value = v; setErrors([]); },
    showApiError(err) {
      setErrors(ruleErrors(err));
      goTo(errors[0]);
    },
    clear() { setErrors([]); },
  };
}
