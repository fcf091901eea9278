// One security group: its rules, the instances and vnics that use it (attach, detach), the groups it links with.
import { api, enc } from '../api.js';
import { h, replace, keepFocus, table, status, field, option, formError, showError, confirmAction, safe } from '../dom.js';
import { session, vnicLabel } from '../session.js';
import { pageHeader, editable, confirmDeleteGroup, deleteRefusal, groupChip, byId, namedRuleTexts, ruleTextOf } from './common.js';

async function setGroups(v, ids) {
  await api.put(`/v1/vnics/${enc(v.id)}/security-groups`, { securityGroups: ids });
}

const PROTOCOL_NAMES = { 6: 'TCP', 17: 'UDP', 1: 'ICMP', 58: 'ICMPv6' };

/** Whether a rule lets in (or out) every address of the Internet. */
export function openToInternet(r) {
  return r.remoteIpPrefix === '0.0.0.0/0' || r.remoteIpPrefix === '::/0';
}

/** The rules as a table: direction, protocol, ports, remote by name, description, and delete per row where the group may be edited. */
function rulesTable(g, G, sets, texts, refresh) {
  const ports = (r) => (r.portRangeMin != null ? (r.portRangeMin === r.portRangeMax ? `${r.portRangeMin}` : `${r.portRangeMin}–${r.portRangeMax}`)
    : r.icmpType != null && r.icmpType >= 0 ? `type ${r.icmpType}${r.icmpCode != null && r.icmpCode >= 0 ? ` code ${r.icmpCode}` : ''}` : 'all');
  const remote = (r) => (r.remoteGroup ? ['group ', groupChip(G.get(r.remoteGroup), r.remoteGroup)]
    : r.remoteIpSet ? `ip set ${sets.get(r.remoteIpSet)?.name || r.remoteIpSet}`
      : openToInternet(r) ? [h('span', { class: 'badge danger', title: 'Every address of the Internet' }, 'open to the Internet'), ` ${r.remoteIpPrefix}`]
        : r.remoteIpPrefix);
  return table(`Rules of ${g.name}`, ['Direction', 'Protocol', 'Ports', 'Remote', 'Description', ''],
    g.rules.map((r) => h('tr', { dataset: { rule: r.id }, class: openToInternet(r) ? 'open' : null },
      h('td', {}, `${r.direction || 'ingress'} ${r.ethertype || 'IPv4'}`),
      h('td', {}, r.protocol == null ? 'any' : PROTOCOL_NAMES[r.protocol] || `${r.protocol}`),
      h('td', {}, ports(r)), h('td', {}, remote(r)), h('td', {}, r.description || ''),
      h('td', {}, editable(g) ? h('button', { type: 'button', class: 'small danger', dataset: { key: `rdel-${r.id}` }, 'aria-label': `Delete rule ${texts.get(r.id)}`,
        onclick: () => confirmAction(`Delete the rule ${texts.get(r.id)}?`, 'Delete rule', safe(async () => {
          await api.del(`/v1/security-groups/${enc(g.id)}/rules/${enc(r.id)}`);
          status(`Deleted the rule ${texts.get(r.id)}.`);
          await refresh();
        })) }, 'Delete') : null))));
}

