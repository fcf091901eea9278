// The policy at a glance: groups as boxes with their members, reference rules as arrows labelled with ports.
import { api, enc } from '../api.js';
import { h, replace, table } from '../dom.js';
import { session, visibleGroups, vnicLabel } from '../session.js';
import { pageHeader, byId } from './common.js';
import { layout, NODE_W } from '../graph-layout.js';
import { describeRule } from '../rule-form.js';

const NS = 'http://www.w3.org/2000/svg';
const OUTSIDE = 'outside';
const MAX_MEMBERS = 4;

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => v != null && el.setAttribute(k, v));
  children.flat().forEach((c) => c != null && el.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return el;
}

/** "tcp 3306", "udp 53-54", "icmp", "any" for one rule. */
function ports(r) {
  const p = r.protocol == null ? 'any' : ({ 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' })[r.protocol] || `proto ${r.protocol}`;
  if (r.portRangeMin != null) return `${p} ${r.portRangeMin === r.portRangeMax ? r.portRangeMin : `${r.portRangeMin}-${r.portRangeMax}`}`;
  if (r.icmpType != null && r.icmpType !== -1) return `${p} type ${r.icmpType}`;
  return p;
}

/** Edges: remote group -> owner (reference rules, ingress), outside -> owner (CIDR and ip set rules, ingress). */
function policyEdges(groups) {
  const ids = new Set(groups.map((g) => g.id));
  const edges = new Map();
  const add = (from, to, label, rule) => {
    const key = `${from}>${to}`;
    if (!edges.has(key)) edges.set(key, { from, to, labels: [], rules: [] });
    const e = edges.get(key);
    if (!e.labels.includes(label)) e.labels.push(label);
    e.rules.push(rule);
  };
  for (const g of groups) {
    for (const r of g.rules.filter((x) => x.direction === 'ingress')) {
      if (r.remoteGroup && ids.has(r.remoteGroup)) add(r.remoteGroup, g.id, ports(r), r);
      else if (r.remoteIpPrefix || r.remoteIpSet) add(OUTSIDE, g.id, `${ports(r)} ${r.remoteIpPrefix ? r.remoteIpPrefix : 'ip set'}`, r);
    }
  }
  return [...edges.values()];
}

/** Each edge with the size of its label as the browser draws it, so that the layout can give it room. */
function measureLabels(edges) {
  const probe = s('svg', { class: 'graph', 'aria-hidden': 'true' });
  Object.assign(probe.style, { position: 'absolute', visibility: 'hidden', left: '0', top: '0' });
  document.body.append(probe);
  try {
    return edges.map((e) => {
      const t = probe.appendChild(s('text', { class: 'edge-label' }, e.text));
      const b = t.getBBox();
      return { from: e.from, to: e.to, label: { width: Math.ceil(b.width), height: Math.ceil(b.height), ascent: Math.ceil(-b.y) } };
    });
  } finally {
    probe.remove();
  }
}

export async function graphPage(el) {
  const region = h('div');
  replace(el, pageHeader('Policy graph'),
    h('p', { class: 'hint' }, 'An arrow means: vnics of the first group may open connections to vnics of the second, on these ports. Vnics in one group reach each other fully. Tab to a group and press Enter to open it; the table below says the same in words.'),
    region);

  async function refresh() {
    const [groups, vnics, instances, ipSets] = await Promise.all([visibleGroups(), api.list('/v1/vnics'), api.list('/v1/instances'), api.list('/v1/ip-sets')]);
    const I = byId(instances);
    groups.sort((a, b) => a.name.localeCompare(b.name));
    const edges = policyEdges(groups);
    const members = (id) => vnics.filter((v) => v.securityGroups.includes(id));
    const nodes = groups.map((g) => ({ id: g.id, g, members: members(g.id) }));
    if (edges.some((e) => e.from === OUTSIDE)) nodes.unshift({ id: OUTSIDE, outside: true, members: [] });
    nodes.forEach((n) => { n.height = n.outside ? 46 : 52 + 16 * Math.min(n.members.length, MAX_MEMBERS + 1); });
    edges.forEach((e) => { e.text = e.labels.join(', '); });
    const { pos, routes, width, height } = layout(nodes, measureLabels(edges));
    const G = byId(groups);
    const nameOf = (id) => (id === OUTSIDE ? 'Outside (CIDRs, ip sets)' : G.get(id).name);
    const names = new Map([...groups, ...ipSets].map((x) => [x.id, x.name]));

    const svg = s('svg', { class: 'graph', id: 'policy-graph', viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': 'Policy graph' },
      s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 11, markerHeight: 11, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
    edges.forEach((e, i) => {
      const p = routes[i];
      const label = e.text;
      svg.append(s('g', { class: `edge${e.from === OUTSIDE ? ' from-outside' : ''}`, 'data-from': e.from, 'data-to': e.to },
        s('title', {}, `${nameOf(e.from)} → ${nameOf(e.to)}: ${label}`),
        s('path', { d: p.d, 'marker-end': 'url(#arrow)' }),
        s('text', { x: p.lx, y: p.ly, 'text-anchor': 'middle', class: 'edge-label' }, label)));
    });
    for (const n of nodes) {
      const { x, y } = pos.get(n.id);
      const lines = n.outside ? [] : n.members.slice(0, MAX_MEMBERS).map((v) => `${v.instance && I.get(v.instance) ? I.get(v.instance).name : vnicLabel(v)} ${v.addresses[0] || ''}`);
      if (n.members.length > MAX_MEMBERS) lines.push(`… and ${n.members.length - MAX_MEMBERS} more`);
      const g = s('g', { class: `node${n.outside ? ' outside' : ''}${n.g && n.g.global ? ' global' : ''}`, 'data-group': n.id, transform: `translate(${x},${y})`,
        tabindex: n.outside ? null : 0, role: n.outside ? null : 'link',
        'aria-label': n.outside ? null : `${n.g.name}: ${n.members.length} vnic${n.members.length === 1 ? '' : 's'}` },
      s('rect', { width: NODE_W, height: n.height, rx: 8 }),
      s('text', { x: 12, y: 21, class: 'node-title' }, n.outside ? 'Outside' : n.g.name, n.g && n.g.global ? ' (global)' : ''),
      s('text', { x: 12, y: 38, class: 'node-sub' }, n.outside ? 'CIDRs and ip sets' : `${n.members.length} vnic${n.members.length === 1 ? '' : 's'} · ${n.g.rules.length} rule${n.g.rules.length === 1 ? '' : 's'}`),
      lines.map((t, i) => s('text', { x: 12, y: 58 + i * 16, class: 'node-member' }, t)));
      if (!n.outside) {
        const open = () => { location.hash = `#/groups/${enc(n.id)}`; };
        g.addEventListener('click', open);
        g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } });
        const mark = (on) => svg.querySelectorAll(`.edge[data-from="${n.id}"], .edge[data-to="${n.id}"]`).forEach((e) => e.classList.toggle('hot', on));
        g.addEventListener('focus', () => mark(true));
        g.addEventListener('blur', () => mark(false));
        g.addEventListener('mouseenter', () => mark(true));
        g.addEventListener('mouseleave', () => mark(false));
      }
      svg.append(g);
    }
    // A change arriving while a keyboard user is on a group redraws the graph: they stay on that group.
    const focused = region.contains(document.activeElement) ? document.activeElement.closest('g.node')?.dataset.group : null;
    replace(region,
      groups.length ? h('div', { class: 'graph-scroll' }, svg) : h('p', { class: 'empty' }, 'No groups to draw.'),
      h('h2', {}, 'Who may reach whom'),
      table('Reference and outside rules', ['From', 'To', 'Ports', 'Rules'], edges.map((e) => h('tr', { dataset: { from: e.from, to: e.to } },
        h('td', {}, nameOf(e.from)), h('th', { scope: 'row' }, nameOf(e.to)), h('td', {}, e.labels.join(', ')),
        h('td', {}, e.rules.map((r) => h('code', { title: r.text }, describeRule(r, names))).reduce((a, c) => (a.length ? [...a, ' ', c] : [c]), [])))),
      'No rule lets one group reach another yet.'),
      session.policy.isolation === 'true' ? h('p', { class: 'hint' }, 'Profile with isolation: vnics whose groups no arrow links cannot reach each other at all.') : null);
    if (focused) svg.querySelector(`g.node[data-group="${CSS.escape(focused)}"]`)?.focus();
  }
  await refresh();
  return { refresh };
}
