// Vnics: every vnic, with or without an instance, filtered by host, group, address or instance.
import { api } from '../api.js';
import { h, replace, table, field, option, idTag } from '../dom.js';
import { session, vnicLabel } from '../session.js';
import { pageHeader, groupChip, byId } from './common.js';

export async function vnicsPage(el) {
  const region = h('div');
  const host = h('select', { name: 'host', id: 'filter-host' });
  const group = h('select', { name: 'group', id: 'filter-group' });
  const instance = h('select', { name: 'instance', id: 'filter-instance' });
  const address = h('input', { name: 'address', id: 'filter-address', type: 'search', placeholder: 'e.g. 192.0.2.10', spellcheck: 'false' });
  const filters = h('form', { class: 'row filters', role: 'search', 'aria-label': 'Filter vnics', onsubmit: (e) => e.preventDefault() },
    field('Host', host), field('Group', group), field('Instance', instance), field('Address contains', address));
  replace(el, pageHeader('Vnics'), filters, region);
  let data = null;

  /** Keeps a filter's choice while its options follow the world. */
  function fill(select, items, label, none) {
    const keep = select.value;
    select.replaceChildren(option('', 'Any'), ...(none ? [option('-', none, keep === '-')] : []),
      ...items.map((x) => option(x.id, label(x), x.id === keep)));
  }

  function render() {
    const { vnics, groups, instances, hosts } = data;
    const G = byId(groups);
    const I = byId(instances);
    const H = byId(hosts);
    const text = address.value.trim();
    const shown = vnics.filter((v) => (host.value === '' || (host.value === '-' ? !v.host : v.host === host.value))
      && (group.value === '' || v.securityGroups.includes(group.value))
      && (instance.value === '' || (instance.value === '-' ? !v.instance : v.instance === instance.value))
      && (text === '' || v.addresses.some((a) => a.includes(text))));
    replace(region, h('p', { class: 'muted', id: 'vnic-count' }, `${shown.length} of ${vnics.length} vnics`),
      table('Vnics', ['Vnic', 'Instance', 'Project', 'Host', 'Device', 'Addresses', 'Groups'],
        shown.map((v) => h('tr', { dataset: { vnic: v.id } },
          h('th', { scope: 'row' }, vnicLabel(v), v.name ? idTag(v.id) : null),
          h('td', {}, v.instance && I.get(v.instance) ? [I.get(v.instance).name, idTag(v.instance)] : h('span', { class: 'muted' }, 'none')),
          h('td', {}, session.projectName(v.project)),
          h('td', {}, v.host && H.get(v.host) ? [H.get(v.host).name, idTag(v.host)] : h('span', { class: 'muted' }, 'unplaced')),
          h('td', {}, v.device || '—'), h('td', {}, v.addresses.join(', ')),
          h('td', {}, v.securityGroups.length ? v.securityGroups.map((x) => groupChip(G.get(x), x)) : h('span', { class: 'muted' }, 'none')))),
        'No vnic matches.'));
  }

  async function refresh() {
    const [vnics, groups, instances, hosts] = await Promise.all([api.list('/v1/vnics'), api.list('/v1/security-groups'),
      api.list('/v1/instances'), session.seesHosts ? api.list('/v1/hosts') : []]);
    const byName = (a, b) => (a.name || a.id).localeCompare(b.name || b.id);
    data = { vnics: vnics.sort((a, b) => vnicLabel(a).localeCompare(vnicLabel(b))), groups: groups.sort(byName), instances: instances.sort(byName), hosts: hosts.sort(byName) };
    fill(host, data.hosts, (x) => x.name, 'Unplaced');
    fill(group, data.groups, (x) => x.name);
    fill(instance, data.instances, (x) => x.name, 'No instance');
    render();
  }
  [host, group, instance].forEach((s) => s.addEventListener('change', render));
  address.addEventListener('input', render);
  await refresh();
  return { refresh };
}
