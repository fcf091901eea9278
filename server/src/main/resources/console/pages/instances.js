// Instances with their vnics, addresses, host and groups; one dialog sets the groups of all vnics or of one.
import { api, enc } from '../api.js';
import { h, replace, keepFocus, table, status, dialog, formError, showError, filterBox, idTag } from '../dom.js';
import { session, attachable, vnicLabel } from '../session.js';
import { pageHeader, groupChip, byId, groupChecklist, checkedIds } from './common.js';

/** The dialog: for an instance, checked = groups all its vnics have, mixed = groups only some have (left as they are). */
function groupsDialog({ title, groups, vnics, save }) {
  const all = vnics.map((v) => new Set(v.securityGroups));
  const union = new Set(vnics.flatMap((v) => v.securityGroups));
  const every = new Set([...union].filter((x) => all.every((s) => s.has(x))));
  const mixed = new Set([...union].filter((x) => !every.has(x)));
  dialog(title, (close) => {
    const form = h('form', { class: 'groups-dialog', onsubmit: async (e) => {
      e.preventDefault();
      const { on, mixed: stillMixed } = checkedIds(form, 'securityGroups', vnics.length === 1 ? vnics[0].securityGroups : []);
      try {
        await save(on, stillMixed);
        close();
      } catch (err) {
        showError(form, err);
      }
    } },
    vnics.length > 1 ? h('p', {}, `Applies to all ${vnics.length} vnics: `, vnics.map(vnicLabel).join(', '), '.') : h('p', {}, `Vnic ${vnicLabel(vnics[0])}.`),
    groupChecklist(groups, every, mixed),
    session.policy.maxGroupsPerVnic ? h('p', { class: 'hint' }, `At most ${session.policy.maxGroupsPerVnic} groups per vnic.`) : null,
    formError(),
    h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: close }, 'Cancel'), h('button', { type: 'submit', class: 'primary' }, 'Save groups')));
    return form;
  });
}

export async function instancesPage(el) {
  const region = h('div');
  const filter = filterBox(region, 'Filter instances', 'instance');
  replace(el, pageHeader('Instances', filter.el), region);

  async function refresh() {
    const [instances, groups, hosts] = await Promise.all([api.list(session.scoped('/v1/instances')), api.list('/v1/security-groups'), session.seesHosts ? api.list('/v1/hosts') : []]);
    const G = byId(groups);
    const H = byId(hosts);
    instances.sort((a, b) => a.name.localeCompare(b.name));
    const rows = [];
    for (const i of instances) {
      const choices = attachable(groups, i.project);
      const span = Math.max(1, i.vnics.length);
      const head = [h('th', { scope: 'row', rowspan: span }, i.name, idTag(i.id),
        session.project ? null : h('div', { class: 'muted' }, session.projectName(i.project)),
        i.vnics.length ? h('button', { type: 'button', class: 'small', dataset: { key: `set-${i.id}` }, 'aria-label': `Set groups of instance ${i.name}`,
          onclick: () => groupsDialog({ title: `Groups of instance ${i.name}`, groups: choices, vnics: i.vnics, save: async (on, mixed) => {
            if (mixed.length === 0) {
              await api.put(`/v1/instances/${enc(i.id)}/security-groups`, { securityGroups: on });
            } else {
              for (const v of i.vnics) {
                await api.put(`/v1/vnics/${enc(v.id)}/security-groups`, { securityGroups: [...on, ...v.securityGroups.filter((x) => mixed.includes(x) && !on.includes(x))] });
              }
            }
            status(`Set the groups of ${i.name}.`);
            await refresh();
          } }) }, 'Set groups…') : null)];
      if (i.vnics.length === 0) {
        rows.push(h('tr', { dataset: { instance: i.id } }, head, h('td', { colspan: 5, class: 'muted' }, 'No vnics.')));
        continue;
      }
      i.vnics.forEach((v, n) => rows.push(h('tr', { dataset: { instance: i.id, vnic: v.id } }, n === 0 ? head : null,
        h('td', {}, vnicLabel(v), v.name ? idTag(v.id) : null, h('div', { class: 'muted' }, v.mac, v.device ? ` · ${v.device}` : '')),
        h('td', {}, v.addresses.join(', ') || '—'),
        h('td', {}, v.host && H.get(v.host) ? H.get(v.host).name : '—'),
        h('td', { class: 'groups' }, v.securityGroups.length ? v.securityGroups.map((x) => groupChip(G.get(x), x)) : h('span', { class: 'muted' }, 'none')),
        h('td', {}, h('button', { type: 'button', class: 'small', dataset: { key: `setv-${v.id}` }, 'aria-label': `Set groups of vnic ${vnicLabel(v)}`,
          onclick: () => groupsDialog({ title: `Groups of vnic ${vnicLabel(v)}`, groups: choices, vnics: [v], save: async (on) => {
            await api.put(`/v1/vnics/${enc(v.id)}/security-groups`, { securityGroups: on });
            status(`Set the groups of ${vnicLabel(v)}.`);
            await refresh();
          } }) }, 'This vnic…')))));
    }
    keepFocus(region, () => replace(region, table('Instances and their vnics', ['Instance', 'Vnic', 'Addresses', 'Host', 'Groups', ''], rows,
      'No instances. They come from the cloud platform through the API (POST /v1/instances, /v1/vnics).')));
    filter.apply();
  }
  await refresh();
  return { refresh };
}
