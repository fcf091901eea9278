// Layered layout for the policy graph: who may reach whom flows left to right.
// nodes: [{id, height}], edges: [{from, to}] -> {pos: Map(id -> {x, y, layer}), width, height}

export const NODE_W = 210;
const COL_GAP = 170;
const ROW_GAP = 34;
const MARGIN = 24;

/** Layers by longest path from the sources, after dropping the edges that close cycles (found by DFS). */
function layers(nodes, edges) {
  const out = new Map(nodes.map((n) => [n.id, []]));
  edges.filter((e) => e.from !== e.to).forEach((e) => out.get(e.from).push(e.to));
  const state = new Map();
  const forward = [];
  const visit = (id) => {
    state.set(id, 1);
    for (const t of out.get(id)) {
      if (state.get(t) === 1) continue; // back edge: ignored for layering
      forward.push([id, t]);
      if (!state.has(t)) visit(t);
    }
    state.set(id, 2);
  };
  nodes.forEach((n) => { if (!state.has(n.id)) visit(n.id); });
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  for (let changed = true, rounds = 0; changed && rounds < nodes.length + 1; rounds++) {
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
  const columns = [];
  nodes.forEach((n) => {
    const l = layer.get(n.id);
    (columns[l] = columns[l] || []).push(n);
  });
  // One barycenter pass: order each column by the mean row of its predecessors.
  const row = new Map();
  columns.forEach((col, l) => {
    if (l > 0) {
      const mean = (n) => {
        const preds = edges.filter((e) => e.to === n.id && row.has(e.from)).map((e) => row.get(e.from));
        return preds.length ? preds.reduce((a, b) => a + b, 0) / preds.length : Infinity;
      };
      col.sort((a, b) => mean(a) - mean(b));
    }
    col.forEach((n, i) => row.set(n.id, i));
  });
  const pos = new Map();
  let height = 0;
  columns.forEach((col, l) => {
    let y = MARGIN + 20;
    col.forEach((n) => {
      pos.set(n.id, { x: MARGIN + l * (NODE_W + COL_GAP), y, layer: l, height: n.height });
      y += n.height + ROW_GAP;
    });
    height = Math.max(height, y);
  });
  const width = MARGIN * 2 + Math.max(1, columns.length) * NODE_W + Math.max(0, columns.length - 1) * COL_GAP;
  return { pos, width, height: height + MARGIN };
}

/** An SVG path from a's right side to b's left side (or around, when b is not to the right). */
export function edgePath(a, b, k = 0) {
  if (a === b) {
    const x = a.x + NODE_W;
    const y = a.y + 16;
    return { d: `M${x},${y} C${x + 60},${y - 30} ${x + 60},${y + 40} ${x},${y + 24}`, lx: x + 48, ly: y + 6 };
  }
  if (b.x > a.x) {
    const x1 = a.x + NODE_W;
    const y1 = a.y + Math.min(a.height / 2, 30);
    const x2 = b.x;
    const y2 = b.y + 16 + k * 14;
    const mx = (x1 + x2) / 2;
    return { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 6},${y2}`, lx: mx, ly: (y1 + y2) / 2 - 6 };
  }
  // Same column or backwards: leave from the top and come back over the nodes.
  const x1 = a.x + NODE_W / 2 + 20;
  const x2 = b.x + NODE_W / 2 - 20;
  const top = Math.min(a.y, b.y) - 18 - k * 10;
  return { d: `M${x1},${a.y} C${x1},${top} ${x2},${top} ${x2},${b.y - 6}`, lx: (x1 + x2) / 2, ly: top + 2 };
}
