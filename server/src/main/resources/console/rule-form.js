// One rule as a form: direction, protocol, ports or icmp type/code, and a source (CIDR, group or ip set of the same IP version).
import { h, field, option, formError, clearErrors } from './dom.js';

const PROTOCOLS = [['tcp', 'TCP'], ['udp', 'UDP'], ['icmp', 'ICMP'], ['any', 'Any protocol'], ['number', 'Other (number)']];

/** A readable summary of a rule's JSON (the server's canonical text is shown where there is one). */
export function describeRule(r, names = new Map()) {
  const proto = r.protocol == null ? 'any' : ({ 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' })[r.protocol] || r.protocol;
  const what = r.portRangeMin != null ? `${proto} ${r.portRangeMin === r.portRangeMax ? r.portRangeMin : `${r.portRangeMin}-${r.portRangeMax}`}`
    : r.icmpType != null ? `${proto} type ${r.icmpType} code ${r.icmpCode}` : proto;
  const src = r.remoteGroup ? `group ${names.get(r.remoteGroup) || r.remoteGroup}` : r.remoteIpSet ? `ip set ${names.get(r.remoteIpSet) || r.remoteIpSet}` : r.remoteIpPrefix;
  return `${r.direction || 'ingress'} ${r.ethertype || 'IPv4'} ${what} ${r.direction === 'egress' ? 'to' : 'from'} ${src}`;
}

/**
 * The form; onAdd(ruleJson, form) sends it (and shows API errors next to the fields by their
 * names, which are the API's field names). groups and ipSets are the usable remotes.
 */
export function ruleForm({ groups, ipSets, onAdd, submitText = 'Add rule' }) {
  const direction = h('select', { name: 'direction' }, option('ingress', 'Ingress (to the vnic)'), option('egress', 'Egress (from the vnic)'));
  const ethertype = h('select', { name: 'ethertype' }, option('IPv4', 'IPv4'), option('IPv6', 'IPv6'));
  const protocol = h('select', { name: 'protocol' }, PROTOCOLS.map(([v, t]) => option(v, t)));
  const number = h('input', { name: 'protocolNumber', type: 'number', min: 0, max: 255, inputmode: 'numeric' });
  const pmin = h('input', { name: 'portRangeMin', type: 'number', min: 1, max: 65535, inputmode: 'numeric' });
  const pmax = h('input', { name: 'portRangeMax', type: 'number', min: 1, max: 65535, inputmode: 'numeric' });
  const itype = h('input', { name: 'icmpType', type: 'number', min: -1, max: 255, value: '-1' });
  const icode = h('input', { name: 'icmpCode', type: 'number', min: -1, max: 255, value: '-1' });
  const kind = h('select', { name: 'remoteKind' }, option('cidr', 'CIDR'), option('group', 'Security group'), option('ipset', 'Ip set'));
  const cidr = h('input', { name: 'remoteIpPrefix', placeholder: 'e.g. 198.51.100.0/24, or 0.0.0.0/0 for anywhere', spellcheck: 'false' });
  const group = h('select', { name: 'remoteGroup' });
  const ipSet = h('select', { name: 'remoteIpSet' });
  const description = h('input', { name: 'description' });

  const fNumber = field('Protocol number', number);
  const fPorts = h('div', { class: 'row' }, field('From port', pmin), field('To port', pmax, 'Empty: the same as the first'));
  const fIcmp = h('div', { class: 'row' }, field('ICMP type', itype, '-1 = any'), field('ICMP code', icode, '-1 = any'));
  const fCidr = field('Source CIDR', cidr, 'A network or one address; 0.0.0.0/0 (::/0) is the whole Internet');
  const fGroup = field('Source group', group, 'Every vnic of that group');
  const fIpSet = field('Source ip set', ipSet, 'Only ip sets of the rule\'s IP version');

  function fill() {
    const v = ethertype.value === 'IPv6' ? 6 : 4;
    const keepG = group.value;
    const keepS = ipSet.value;
    group.replaceChildren(...[...groups].sort((a, b) => a.name.localeCompare(b.name)).map((g) => option(g.id, `${g.name}${g.global ? ' (global)' : ''}`, g.id === keepG)));
    const sets = ipSets.filter((s) => s.version === v);
    ipSet.replaceChildren(...(sets.length ? sets.map((s) => option(s.id, `${s.name} (${s.entries.length} entries)`, s.id === keepS))
      : [option('', `No IPv${v} ip set`)]));
    cidr.placeholder = v === 6 ? 'e.g. 2001:db8::/32, or ::/0 for anywhere' : 'e.g. 198.51.100.0/24, or 0.0.0.0/0 for anywhere';
  }

  function show() {
    const p = protocol.value;
    fNumber.hidden = p !== 'number';
    fPorts.hidden = p !== 'tcp' && p !== 'udp';
    fIcmp.hidden = p !== 'icmp';
    fCidr.hidden = kind.value !== 'cidr';
    fGroup.hidden = kind.value !== 'group';
    fIpSet.hidden = kind.value !== 'ipset';
  }
  [protocol, kind].forEach((s) => s.addEventListener('change', show));
  ethertype.addEventListener('change', fill);

  function json() {
    const r = { direction: direction.value, ethertype: ethertype.value };
    const p = protocol.value;
    const num = (x) => (x.value === '' ? undefined : Number(x.value));
    if (p === 'tcp' || p === 'udp') {
      r.protocol = p;
      r.portRangeMin = num(pmin);
      r.portRangeMax = num(pmax) ?? r.portRangeMin;
    } else if (p === 'icmp') {
      r.protocol = ethertype.value === 'IPv6' ? 'icmpv6' : 'icmp';
      r.icmpType = num(itype) ?? -1;
      r.icmpCode = num(icode) ?? -1;
    } else if (p === 'number') {
      r.protocol = number.value === '' ? '' : String(number.value);
    } else {
      r.protocol = null;
    }
    // No source is no rule: the server refuses it and names the choices, nothing opens by omission.
    if (kind.value === 'cidr') r.remoteIpPrefix = cidr.value.trim() || undefined;
    else if (kind.value === 'group') r.remoteGroup = group.value;
    else r.remoteIpSet = ipSet.value;
    if (description.value.trim()) r.description = description.value.trim();
    return r;
  }

  /** Fills the form with a common rule; the operator still chooses its source. */
  function preset(p, from, to, source) {
    direction.value = 'ingress';
    protocol.value = p;
    pmin.value = from ?? '';
    pmax.value = to ?? '';
    if (p === 'icmp') {
      itype.value = '8';
      icode.value = '-1';
    }
    kind.value = source;
    show();
    (source === 'cidr' ? cidr : group).focus();
  }
  const presets = h('div', { class: 'presets', role: 'group', 'aria-label': 'Presets' }, h('span', { class: 'muted' }, 'Presets: '),
    h('button', { type: 'button', class: 'small', onclick: () => preset('tcp', 22, 22, 'cidr') }, 'SSH'),
    h('button', { type: 'button', class: 'small', onclick: () => preset('tcp', 80, 80, 'cidr') }, 'HTTP'),
    h('button', { type: 'button', class: 'small', onclick: () => preset('tcp', 443, 443, 'cidr') }, 'HTTPS'),
    h('button', { type: 'button', class: 'small', onclick: () => preset('icmp', null, null, 'cidr') }, 'Ping'),
    h('button', { type: 'button', class: 'small', onclick: () => preset('any', null, null, 'group') }, 'All from a group'));

  const form = h('form', { class: 'rule-form', 'aria-label': 'Add a rule', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    clearErrors(form);
    onAdd(json(), form);
  } },
  presets,
  h('div', { class: 'row' }, field('Direction', direction), field('IP version', ethertype), field('Protocol', protocol), fNumber),
  fPorts, fIcmp,
  h('div', { class: 'row' }, field('Source is', kind), fCidr, fGroup, fIpSet),
  field('Description', description),
  formError(),
  h('button', { type: 'submit' }, submitText));
  fill();
  show();
  return {
    form,
    update(g, s) {
      groups = g;
      ipSets = s;
      fill();
    },
    reset() {
      pmin.value = '';
      pmax.value = '';
      description.value = '';
    },
  };
}
