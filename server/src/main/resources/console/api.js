// The console's only way to the server: /v1 with the signed-in token as a bearer token.
const TOKEN_KEY = 'stockade.token';

class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || `http_${status}`;
    this.field = e.field || null;
    this.line = e.line || 0;
    this.column = e.column || 0;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};
export function whenUnauthorized(f) {
  onUnauthorized = f;
}

async function call(method, path, body, { contentType = 'application/json', accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  const r = await fetch(path, { method, headers, body: payload, signal });
  const text = await r.text();
  let json = null;
  if (text && (r.headers.get('Content-Type') || '').startsWith('application/json')) json = JSON.parse(text);
  if (!r.ok) {
    const err = new ApiError(r.status, json);
    if (r.status === 401) onUnauthorized(err);
    throw err;
  }
  return accept === 'text/plain' ? text : json;
}

/** All items of a list endpoint (the API pages at 1000). */
async function list(path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  let offset = 0;
  for (;;) {
    const page = await call('GET', `${path}${sep}limit=1000&offset=${offset}`);
    items.push(...page.items);
    if (page.nextOffset == null) return items;
    offset = page.nextOffset;
  }
}

export const api = {
  get: (path, opts) => call('GET', path, undefined, opts),
  getText: (path) => call('GET', path, undefined, { accept: 'text/plain' }),
  list,
  post: (path, body) => call('POST', path, body),
  put: (path, body) => call('PUT', path, body),
  putText: (path, text) => call('PUT', path, text, { contentType: 'text/plain' }),
  patch: (path, body) => call('PATCH', path, body),
  del: (path, body) => call('DELETE', path, body),
};

export const enc = encodeURIComponent;
