// Explain: from a vnic, a group or an address, to a vnic, by protocol and port: the evaluator's verdict and trace.
import { api, enc } from '../api.js';
import { h, replace, field, option, formError, showError, clearErrors, idTag } from '../dom.js';
import { session, visibleGroups, vnicLabel } from '../session.js';
import { pageHeader, byId } from './common.js';
import { describeRule } from '../rule-form.js';

const ID = /\b(?:vif|sgr?|ips)-[A-Za-z0-9_.-]*[A-Za-z0-9]/g;

/** A line of the trace with the ids of vnics, groups and rules it knows shown by their names (each id beside, shown with "Show ids"). */
function withNames(line, names) {
  const parts = [];
  let at = 0;
  for (const m of line.matchAll(ID)) {
    const name = names.get(m[0]);
    if (!name || name === m[0]) continue;
    parts.push(line.slice(at, m.index), name, idTag(m[0]));
    at = m.index + m[0].length;
  }
  parts.push(line.slice(at));
  return parts;
}

export async function explainPage(el) {
  const [vnics, groups, instances, ipSets] = await Promise.all([api.list(session.scoped('/v1/vnics')), visibleGroups(), api.list(session.scoped('/v1/instances')),
    api.list('/v1/ip-sets')]);
  const I = byId(instances);
  const label = (v) => `${v.instance && I.get(v.instance) ? `${I.get(v.instance).name} · ` : ''}${vnicLabel(v)} ${v.addresses.join(', ')}`;
  const names = new Map([...vnics.filter((v) => v.name), ...groups, ...ipSets].map((x) => [x.id, x.name]));
  groups.forEach((g) => g.rules.forEach((r) => names.set(r.id, `“${describeRule(r, names)}”`)));
  const vnicOptions = (sel) => vnics.map((v) => option(v.id, label(v), v.id === sel));

  const kind = h('select', { name: 'fromKind' }, option('vnic', 'A vnic'), option('group', 'A member of a group'), option('address', 'An address outside'));
  const fromVnic = h('select', { name: 'fromVnic' }, vnicOptions());
  const fromGroup = h('select', { name: 'fromGroup' }, groups.map((g) => option(g.id, g.name)));
  const fromAddress = h('input', { name: 'from', placeholder: '198.51.100.7', spellcheck: 'false' });
  const to = h('select', { name: 'to' }, vnicOptions(vnics[1] && vnics[1].id));
  const proto = h('select', { name: 'proto' }, option('tcp', 'TCP'), option('udp', 'UDP'), option('icmp', 'ICMP'));
  const port = h('input', { name: 'port', type: 'number', min: 0, max: 65535, value: '22' });
  const icmpType = h('input', { name: 'icmpType', type: 'number', min: 0, max: 255, value: '8' });
  const ipVersion = h('select', { name: 'ipVersion' }, option('4', 'IPv4'), option('6', 'IPv6'));
  const fFromVnic = field('Source vnic', fromVnic);
  const fFromGroup = field('Source group', fromGroup, 'Its first member with an address is the source');
  const fFromAddress = field('Source address', fromAddress);
  const fPort = field('Destination port', port);
  const fIcmp = field('ICMP type', icmpType, '8 = echo request');
  const result = h('section', { class: 'verdict', 'aria-live': 'polite', 'aria-labelledby': 'verdict-h' });
  let last = null;

  const show = () => {
    fFromVnic.hidden = kind.value !== 'vnic';
    fFromGroup.hidden = kind.value !== 'group';
    fFromAddress.hidden = kind.value !== 'address';
    fPort.hidden = proto.value === 'icmp';
    fIcmp.hidden = proto.value !== 'icmp';
  };
  [kind, proto].forEach((s) => s.addEventListener('change', show));

  async function run() {
    const from = kind.value === 'vnic' ? fromVnic.value : kind.value === 'group' ? fromGroup.value : fromAddress.value.trim();
    const q = new URLSearchParams({ from, to: to.value, proto: proto.value, ipVersion: ipVersion.value });
    if (proto.value === 'icmp') q.set('icmpType', icmpType.value || '8');
    else q.set('port', port.value || '0');
    const r = await api.get(`/v1/explain?${q}`);
    last = q;
    replace(result,
      h('h2', { id: 'verdict-h' }, 'Verdict'),
      h('p', { class: `verdict-badge ${r.verdict}`, id: 'verdict' }, r.verdict.toUpperCase(), h('span', { class: 'reason' }, ` (${r.reason})`)),
      h('p', {}, `${r.packet.src} → ${r.packet.dst}, ${r.packet.protocol}${proto.value === 'icmp' ? '' : ` port ${r.packet.port}`}, at revision ${r.revision}`,
        r.group ? [', decided by group ', h('a', { href: `#/groups/${enc(r.group)}` }, names.get(r.group) || r.group), idTag(r.group)] : null, r.rule ? [' (rule', idTag(r.rule), ')'] : null, '.'),
      h('h3', {}, 'Trace'),
      h('ol', { class: 'trace', id: 'trace' }, r.trace.map((t) => h('li', {}, withNames(t, names)))));
  }

  const form = h('form', { class: 'card', 'aria-label': 'Packet to explain', onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      await run();
    } catch (err) {
      const f = err.field === 'from' ? (kind.value === 'vnic' ? 'fromVnic' : kind.value === 'group' ? 'fromGroup' : 'from') : err.field;
      showError(form, { ...err, message: err.message, field: f });
    }
  } },
  h('div', { class: 'row' }, field('Source is', kind), fFromVnic, fFromGroup, fFromAddress),
  h('div', { class: 'row' }, field('Destination vnic', to), field('Protocol', proto), fPort, fIcmp, field('IP version', ipVersion)),
  formError(),
  h('button', { type: 'submit', class: 'primary' }, 'Explain'));
  show();
  replace(el, pageHeader('Explain a packet'),
    h('p', { class: 'hint' }, 'What the reference evaluator decides for one new packet, and why. The verdict follows changes made anywhere.'),
    vnics.length ? form : h('p', { class: 'empty' }, 'There are no vnics to explain a packet to.'), result);
  return {
    async refresh(moved) {
      if (moved && last) {
        try {
          await run();
        } catch (err) {
          replace(result, h('p', { class: 'form-error', role: 'alert' }, err.message));
        }
      }
    },
  };
}
