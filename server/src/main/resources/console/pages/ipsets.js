// Ip sets: create (name, description, IP version), entries with descriptions, bulk paste, and the rules that use a set.
import { api, enc } from '../api.js';
import { h, replace, keepFocus, table, status, field, option, formError, showError, clearErrors, dialog, safe, idTag } from '../dom.js';
import { session } from '../session.js';
import { pageHeader, namedRuleTexts } from './common.js';

export async function ipSetsPage(el) {
  const region = h('div');
  const name = h('input', { name: 'name', required: true, autocomplete: 'off' });
  const description = h('input', { name: 'description', autocomplete: 'off' });
  const version = h('select', { name: 'version' }, option('4', 'IPv4'), option('6', 'IPv6'));
  const project = h('select', { name: 'project' }, session.projects.map((p) => option(p.id, p.name, p.id === session.project)));
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-ipset-h', onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = { name: name.value.trim(), description: description.value, version: Number(version.value) };
    if (session.admin) body.project = project.value;
    try {
      const s = await api.post('/v1/ip-sets', body);
      status(`Created ip set ${s.name}.`);
      location.hash = `#/ip-sets/${enc(s.id)}`;
    } catch (err) {
      showError(form, err);
    }
  } }, h('h2', { id: 'new-ipset-h' }, 'New ip set'),
  h('div', { class: 'row' }, field('Name', name), field('Description', description), field('IP version', version), session.admin ? field('Project', project) : null),
  formError(), h('button', { type: 'submit', class: 'primary' }, 'Create ip set'));
  replace(el, pageHeader('Ip sets'), region, form);

  async function refresh() {
    const sets = await api.list(session.scoped('/v1/ip-sets'));
    sets.sort((a, b) => a.name.localeCompare(b.name));
    keepFocus(region, () => replace(region, table('Ip sets', ['Name', 'Description', 'Version', 'Entries', 'Used by'],
      sets.map((s) => h('tr', {}, h('th', { scope: 'row' }, h('a', { href: `#/ip-sets/${enc(s.id)}` }, s.name), idTag(s.id),
        s.global ? h('span', { class: 'badge' }, 'global') : null),
      h('td', {}, s.description), h('td', {}, `IPv${s.version}`), h('td', { class: 'num' }, s.entries.length),
      h('td', {}, s.usedBy.length ? `${s.usedBy.length} group${s.usedBy.length > 1 ? 's' : ''}` : '—'))),
      'No ip sets yet.')));
  }
  await refresh();
  return { refresh };
}

