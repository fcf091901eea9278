// Hosts: agent status, the revision each applied against the one it should run, and the last error.
import { api } from '../api.js';
import { h, replace, table, idTag } from '../dom.js';
import { pageHeader } from './common.js';
import { pollOften, currentRevision } from '../live.js';

export async function hostsPage(el) {
  const region = h('div');
  replace(el, pageHeader('Hosts'), h('p', { class: 'hint' }, 'The desired revision is the last change that touched the host; an agent in sync has applied it. Status refreshes every few seconds.'), region);
  pollOften(true);

  async function refresh() {
    const hosts = await api.list('/v1/hosts');
    hosts.sort((a, b) => a.name.localeCompare(b.name));
    replace(region, table('Hosts and their agents', ['Host', 'Agent', 'Applied revision', 'Desired revision', 'Vnics', 'Last heartbeat', 'Last error'],
      hosts.map((x) => h('tr', { dataset: { host: x.id } },
        h('th', { scope: 'row' }, x.name, idTag(x.id)),
        h('td', {}, h('span', { class: `state state-${x.agent.replace(/\s+/g, '-')}` }, x.agent)),
        h('td', { class: 'num' }, x.appliedRevision ?? '—'),
        h('td', { class: 'num' }, x.desiredRevision, currentRevision() != null ? h('div', { class: 'muted' }, `world ${currentRevision()}`) : null),
        h('td', { class: 'num' }, x.vnics),
        h('td', {}, x.lastHeartbeat ? new Date(x.lastHeartbeat).toLocaleString() : 'never'),
        h('td', { class: x.lastError ? 'error-text' : 'muted' }, x.lastError || 'none'))),
      'No hosts yet. An agent registers its host when it starts.'));
  }
  await refresh();
  return { refresh };
}
