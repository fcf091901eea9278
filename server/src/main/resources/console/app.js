// The console's shell: sign-in, the project switcher, the router and the live refresh.
import { api, setToken, token, whenUnauthorized } from './api.js';
import { h, replace, status, field, formError, showError, option, showIds } from './dom.js';
import { session } from './session.js';
import * as live from './live.js';
import { groupsPage } from './pages/groups.js';
import { groupPage } from './pages/group.js';
import { groupFormPage } from './pages/group-form.js';
import { instancesPage } from './pages/instances.js';
import { ipSetsPage, ipSetPage } from './pages/ipsets.js';
import { hostsPage } from './pages/hosts.js';
import { vnicsPage } from './pages/vnics.js';
import { explainPage } from './pages/explain.js';
import { graphPage } from './pages/graph.js';
import { adminPage } from './pages/admin.js';

const routes = [
  [/^\/groups$/, groupsPage],
  [/^\/groups\/new$/, groupFormPage],
  [/^\/groups\/([^/]+)\/edit$/, groupFormPage],
  [/^\/groups\/([^/]+)$/, groupPage],
  [/^\/instances$/, instancesPage],
  [/^\/ip-sets$/, ipSetsPage],
  [/^\/ip-sets\/([^/]+)$/, ipSetPage],
  [/^\/hosts$/, hostsPage],
  [/^\/vnics$/, vnicsPage],
  [/^\/explain$/, explainPage],
  [/^\/graph$/, graphPage],
  [/^\/admin$/, adminPage],
];

const main = () => document.getElementById('main');
let current = null; // { refresh() } of the page shown
let unlisten = null;

function signInPage(message) {
  live.stop();
  document.getElementById('nav').hidden = true;
  replace(document.getElementById('who'));
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, autofocus: true, spellcheck: 'false' });
  const form = h('form', { class: 'card signin', onsubmit: async (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    try {
      await session.load();
      await start();
    } catch (err) {
      setToken(null);
      session.me = null;
      showError(form, err.status === 401 ? { field: 'token', message: 'That token is not valid.' } : err);
    }
  } },
  h('h1', {}, 'Sign in to Stockade'),
  h('p', {}, 'Paste an API token: the admin token is in the server\'s data directory (admin.token); members get theirs from an admin.'),
  field('Token', input),
  formError(),
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  replace(main(), form);
  if (message) showError(form, { field: 'token', message });
  input.focus();
}

function renderWho() {
  const me = session.me;
  const parts = [h('span', { class: `role role-${me.role}` }, me.role)];
  if (session.admin) {
    const sel = h('select', { id: 'project-switcher', onchange: () => {
      session.project = sel.value;
      status(`Showing ${sel.value ? session.projectName(sel.value) : 'all projects'}`);
      route();
    } }, option('', 'All projects', !session.project), session.projects.map((p) => option(p.id, p.name, p.id === session.project)));
    parts.push(h('label', { for: 'project-switcher', class: 'inline' }, 'Project'), sel);
  } else {
    parts.push(h('span', {}, 'project ', h('strong', { id: 'my-project' }, me.projectName || me.project)));
  }
  const ids = h('input', { type: 'checkbox', id: 'show-ids', checked: showIds(), onchange: () => showIds(ids.checked) });
  parts.push(h('label', { for: 'show-ids', class: 'inline' }, ids, ' Show ids'));
  parts.push(h('span', { class: 'muted' }, `profile ${me.profile}`),
    h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'));
  replace(document.getElementById('who'), parts);
  document.querySelectorAll('#nav [data-admin]').forEach((a) => { a.hidden = !session.admin; });
  document.querySelectorAll('#nav [data-operator]').forEach((a) => { a.hidden = !session.seesHosts; });
  document.getElementById('nav').hidden = false;
}

function signOut() {
  setToken(null);
  session.me = null;
  sessionStorage.clear();
  showIds();
  location.hash = '';
  signInPage();
  status('Signed out.');
}

async function start() {
  renderWho();
  live.start(session.me.revision);
  if (unlisten) unlisten();
  let busy = false;
  let again = false;
  unlisten = live.onChange(async function follow(moved) {
    // One refresh at a time; changes that arrive meanwhile are taken in by one more.
    if (busy) {
      again = again || moved;
      return;
    }
    busy = true;
    try {
      if (moved) {
        const before = JSON.stringify(session.projects.map((p) => [p.id, p.name]));
        session.projects = await api.list('/v1/projects');
        if (session.admin && JSON.stringify(session.projects.map((p) => [p.id, p.name])) !== before) renderWho();
      }
      if (current && current.refresh) await current.refresh(moved);
    } catch (err) {
      status(err.status === 404 ? 'What this page showed was deleted elsewhere.' : `Could not refresh: ${err.message}`, true);
    } finally {
      busy = false;
    }
    if (again) {
      again = false;
      follow(true);
    }
  });
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.hash = '#/groups';
  else route();
}

async function route() {
  if (!session.me) return;
  const path = location.hash.replace(/^#/, '') || '/groups';
  const found = routes.map(([re, page]) => [path.match(re), page]).find(([m]) => m);
  live.pollOften(false);
  if (document.getElementById('status')?.classList.contains('error')) status('');
  document.querySelectorAll('#nav a').forEach((a) => {
    const on = path.startsWith(a.getAttribute('href').slice(1));
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const el = main();
  if (!found) {
    replace(el, h('h1', {}, 'Not found'), h('p', {}, `No page ${path}.`));
    current = null;
    return;
  }
  const [m, page] = found;
  replace(el, h('p', { class: 'muted' }, 'Loading…'));
  try {
    current = await page(el, ...m.slice(1).map(decodeURIComponent));
    document.title = `${el.querySelector('h1')?.textContent || 'Stockade'} · Stockade`;
    el.focus({ preventScroll: true });
  } catch (err) {
    current = null;
    replace(el, h('h1', {}, 'Cannot show this page'), h('p', { class: 'form-error', role: 'alert' }, err.message));
  }
}

window.addEventListener('hashchange', route);
whenUnauthorized(() => {
  if (!session.me) return;
  session.me = null;
  signInPage('The token is no longer valid; sign in again.');
});

(async () => {
  if (!token()) return signInPage();
  try {
    await session.load();
    await start();
  } catch (err) {
    signInPage(err.status === 401 ? 'The token is no longer valid; sign in again.' : err.message);
  }
})();
