// Create or edit a security group: its fields, and rules as Wakame text or one by one in a form.
import { api, enc } from '../api.js';
import { h, replace, field, formError, showError, clearErrors, status, option, safe } from '../dom.js';
import { session, visibleGroups } from '../session.js';
import { ruleEditor } from '../rule-editor.js';
import { ruleForm, describeRule } from '../rule-form.js';
import { pageHeader, byId, namedRuleTexts, ruleTextOf } from './common.js';

export async function groupFormPage(el, id) {
  const editing = id !== undefined;
  let g = editing ? await api.get(`/v1/security-groups/${enc(id)}`) : null;
  let texts = g ? await namedRuleTexts(g) : new Map();
  const [groups, ipSets] = await Promise.all([visibleGroups(), api.list(session.scoped('/v1/ip-sets'))]);
  const names = new Map([...groups, ...ipSets].map((x) => [x.id, x.name]));

  const name = h('input', { name: 'name', required: true, autocomplete: 'off', value: g ? g.name : '' });
  const description = h('input', { name: 'description', autocomplete: 'off', value: g ? g.description : '' });
  const stateful = h('input', { type: 'checkbox', name: 'stateful', checked: g ? g.stateful : true });
  const project = h('select', { name: 'project' }, session.projects.map((p) => option(p.id, p.name, p.id === session.project)));
  const global = h('input', { type: 'checkbox', name: 'global' });
  const editor = ruleEditor({
    value: g ? ruleTextOf(g, texts) : '',
    check: (text) => api.post('/v1/rule-text/check', { text, project: g ? g.project : (session.admin ? project.value : session.project) }),
  });
  let savedText = editor.value;

  // Rules one by one: on a new group they wait in a list and go with the create; on an existing one each is added at once.
  const pending = [];
  const pendingList = h('ul', { class: 'pending-rules', 'aria-label': editing ? 'Rules of the group' : 'Rules to create' });
  const rf = ruleForm({
    groups: groups.filter((x) => !g || x.project === g.project || x.global),
    ipSets,
    onAdd: async (rule, form) => {
      if (!editing) {
        pending.push({ rule, error: null });
        paintPending();
        rf.reset();
        status(`Rule added to the list (${pending.length}).`);
        return;
      }
      try {
        await api.post(`/v1/security-groups/${enc(g.id)}/rules`, rule);
        rf.reset();
        status('Rule added.');
        await reload();
      } catch (err) {
        showError(form, err);
      }
    },
  });

  function paintPending() {
    const items = editing
      ? g.rules.map((r) => h('li', {}, h('code', {}, texts.get(r.id)), ' ',
        h('button', { type: 'button', class: 'link danger', 'aria-label': `Remove rule ${texts.get(r.id)}`, onclick: safe(async () => {
          await api.del(`/v1/security-groups/${enc(g.id)}/rules/${enc(r.id)}`);
          status(`Removed ${texts.get(r.id)}.`);
          await reload();
        }) }, 'Remove')))
      : pending.map((p, i) => h('li', { class: p.error ? 'invalid' : null }, describeRule(p.rule, names), ' ',
        h('button', { type: 'button', class: 'link danger', 'aria-label': `Remove rule ${i + 1}`, onclick: () => {
          pending.splice(i, 1);
          paintPending();
        } }, 'Remove'),
        p.error ? h('p', { class: 'field-error' }, p.error) : null));
    replace(pendingList, items.length ? items : h('li', { class: 'muted' }, 'No rules yet.'));
  }

  async function reload() {
    g = await api.get(`/v1/security-groups/${enc(g.id)}`);
    texts = await namedRuleTexts(g);
    if (editor.value === savedText) {
      editor.value = ruleTextOf(g, texts);
      savedText = editor.value;
    }
    paintPending();
  }

  const modeText = h('input', { type: 'radio', name: 'mode', value: 'text', id: 'mode-text', checked: true });
  const modeForm = h('input', { type: 'radio', name: 'mode', value: 'form', id: 'mode-form' });
  const textPane = h('div', {}, editor.el);
  const formPane = h('div', { hidden: true }, pendingList, rf.form);
  // Editing one by one applies each rule at once: then there is nothing to cancel, and Save saves only the rest.
  const cancel = h('a', { class: 'button', id: 'cancel-group', href: editing ? `#/groups/${enc(g.id)}` : '#/groups' }, 'Cancel');
  const save = h('button', { type: 'submit', class: 'primary', form: 'group-form', id: 'save-group' }, editing ? 'Save' : 'Create group');
  const pick = () => {
    textPane.hidden = !modeText.checked;
    formPane.hidden = modeText.checked;
    if (editing) {
      cancel.textContent = modeText.checked ? 'Cancel' : 'Done';
      save.textContent = modeText.checked ? 'Save' : 'Save name and description';
    }
  };
  [modeText, modeForm].forEach((r) => r.addEventListener('change', pick));

  const main = h('form', { 'aria-label': 'Security group', onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(main);
    editor.clear();
    try {
      if (!editing) {
        const body = { name: name.value.trim(), description: description.value, stateful: stateful.checked };
        if (session.admin) {
          body.project = project.value;
          if (global.checked) body.global = true;
        }
        if (modeText.checked) body.rulesText = editor.value;
        else body.rules = pending.map((p) => p.rule);
        const made = await api.post('/v1/security-groups', body);
        status(`Created security group ${made.name}.`);
        location.hash = `#/groups/${enc(made.id)}`;
        return;
      }
      const changes = {};
      if (name.value.trim() !== g.name) changes.name = name.value.trim();
      if (description.value !== g.description) changes.description = description.value;
      if (stateful.checked !== g.stateful) changes.stateful = stateful.checked;
      if (Object.keys(changes).length) await api.patch(`/v1/security-groups/${enc(g.id)}`, changes);
      if (modeText.checked && editor.value !== savedText) await api.putText(`/v1/security-groups/${enc(g.id)}/rules`, editor.value);
      status(`Saved security group ${name.value.trim()}.`);
      location.hash = `#/groups/${enc(g.id)}`;
    } catch (err) {
      if (err.code === 'invalid_rule_text') {
        editor.showApiError(err);
        status(`Rule text: ${err.message}`, true);
        return;
      }
      const m = err.field && err.field.match(/^rules\[(\d+)\]/);
      if (m && pending[+m[1]]) {
        pending.forEach((p) => { p.error = null; });
        pending[+m[1]].error = err.message;
        paintPending();
        status(err.message, true);
        return;
      }
      showError(main, err);
    }
  } },
  field('Name', name),
  field('Description', description),
  !editing && session.admin ? field('Project', project) : null,
  h('div', { class: 'check' }, stateful, h('label', { for: stateful.id = 'stateful' }, 'Stateful (replies to allowed flows pass)')),
  !editing && session.admin ? h('div', { class: 'check' }, global, h('label', { for: global.id = 'global' }, 'Global (any project may attach it; only admins change it)')) : null,
  h('fieldset', { class: 'modes' }, h('legend', {}, 'Rules'),
    h('div', { class: 'check' }, modeText, h('label', { for: 'mode-text' }, 'Write them as rule text')),
    h('div', { class: 'check' }, modeForm, h('label', { for: 'mode-form' }, editing ? 'Add or remove them one by one (applied at once)' : 'Add them one by one in a form'))),
  textPane,
  formError());
  main.id = 'group-form';
  const buttons = h('div', { class: 'buttons' }, cancel, save);

  replace(el, pageHeader(editing ? `Edit ${g.name}` : 'New security group'), h('div', { class: 'card' }, main, formPane, buttons));
  paintPending();
  return {
    async refresh() {
      if (editing) await reload();
      const [gs, ss] = await Promise.all([visibleGroups(), api.list(session.scoped('/v1/ip-sets'))]);
      rf.update(gs.filter((x) => !g || x.project === g.project || x.global), ss);
      byId(gs).forEach((x, k) => names.set(k, x.name));
    },
  };
}