export async function groupPage(el, id) {
  const region = h('div');
  el.replaceChildren(region);

  async function refresh() {
    const [g, groups, vnics, instances, hosts, ipSets] = await Promise.all([api.get(`/v1/security-groups/${enc(id)}`),
      api.list('/v1/security-groups'), api.list('/v1/vnics'), api.list('/v1/instances'), session.seesHosts ? api.list('/v1/hosts') : [], api.list('/v1/ip-sets')]);
    const sets = byId(ipSets);
    const G = byId(groups);
    const I = byId(instances);
    const H = byId(hosts);
    const members = vnics.filter((v) => v.securityGroups.includes(g.id));
    const candidates = vnics.filter((v) => !v.securityGroups.includes(g.id) && (g.global || v.project === g.project));
    const referencing = groups.filter((x) => x.id !== g.id && x.rules.some((r) => r.remoteGroup === g.id));
    const texts = new Map((await Promise.all([g, ...referencing].map(namedRuleTexts))).flatMap((m) => [...m]));
    const instLabel = (v) => (v.instance && I.get(v.instance) ? I.get(v.instance).name : '—');

    const picked = region.querySelector('#attach-vnic')?.value; // a refresh keeps the choice being made
    const attach = h('select', { name: 'vnic', id: 'attach-vnic' },
      candidates.map((v) => option(v.id, `${instLabel(v)} · ${vnicLabel(v)} ${v.addresses.join(', ')}`, v.id === picked)));
    const attachForm = h('form', { class: 'inline-form', onsubmit: async (e) => {
      e.preventDefault();
      const v = candidates.find((x) => x.id === attach.value);
      if (!v) return;
      try {
        await setGroups(v, [...v.securityGroups, g.id]);
        status(`Attached ${g.name} to ${vnicLabel(v)}.`);
        await refresh();
      } catch (err) {
        showError(attachForm, err);
      }
    } }, field('Vnic', attach), h('button', { type: 'submit', disabled: candidates.length === 0 }, 'Attach'), formError());

    // Or every vnic of an instance at once (each keeps its other groups).
    const open = instances.filter((i) => candidates.some((v) => v.instance === i.id));
    const pickedI = region.querySelector('#attach-instance')?.value;
    const attachI = h('select', { name: 'instance', id: 'attach-instance' }, open.map((i) => option(i.id, `${i.name} (${candidates.filter((v) => v.instance === i.id).length} vnic(s) without it)`, i.id === pickedI)));
    const instanceForm = h('form', { class: 'inline-form', onsubmit: async (e) => {
      e.preventDefault();
      const i = open.find((x) => x.id === attachI.value);
      if (!i) return;
      try {
        for (const v of candidates.filter((x) => x.instance === i.id)) await setGroups(v, [...v.securityGroups, g.id]);
        status(`Attached ${g.name} to every vnic of ${i.name}.`);
        await refresh();
      } catch (err) {
        showError(instanceForm, err);
      }
    } }, field('Instance', attachI), h('button', { type: 'submit' }, 'Attach to its vnics'), formError());

    const rulesText = ruleTextOf(g, texts).trimEnd();
    const refusal = deleteRefusal(g, vnics, groups);
    keepFocus(region, () => replace(region,
      pageHeader(g.name, editable(g) ? [h('a', { class: 'button', href: `#/groups/${enc(g.id)}/edit` }, 'Edit'),
        refusal ? h('span', { class: 'muted refused', dataset: { key: `nodel-${g.id}` } }, refusal)
          : h('button', { type: 'button', class: 'danger', onclick: () => confirmDeleteGroup(g, () => { location.hash = '#/groups'; }) }, 'Delete')]
        : h('span', { class: 'badge' }, 'global: attach only')),
      h('dl', { class: 'facts' },
        h('dt', { class: 'obj-id' }, 'Id'), h('dd', { class: 'obj-id' }, h('code', {}, g.id)),
        h('dt', {}, 'Project'), h('dd', {}, g.global ? `${session.projectName(g.project)} (global: every project may attach it)` : session.projectName(g.project)),
        h('dt', {}, 'Description'), h('dd', {}, g.description || '—'),
        h('dt', {}, 'Stateful'), h('dd', {}, g.stateful ? 'yes' : 'no'),
        h('dt', {}, 'Revision'), h('dd', {}, g.revision)),
      h('section', { 'aria-labelledby': 'rules-h' }, h('h2', { id: 'rules-h' }, `Rules (${g.rules.length})`),
        g.rules.length ? h('pre', { class: 'rules', id: 'rules-text', tabindex: 0 }, rulesText) : h('p', { class: 'empty' }, 'No rules: nothing is allowed in by this group.'),
        g.rules.length ? rulesTable(g, G, sets, texts, refresh) : null),
      h('section', { 'aria-labelledby': 'members-h' }, h('h2', { id: 'members-h' }, `Used by ${members.length} vnic${members.length === 1 ? '' : 's'}`),
        table(`Vnics in ${g.name}`, ['Instance', 'Vnic', 'Addresses', 'Host', 'Groups', ''],
          members.map((v) => h('tr', { dataset: { vnic: v.id } },
            h('td', {}, instLabel(v)), h('th', { scope: 'row' }, vnicLabel(v)), h('td', {}, v.addresses.join(', ')),
            h('td', {}, v.host && H.get(v.host) ? H.get(v.host).name : '—'),
            h('td', {}, v.securityGroups.map((x) => groupChip(G.get(x), x))),
            h('td', {}, h('button', { type: 'button', dataset: { key: `detach-${v.id}` }, 'aria-label': `Detach ${g.name} from ${vnicLabel(v)}`, onclick: async () => {
              try {
                await setGroups(v, v.securityGroups.filter((x) => x !== g.id));
                status(`Detached ${g.name} from ${vnicLabel(v)}.`);
                await refresh();
              } catch (err) {
                status(err.message, true);
              }
            } }, 'Detach')))),
          'No vnic uses this group.'),
        h('h3', {}, 'Attach'),
        candidates.length ? [attachForm, instanceForm] : h('p', { class: 'empty' }, 'Every vnic that may use it already does.')),
      h('section', { 'aria-labelledby': 'refs-h' }, h('h2', { id: 'refs-h' }, 'Links with other groups'),
        h('ul', {},
          g.rules.filter((r) => r.remoteGroup).map((r) => h('li', {}, groupChip(G.get(r.remoteGroup), r.remoteGroup), ` may reach this group: ${texts.get(r.id)}`)),
          referencing.map((x) => h('li', {}, 'This group may reach ', groupChip(x, x.id), ': ',
            x.rules.filter((r) => r.remoteGroup === g.id).map((r) => h('code', {}, texts.get(r.id))))),
          (!g.rules.some((r) => r.remoteGroup) && !referencing.length) ? h('li', { class: 'muted' }, 'No reference rules.') : null))));
  }
  await refresh();
  return { refresh };
}
