// Pages follow changes made elsewhere: a long poll on /v1/events returns when the world moves.
import { api } from './api.js';
import { status } from './dom.js';

let revision = null;
let running = null;
const listeners = new Set();
let fastHosts = false;

/** f() runs after every change of the world's revision (and on every poll when fast is set). */
export function onChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** Host status is not a world revision: the hosts page asks for a poll every few seconds. */
export function pollOften(on) {
  fastHosts = on;
}

export function currentRevision() {
  return revision;
}

export function start(initialRevision) {
  stop();
  revision = initialRevision;
  const ctl = new AbortController();
  running = ctl;
  (async () => {
    while (!ctl.signal.aborted) {
      try {
        const wait = fastHosts ? 4 : 25;
        const r = await api.get(`/v1/events?since=${revision}&wait=${wait}`, { signal: ctl.signal });
        const moved = r.revision !== revision;
        revision = r.revision;
        document.getElementById('revision').textContent = `revision ${revision}`;
        if (moved || fastHosts) listeners.forEach((f) => f(moved));
        // A burst of changes (a script, a bulk import) is taken in at most about once a second.
        if (moved) await new Promise((res) => setTimeout(res, 800));
      } catch (e) {
        if (ctl.signal.aborted) return;
        status(`Lost contact with the server (${e.message}); retrying…`, true);
        await new Promise((res) => setTimeout(res, 3000));
      }
    }
  })();
}

export function stop() {
  if (running) running.abort();
  running = null;
}
