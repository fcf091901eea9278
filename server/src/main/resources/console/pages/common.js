// Pieces several pages share: group chips, the delete-group dialog, the group picker.
import { api, enc } from '../api.js';
import { h, dialog, status, formError, showError, idTag } from '../dom.js';
import { session, vnicLabel } from '../session.js';

export function groupChip(g, id) {
  if (!g) return h('span', { class: 'chip missing' }, id);
  return h('a', { class: `chip${g.global ? ' global' : ''}`, href: `#/groups/${enc(g.id)}`, title: g.id },
    g.name, g.global ? h('span', { class: 'badge' }, 'global') : null);
}

export const byId = (items) => new Map(items.map((x) => [x.id, x]));

/**
 * Each rule of a group (by rule id) as the server writes its rule text, which names groups and ip
 * sets where the name is unambiguous: one line a rule, in the order of the group's rules. Where the
 * group changed between the two reads, the rule's own text (by ids) stands in.
 */
export async function namedRuleTexts(g) {
  const lines = (await api.getText(`/v1/security-groups/${enc(g.id)}/rules`)).split('\n').slice(0, -1);
  return new Map(g.rules.map((r, i) => [r.id, lines.length === g.rules.length ? lines[i] : r.text]));
}

/** A group's rules as one rule text (each line as namedRuleTexts gives it), ending in a newline when there are rules. */
export const ruleTextOf = (g, texts) => g.rules.map((r) => texts.get(r.id)).join('\n') + (g.rules.length ? '\n' : '');

export function pageHeader(title, ...actions) {
  return h('div', { class: 'page-head' }, h('h1', {}, title), h('div', { class: 'actions' }, actions));
}

/** Whether the signed-in caller may change this group (members cannot change global ones). */
export const editable = (g) => session.admin || !g.global;

/**
 * Why the server will refuse to delete this group under the profile, or null: the default group
 * (only an admin may delete it), or a group in use (by vnics, or named by other groups' rules)
 * unless the profile detaches it (vnics) or removes the rules naming it (references).
 */
export function deleteRefusal(g, vnics, groups) {
  const p = session.policy;
  if (p.defaultGroup === 'true' && g.name === 'default' && !session.admin) return 'The default group can be deleted only by an admin.';
  const used = vnics.some((v) => v.securityGroups.includes(g.id));
  const named = groups.some((x) => x.id !== g.id && x.rules.some((r) => r.remoteGroup === g.id));
  if (p.groupDeletion === 'detach' || (!used && !named) || (p.groupDeletion === 'cascade-rules' && !used)) return null;
  return `In use${used ? ' by vnics' : ' by rules of other groups'}: the ${p.profile} profile refuses to delete it; detach it first.`;
}

/** In place of "Delete" where the server would refuse: why not. */
export function deleteRefused(g, reason) {
  return h('span', { class: 'muted refused', dataset: { key: `nodel-${g.id}` }, title: reason }, reason.startsWith('In use') ? 'in use' : 'default group');
}

/**
 * Asks before deleting a group, naming the vnics that lose it and the groups whose rules name it;
 * what happens to them follows the profile (detached and the rules removed). Where the profile
 * refuses (the group came into use since the page was drawn), the dialog says why and offers no Delete.
 */
export async function confirmDeleteGroup(g, after) {
  const [vnics, groups] = await Promise.all([api.list('/v1/vnics'), api.list('/v1/security-groups')]);
  const losing = vnics.filter((v) => v.securityGroups.includes(g.id));
  const referencing = groups.filter((x) => x.id !== g.id && x.rules.some((r) => r.remoteGroup === g.id));
  const refusal = deleteRefusal(g, vnics, groups);
  dialog(`Delete security group ${g.name}?`, (close) => {
    const form = h('form', { onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api.del(`/v1/security-groups/${enc(g.id)}`);
        close();
        status(`Deleted security group ${g.name}.`);
        after();
      } catch (err) {
        showError(form, err);
      }
    } },
    losing.length === 0 ? h('p', {}, 'No vnic uses this group.')
      : h('div', {}, h('p', {}, `${losing.length} vnic${losing.length > 1 ? 's' : ''} lose${losing.length > 1 ? '' : 's'} it:`),
        h('ul', { class: 'losing' }, losing.map((v) => h('li', {}, vnicLabel(v), ' ', h('span', { class: 'muted' }, v.addresses.join(', ')))))),
    referencing.length === 0 ? null
      : h('p', {}, 'Rules of these groups name it: ', referencing.map((x) => x.name).join(', '), '.'),
    refusal ? h('p', { class: 'note' }, refusal)
      : (losing.length || referencing.length) ? h('p', { class: 'note' }, 'They are detached and the referencing rules removed, in one change.') : null,
    formError(),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', onclick: close }, refusal ? 'Close' : 'Cancel'),
      refusal ? null : h('button', { type: 'submit', class: 'danger' }, 'Delete')));
    return form;
  });
}

/** Checkboxes for a set of groups (global ones marked); mixed = ids only some of the vnics have. */
export function groupChecklist(groups, checked, mixed = new Set(), name = 'securityGroups') {
  const box = h('fieldset', { class: 'checklist' }, h('legend', {}, 'Security groups'));
  if (groups.length === 0) box.append(h('p', { class: 'empty' }, 'No group can be attached here.'));
  for (const g of [...groups].sort((a, b) => a.name.localeCompare(b.name))) {
    const input = h('input', { type: 'checkbox', name, value: g.id, checked: checked.has(g.id), id: `chk-${g.id}-${name}` });
    if (mixed.has(g.id)) input.indeterminate = true;
    box.append(h('div', { class: 'check' }, input,
      h('label', { for: input.id }, g.name, idTag(g.id), g.global ? h('span', { class: 'badge' }, 'global') : null,
        mixed.has(g.id) ? h('span', { class: 'muted' }, ' (some vnics)') : null)));
  }
  const err = h('p', { class: 'field-error', id: `${name}-error`, hidden: true });
  box.append(err);
  return box;
}

/** The ids checked in a checklist, keeping the order of the vnic's current groups first. */
export function checkedIds(form, name = 'securityGroups', keep = []) {
  const inputs = [...form.querySelectorAll(`input[name="${name}"]`)];
  const on = inputs.filter((i) => i.checked && !i.indeterminate).map((i) => i.value);
  const mixedKept = inputs.filter((i) => i.indeterminate).map((i) => i.value);
  return { on: [...keep.filter((x) => on.includes(x)), ...on.filter((x) => !keep.includes(x))], mixed: mixedKept };
}
