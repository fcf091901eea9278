// Security groups: the list, global ones marked; members may attach but not change them.
import { api, enc } from '../api.js';
import { h, replace, keepFocus, table, filterBox, idTag } from '../dom.js';
import { session, visibleGroups } from '../session.js';
import { pageHeader, editable, confirmDeleteGroup, deleteRefusal, deleteRefused } from './common.js';

export async function groupsPage(el) {
  const region = h('div', { id: 'groups-region' });
  const filter = filterBox(region, 'Filter groups');
  replace(el, pageHeader('Security groups', filter.el, h('a', { class: 'button primary', href: '#/groups/new' }, 'New group')), region);

  async function refresh() {
    const [groups, vnics, all] = await Promise.all([visibleGroups(), api.list('/v1/vnics'), api.list('/v1/security-groups')]);
    groups.sort((a, b) => a.name.localeCompare(b.name));
    const members = (id) => vnics.filter((v) => v.securityGroups.includes(id)).length;
    keepFocus(region, () => replace(region, table('Security groups in ' + (session.project ? session.projectName(session.project) : 'all projects'),
      ['Name', 'Description', 'Project', 'Rules', 'Vnics', 'Actions'],
      groups.map((g) => [g, deleteRefusal(g, vnics, all)]).map(([g, refusal]) => h('tr', { dataset: { group: g.id } },
        h('th', { scope: 'row' }, h('a', { href: `#/groups/${enc(g.id)}`, dataset: { key: `open-${g.id}` } }, g.name),
          idTag(g.id), g.global ? h('span', { class: 'badge', title: 'Global: any project may attach it' }, 'global') : null,
          g.stateful ? null : h('span', { class: 'badge' }, 'stateless')),
        h('td', {}, g.description),
        h('td', {}, g.global ? 'all (global)' : session.projectName(g.project)),
        h('td', { class: 'num' }, g.rules.length),
        h('td', { class: 'num' }, members(g.id)),
        h('td', { class: 'actions' }, editable(g)
          ? [h('a', { class: 'button', href: `#/groups/${enc(g.id)}/edit`, dataset: { key: `edit-${g.id}` } }, 'Edit'),
            refusal ? deleteRefused(g, refusal) : h('button', { type: 'button', class: 'danger', dataset: { key: `del-${g.id}` }, 'aria-label': `Delete ${g.name}`,
              onclick: () => confirmDeleteGroup(g, refresh) }, 'Delete')]
          : h('span', { class: 'muted' }, 'attach only')))),
      'No security groups yet. Create one with “New group”.')));
    filter.apply();
  }
  await refresh();
  return { refresh };
}
