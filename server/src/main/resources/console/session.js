// Who is signed in, which project the console shows, and the names of things for display.
import { api, enc } from './api.js';

const SCOPE_KEY = 'stockade.project';

export const session = {
  me: null, // /v1/whoami
  projects: [],
  policy: {},

  async load() {
    this.me = await api.get('/v1/whoami');
    this.policy = await api.get('/v1/policy');
    this.projects = await api.list('/v1/projects');
    if (!this.admin && this.me.project) sessionStorage.setItem(SCOPE_KEY, this.me.project);
  },

  get admin() {
    return this.me && this.me.role === 'admin';
  },

  /** Hosts are the operator's infrastructure: a member sees none (as Neutron hides binding:host_id). */
  get seesHosts() {
    return this.me && ['admin', 'service', 'auditor'].includes(this.me.role);
  },

  /** The project shown: a member's own; for an admin the one picked in the switcher, or '' for all. */
  get project() {
    if (!this.admin) return this.me.project;
    const p = sessionStorage.getItem(SCOPE_KEY) || '';
    return this.projects.some((x) => x.id === p) ? p : '';
  },

  set project(id) {
    sessionStorage.setItem(SCOPE_KEY, id || '');
  },

  /** A list query for the shown project: '?project=p-…' or ''. */
  scoped(path) {
    const p = this.project;
    return p ? `${path}?project=${enc(p)}` : path;
  },

  projectName(id) {
    const p = this.projects.find((x) => x.id === id);
    return p ? p.name : id;
  },
};

/** Groups in scope plus the global ones (which every project may attach). */
export async function visibleGroups() {
  const all = await api.list('/v1/security-groups');
  const p = session.project;
  return all.filter((g) => !p || g.project === p || g.global);
}

/** The groups a vnic of this project may carry: its project's and the global ones. */
export function attachable(groups, projectId) {
  return groups.filter((g) => g.project === projectId || g.global);
}

/** A vnic as people name it: its name, else (it has none) its id. */
export function vnicLabel(v) {
  return v.name || v.id;
}