export async function ipSetPage(el, id) {
  const region = h('div');
  const result = h('div', { class: 'bulk-result', 'aria-live': 'polite' });
  const paste = h('textarea', { name: 'entries', rows: 6, spellcheck: 'false' });
  const bulk = h('form', { class: 'card', 'aria-labelledby': 'bulk-h', onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(bulk);
    const entries = paste.value.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => {
      const m = l.match(/^(\S+)\s*(?:#\s*(.*))?$/) || [null, l, ''];
      return m[2] ? { cidr: m[1], description: m[2] } : m[1];
    });
    try {
      const r = await api.post(`/v1/ip-sets/${enc(id)}/entries`, { entries });
      const invalid = r.invalid || [];
      replace(result,
        h('p', {}, `Added ${(r.added || []).length}, skipped ${(r.duplicates || []).length} duplicate${(r.duplicates || []).length === 1 ? '' : 's'}, ${invalid.length} invalid.`),
        invalid.length ? h('ul', { class: 'invalid-entries' }, invalid.map((x) => h('li', {}, h('code', {}, x.entry), ': ', x.reason))) : null,
        (r.duplicates || []).length ? h('p', { class: 'muted' }, 'Duplicates: ', r.duplicates.join(', ')) : null);
      paste.value = invalid.map((x) => x.entry).join('\n');
      status(`Added ${(r.added || []).length} entries.`);
      await refresh();
    } catch (err) {
      showError(bulk, err);
    }
  } }, h('h2', { id: 'bulk-h' }, 'Add entries'),
  field('Entries, one a line', paste, 'A CIDR or an address, optionally followed by # and a description. Duplicates are skipped; invalid lines are listed with the reason and left here to fix.'),
  formError(), h('button', { type: 'submit', class: 'primary' }, 'Add entries'), result);
  const usersRegion = h('section', { 'aria-labelledby': 'users-h' });
  replace(el, region, bulk, usersRegion);

  let editBox = null;

  /** Name, description, and the version while the set is empty (the server refuses it otherwise). */
  function editForm(s) {
    const name = h('input', { name: 'name', required: true, value: s.name, autocomplete: 'off' });
    const description = h('input', { name: 'description', value: s.description, autocomplete: 'off' });
    const version = h('select', { name: 'version', disabled: s.entries.length > 0 }, option('4', 'IPv4', s.version === 4), option('6', 'IPv6', s.version === 6));
    const f = h('form', { 'aria-label': `Change ip set ${s.name}`, onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(f);
      const body = {};
      if (name.value.trim() !== s.name) body.name = name.value.trim();
      if (description.value !== s.description) body.description = description.value;
      if (Number(version.value) !== s.version) body.version = Number(version.value);
      try {
        await api.patch(`/v1/ip-sets/${enc(s.id)}`, body);
        status(`Saved ip set ${name.value.trim()}.`);
        editBox.open = false;
        await refresh();
      } catch (err) {
        showError(f, err);
      }
    } }, h('div', { class: 'row' }, field('Name', name), field('Description', description),
      field('IP version', version, s.entries.length ? 'Fixed while the set has entries' : null)), formError(), h('button', { type: 'submit' }, 'Save'));
    return h('details', { class: 'card' }, h('summary', {}, 'Change name, description or version'), f);
  }

  async function refresh() {
    const [s, groups] = await Promise.all([api.get(`/v1/ip-sets/${enc(id)}`), api.list('/v1/security-groups')]);
    const users = groups.flatMap((g) => g.rules.filter((r) => r.remoteIpSet === s.id).map((r) => ({ g, r })));
    const texts = new Map((await Promise.all([...new Set(users.map((u) => u.g))].map(namedRuleTexts))).flatMap((m) => [...m]));
    if (!editBox || !editBox.open) editBox = editForm(s); // kept while open, so a change elsewhere does not eat what is being typed
    keepFocus(region, () => replace(region,
      pageHeader(s.name, users.length ? h('span', { class: 'muted refused', dataset: { key: `nodel-${s.id}` } }, `Used by ${users.length} rule${users.length > 1 ? 's' : ''}: remove ${users.length > 1 ? 'them' : 'it'} to delete this set.`)
        : h('button', { type: 'button', class: 'danger', onclick: () => dialog(`Delete ip set ${s.name}?`, (close) => {
        const f = h('form', { onsubmit: async (e) => {
          e.preventDefault();
          try {
            await api.del(`/v1/ip-sets/${enc(s.id)}`);
            close();
            status(`Deleted ip set ${s.name}.`);
            location.hash = '#/ip-sets';
          } catch (err) {
            showError(f, err);
          }
        } }, h('p', {}, 'No rule uses it.'),
        formError(), h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: close }, 'Cancel'), h('button', { type: 'submit', class: 'danger' }, 'Delete')));
        return f;
      }) }, 'Delete')),
      h('dl', { class: 'facts' }, h('dt', { class: 'obj-id' }, 'Id'), h('dd', { class: 'obj-id' }, h('code', {}, s.id)), h('dt', {}, 'Version'), h('dd', {}, `IPv${s.version}`),
        h('dt', {}, 'Description'), h('dd', {}, s.description || '—'), h('dt', {}, 'Project'), h('dd', {}, session.projectName(s.project))),
      editBox,
      h('section', { 'aria-labelledby': 'entries-h' }, h('h2', { id: 'entries-h' }, `Entries (${s.entries.length})`),
        table(`Entries of ${s.name}`, ['CIDR', 'Description', ''], s.entries.map((x) => h('tr', {}, h('th', { scope: 'row' }, h('code', {}, x.cidr)), h('td', {}, x.description),
          h('td', {}, h('button', { type: 'button', class: 'small', dataset: { key: `rm-${x.cidr}` }, 'aria-label': `Remove ${x.cidr}`, onclick: safe(async () => {
            await api.del(`/v1/ip-sets/${enc(s.id)}/entries`, { entries: [x.cidr] });
            status(`Removed ${x.cidr}.`);
            await refresh();
          }) }, 'Remove')))), 'No entries yet.'))));
    replace(usersRegion, h('h2', { id: 'users-h' }, 'Rules that use it'),
      users.length ? h('ul', {}, users.map(({ g, r }) => h('li', {}, h('a', { href: `#/groups/${enc(g.id)}` }, g.name), ': ', h('code', {}, texts.get(r.id)))))
        : h('p', { class: 'empty' }, 'No rule uses this ip set.'));
  }
  await refresh();
  return { refresh };
}
