// Admins: projects and their settings (SMTP under vps-panel), and tokens.
import { api, enc } from '../api.js';
import { h, replace, keepFocus, table, status, field, option, formError, showError, clearErrors, dialog, safe, confirmAction, idTag } from '../dom.js';
import { session } from '../session.js';
import { pageHeader } from './common.js';

/** A token as people tell it apart (tokens have no names): its role and its description, else when it was made. */
const tokenLabel = (t) => `the ${t.role} token ${t.description ? `“${t.description}”` : `of ${new Date(t.createdAt).toLocaleString()}`}`;

export async function adminPage(el) {
  if (!session.admin) {
    replace(el, pageHeader('Admin'), h('p', {}, 'Only an admin may manage projects and tokens.'));
    return null;
  }
  const projectsRegion = h('div');
  const tokensRegion = h('div');

  const pname = h('input', { name: 'name', required: true, autocomplete: 'off' });
  const pform = h('form', { class: 'inline-form', 'aria-label': 'New project', onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(pform);
    try {
      const p = await api.post('/v1/projects', { name: pname.value.trim() });
      pname.value = '';
      status(`Created project ${p.name}.`);
      await refresh();
    } catch (err) {
      showError(pform, err);
    }
  } }, field('New project name', pname), h('button', { type: 'submit', class: 'primary' }, 'Create project'), formError());

  const role = h('select', { name: 'role' }, option('member', 'member (one project)'), option('admin', 'admin'), option('host', 'host (an agent)'));
  const tproject = h('select', { name: 'project' });
  const thost = h('input', { name: 'host', autocomplete: 'off', placeholder: 'hv01' });
  const tdesc = h('input', { name: 'description', autocomplete: 'off' });
  const fProject = field('Project', tproject);
  const fHost = field('Host name', thost);
  const showRole = () => {
    fProject.hidden = role.value !== 'member';
    fHost.hidden = role.value !== 'host';
  };
  role.addEventListener('change', showRole);
  const tform = h('form', { class: 'card', 'aria-labelledby': 'new-token-h', onsubmit: async (e) => {
    e.preventDefault();
    clearErrors(tform);
    const body = { role: role.value, description: tdesc.value };
    if (role.value === 'member') body.project = tproject.value;
    if (role.value === 'host') body.host = thost.value.trim();
    if (role.value === 'host' && !body.host) {
      showError(tform, { field: 'host', message: 'A host token needs the host whose agent uses it.' });
      return;
    }
    try {
      const t = await api.post('/v1/tokens', body);
      tdesc.value = '';
      await refresh();
      dialog('New token', (close) => h('div', {},
        h('p', {}, 'Copy it now: it is shown only once.'),
        field('Token', h('input', { readonly: true, value: t.token, class: 'secret', onfocus: (ev) => ev.target.select() })),
        h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'primary', onclick: close }, 'Done'))));
    } catch (err) {
      showError(tform, err);
    }
  } }, h('h2', { id: 'new-token-h' }, 'New token'),
  h('div', { class: 'row' }, field('Role', role), fProject, fHost, field('Description', tdesc)), formError(),
  h('button', { type: 'submit', class: 'primary' }, 'Create token'));
  showRole();

  replace(el, pageHeader('Admin'),
    h('section', { 'aria-labelledby': 'projects-h' }, h('h2', { id: 'projects-h' }, 'Projects'),
      h('p', { class: 'hint' }, `Profile ${session.me.profile}: `, session.policy.smtpBlock === 'true'
        ? 'outgoing SMTP (tcp 25) is blocked unless the project allows it.' : 'SMTP is not blocked by this profile; the setting matters under vps-panel.'),
      projectsRegion, pform),
    h('section', { 'aria-labelledby': 'tokens-h' }, h('h2', { id: 'tokens-h' }, 'Tokens'), tokensRegion, tform));

  async function refresh() {
    const [projects, tokens] = await Promise.all([api.list('/v1/projects'), api.get('/v1/tokens')]);
    session.projects = projects;
    const keep = tproject.value;
    tproject.replaceChildren(...projects.map((p) => option(p.id, p.name, p.id === keep)));
    keepFocus(projectsRegion, () => replace(projectsRegion, table('Projects', ['Name', 'SMTP allowed', ''],
      projects.map((p) => {
        const smtp = h('input', { type: 'checkbox', id: `smtp-${p.id}`, checked: p.smtpAllowed, dataset: { key: `smtp-${p.id}` }, onchange: async () => {
          try {
            await api.patch(`/v1/projects/${enc(p.id)}`, { smtpAllowed: smtp.checked });
            status(`SMTP ${smtp.checked ? 'allowed' : 'blocked'} for ${p.name}.`);
          } catch (err) {
            smtp.checked = !smtp.checked;
            status(err.message, true);
          }
        } });
        return h('tr', {}, h('th', { scope: 'row' }, p.name, idTag(p.id)),
          h('td', {}, smtp, h('label', { for: smtp.id, class: 'visually-hidden' }, `SMTP allowed for ${p.name}`)),
          h('td', {}, h('button', { type: 'button', class: 'small danger', dataset: { key: `pdel-${p.id}` }, 'aria-label': `Delete project ${p.name}`,
            onclick: () => confirmAction(`Delete project ${p.name}?`, 'Delete project', safe(async () => {
              await api.del(`/v1/projects/${enc(p.id)}`);
              status(`Deleted project ${p.name}.`);
              await refresh();
            })) }, 'Delete')));
      }), 'No projects yet.')));
    keepFocus(tokensRegion, () => replace(tokensRegion, table('Tokens', ['Token', 'Project', 'Host', 'Description', 'Created', ''],
      tokens.items.map((t) => [t, tokenLabel(t)]).map(([t, label]) => h('tr', { dataset: { token: t.id } }, h('th', { scope: 'row' }, `${t.role} token`, idTag(t.id)),
        h('td', {}, t.project ? session.projectName(t.project) : '—'), h('td', {}, t.host || '—'), h('td', {}, t.description),
        h('td', {}, new Date(t.createdAt).toLocaleString()),
        h('td', {}, t.id === session.me.tokenId ? h('span', { class: 'muted' }, 'this session')
          : h('button', { type: 'button', class: 'small danger', dataset: { key: `rev-${t.id}` }, 'aria-label': `Revoke ${label}`, onclick: () => confirmAction(`Revoke ${label}?`, 'Revoke token', safe(async () => {
            await api.del(`/v1/tokens/${enc(t.id)}`);
            status(`Revoked ${label}.`);
            await refresh();
          })) }, 'Revoke')))))));
  }
  await refresh();
  return { refresh };
}
