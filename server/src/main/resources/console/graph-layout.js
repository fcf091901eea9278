// Layered layout for the policy graph: who may reach whom flows left to right. An edge that
// skips columns runs through a reserved slot in each column it crosses, so it never passes
// under a node.
// nodes: [{id, height}], edges: [{from, to}] -> {pos: Map(id -> {x, y, height}), routes: [points per edge], width, height}

export const NODE_W = 210;
const COL_GAP = 170;
const ROW_GAP = 30;
const LANE_H = 22;
const MARGIN = 24;
const TOP = 44;

/** Layers by longest path from the sources, after dropping the edges that close cycles (found by DFS). */
function layers(nodes, edges) {
  const out = new Map(nodes.map((n) => [n.id, []]));
  edges.filter((e) => e.from !== e.to).forEach((e) => out.get(e.from).push(e.to));
  const state = new Map();
  const forward = [];
  const visit = (id) => {
    state.set(id, 1);
    for (const t of out.get(id)) {
      if (state.get(t) === 1) continue; // closes a cycle: not used for layering
      forward.push([id, t]);
      if (!state.has(t)) visit(t);
    }
    state.set(id, 2);
  };
  nodes.forEach((n) => { if (!state.has(n.id)) visit(n.id); });
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  for (let changed = true, rounds = 0; changed && rounds <= nodes.length; rounds++) {
    changed = false;
    for (const [a, b] of forward) {
      if (layer.get(b) < layer.get(a) + 1) {
        layer.set(b, layer.get(a) + 1);
        changed = true;
      }
    }
  }
  return layer;
}

export function layout(nodes, edges) {
  const layer = layers(nodes, edges);
  const items = nodes.map((n) => ({ id: n.id, height: n.height, layer: layer.get(n.id) }));
  const links = [];
  const lanes = edges.map(() => []);
  edges.forEach((e, i) => {
    const a = layer.get(e.from);
    const b = layer.get(e.to);
    if (e.from === e.to || b <= a) return;
    let prev = e.from;
    for (let l = a + 1; l < b; l++) {
      const id = `lane:${i}:${l}`;
      items.push({ id, height: LANE_H, layer: l, lane: true });
      lanes[i].push(id);
      links.push([prev, id]);
      prev = id;
    }
    links.push([prev, e.to]);
  });
  const columns = [];
  items.forEach((n) => (columns[n.layer] = columns[n.layer] || []).push(n));
  for (let l = 0; l < columns.length; l++) columns[l] = columns[l] || [];
  // Barycenter ordering, a few sweeps left to right and back.
  const row = new Map();
  columns.forEach((col) => col.forEach((n, i) => row.set(n.id, i)));
  const order = (col, neighbours) => {
    const mean = (n) => {
      const r = neighbours(n.id).filter((x) => row.has(x)).map((x) => row.get(x));
      return r.length ? r.reduce((s, x) => s + x, 0) / r.length : row.get(n.id);
    };
    const keyed = col.map((n) => [mean(n), n]);
    keyed.sort((p, q) => p[0] - q[0]);
    keyed.forEach(([, n], i) => { col[i] = n; row.set(n.id, i); });
  };
  const preds = (id) => links.filter(([, b]) => b === id).map(([a]) => a);
  const succs = (id) => links.filter(([a]) => a === id).map(([, b]) => b);
  for (let sweep = 0; sweep < 4; sweep++) {
    if (sweep % 2 === 0) for (let l = 1; l < columns.length; l++) order(columns[l], preds);
    else for (let l = columns.length - 2; l >= 0; l--) order(columns[l], succs);
  }
  const pos = new Map();
  let height = 0;
  columns.forEach((col, l) => {
    let y = TOP;
    col.forEach((n) => {
      pos.set(n.id, { x: MARGIN + l * (NODE_W + COL_GAP), y, height: n.height });
      y += n.height + (n.lane ? 10 : ROW_GAP);
    });
    height = Math.max(height, y);
  });
  // Where each edge leaves its source and enters its target: spread so that parallel edges do not overlap.
  const outIdx = new Map();
  const inIdx = new Map();
  const routes = edges.map((e, i) => {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    const j = outIdx.get(e.from) || 0;
    const k = inIdx.get(e.to) || 0;
    outIdx.set(e.from, j + 1);
    inIdx.set(e.to, k + 1);
    if (e.from === e.to) return { kind: 'self', a };
    if (layer.get(e.to) <= layer.get(e.from)) return { kind: 'back', a, b, k };
    const pts = [[a.x + NODE_W, a.y + Math.min(16 + j * 12, a.height - 6)]];
    lanes[i].forEach((id) => {
      const p = pos.get(id);
      pts.push([p.x, p.y + LANE_H / 2], [p.x + NODE_W, p.y + LANE_H / 2]);
    });
    pts.push([b.x, b.y + Math.min(16 + k * 12, b.height - 6)]);
    // A long edge's label sits on its first straight run, a slot no node or other label uses.
    const lane = lanes[i].length ? pos.get(lanes[i][0]) : null;
    return { kind: 'forward', pts, label: lane ? [lane.x + NODE_W / 2, lane.y + LANE_H / 2 + 4] : null };
  });
  const width = MARGIN * 2 + Math.max(1, columns.length) * NODE_W + Math.max(0, columns.length - 1) * COL_GAP;
  return { pos, routes, width, height: height + MARGIN };
}

/** An SVG path for a route, and where its label goes. */
export function edgePath(route) {
  if (route.kind === 'self') {
    const x = route.a.x + NODE_W;
    const y = route.a.y + 14;
    return { d: `M${x},${y} C${x + 60},${y - 30} ${x + 60},${y + 40} ${x + 6},${y + 22}`, lx: x + 50, ly: y + 4 };
  }
  if (route.kind === 'back') {
    const { a, b, k } = route;
    const x1 = a.x + NODE_W / 2 + 20;
    const x2 = b.x + NODE_W / 2 - 20;
    const top = Math.min(a.y, b.y) - 14 - k * 8;
    return { d: `M${x1},${a.y} C${x1},${top} ${x2},${top} ${x2},${b.y - 6}`, lx: (x1 + x2) / 2, ly: top + 2 };
  }
  const p = route.pts;
  let d = `M${p[0][0]},${p[0][1]}`;
  for (let i = 1; i < p.length; i++) {
    const [x0, y0] = p[i - 1];
    const [x1, y1] = i === p.length - 1 ? [p[i][0] - 6, p[i][1]] : p[i];
    if (i % 2 === 0 && i < p.length - 1) d += ` L${x1},${y1}`; // straight through a lane
    else {
      const mx = (x0 + x1) / 2;
      d += ` C${mx},${y0} ${mx},${y1} ${x1},${y1}`;
    }
  }
  if (route.label) return { d, lx: route.label[0], ly: route.label[1] };
  const [sx, sy] = p[0];
  const [tx, ty] = p[1];
  return { d, lx: (sx + tx) / 2, ly: (sy + ty) / 2 - 6 };
}
