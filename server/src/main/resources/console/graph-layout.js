// Layered layout for the policy graph: who may reach whom flows left to right.
//
// Columns alternate: groups in the even ones, edge labels in the odd ones (the gaps). Every edge
// is a chain of slots, one in each column it crosses: its label is the slot in the gap next to
// its source, a plain lane elsewhere. Slots and boxes are stacked in their column without
// overlap, so no label can overlap another label or a box, and the drawing's size is taken from
// the slots, so nothing is clipped. An edge that closes a cycle runs right to left through its
// own slots; a self-reference loops through a slot of its own in the gap after its box.
//
// nodes: [{id, height}]
// edges: [{from, to, label: {width, height, ascent}}]   (label size as measured in the page)
// -> {pos: Map(id -> {x, y, height}), routes: [{d, lx, ly}] (label at lx, baseline ly, anchored in the middle), width, height}

export const NODE_W = 210;
const SPACE = 34; // between columns, where edges curve from one slot to the next
const GAP_MIN = 40;
const NODE_GAP = 26;
const SLOT_GAP = 6;
const LANE_H = 12;
const LABEL_PAD = 5;
const LOOP_H = 12;
const MARGIN = 20;
const TOP = 20;

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
  // Items: boxes and slots, each in a column (2 * layer for boxes, odd for the gaps).
  const items = nodes.map((n) => ({ id: n.id, col: 2 * layer.get(n.id), height: n.height, node: true }));
  const links = [];
  const chains = edges.map((e, i) => {
    const a = 2 * layer.get(e.from);
    const b = 2 * layer.get(e.to);
    const labelH = e.label.height + 2 * LABEL_PAD;
    if (e.from === e.to) {
      const slot = { id: `slot:${i}:${a + 1}`, col: a + 1, height: labelH + LOOP_H, labelW: e.label.width };
      items.push(slot);
      links.push([e.from, slot.id]);
      return { kind: 'self', slots: [slot] };
    }
    const reversed = b < a;
    const [lo, hi] = reversed ? [b, a] : [a, b];
    const labelCol = reversed ? a - 1 : a + 1;
    const slots = [];
    for (let c = lo + 1; c < hi; c++) {
      const slot = c === labelCol ? { id: `slot:${i}:${c}`, col: c, height: labelH, labelW: e.label.width }
        : { id: `slot:${i}:${c}`, col: c, height: LANE_H };
      items.push(slot);
      slots.push(slot);
    }
    const ids = [reversed ? e.to : e.from, ...slots.map((s) => s.id), reversed ? e.from : e.to];
    for (let k = 1; k < ids.length; k++) links.push([ids[k - 1], ids[k]]);
    return { kind: reversed ? 'back' : 'forward', slots };
  });
  const ncols = 2 * Math.max(0, ...nodes.map((n) => layer.get(n.id))) + 2;
  const columns = Array.from({ length: ncols }, () => []);
  items.forEach((it) => columns[it.col].push(it));

  // Barycenter ordering, a few sweeps left to right and back.
  const row = new Map();
  columns.forEach((col) => col.forEach((it, k) => row.set(it.id, k)));
  const preds = new Map(items.map((it) => [it.id, []]));
  const succs = new Map(items.map((it) => [it.id, []]));
  links.forEach(([p, q]) => { succs.get(p).push(q); preds.get(q).push(p); });
  const order = (col, neighbours) => {
    const mean = (it) => {
      const r = neighbours.get(it.id).map((x) => row.get(x));
      return r.length ? r.reduce((s, x) => s + x, 0) / r.length : row.get(it.id);
    };
    const keyed = col.map((it) => [mean(it), it]);
    keyed.sort((p, q) => p[0] - q[0]);
    keyed.forEach(([, it], k) => { col[k] = it; row.set(it.id, k); });
  };
  for (let sweep = 0; sweep < 6; sweep++) {
    if (sweep % 2 === 0) for (let c = 1; c < ncols; c++) order(columns[c], preds);
    else for (let c = ncols - 2; c >= 0; c--) order(columns[c], succs);
  }

  // x: node columns NODE_W wide, gap columns as wide as their widest label.
  const colX = [];
  const colW = [];
  let x = MARGIN;
  columns.forEach((col, c) => {
    colW[c] = c % 2 === 0 ? NODE_W : Math.max(GAP_MIN, ...col.map((it) => (it.labelW || 0) + 2 * LABEL_PAD));
    colX[c] = x;
    x += colW[c] + SPACE;
  });
  // y: stacked in order, each item as near as it may get to the middle of its predecessors (never overlapping).
  const pos = new Map();
  const centre = (id) => pos.get(id).y + pos.get(id).height / 2;
  let height = 0;
  columns.forEach((col, c) => {
    let bottom = TOP;
    col.forEach((it, k) => {
      const placed = preds.get(it.id).filter((p) => pos.has(p));
      const want = placed.length ? placed.reduce((s, p) => s + centre(p), 0) / placed.length - it.height / 2 : TOP;
      const gap = k === 0 ? 0 : (it.node || col[k - 1].node ? NODE_GAP : SLOT_GAP);
      const y = Math.max(bottom + gap, want);
      pos.set(it.id, { x: colX[c], y, height: it.height, width: colW[c] });
      bottom = y + it.height;
    });
    height = Math.max(height, bottom);
  });

  // Ports: where edges leave and enter a box, spread down its side.
  const used = new Map();
  const port = (id, side) => {
    const key = `${id}:${side}`;
    const k = used.get(key) || 0;
    used.set(key, k + 1);
    const p = pos.get(id);
    return [side === 'right' ? p.x + NODE_W : p.x, p.y + Math.min(16 + k * 10, p.height - 6)];
  };
  const curve = ([x0, y0], [x1, y1]) => {
    const mx = (x0 + x1) / 2;
    return ` C${mx},${y0} ${mx},${y1} ${x1},${y1}`;
  };
  const routes = edges.map((e, i) => {
    const ch = chains[i];
    const line = (s) => pos.get(s.id).y + (s.labelW != null ? e.label.height + 2 * LABEL_PAD - 3 : LANE_H / 2);
    const label = (s) => ({ lx: pos.get(s.id).x + colW[s.col] / 2, ly: pos.get(s.id).y + LABEL_PAD + e.label.ascent });
    if (ch.kind === 'self') {
      const s = ch.slots[0];
      const p = pos.get(s.id);
      const out = port(e.from, 'right');
      const back = port(e.from, 'right');
      const y1 = line(s);
      const y2 = y1 + LOOP_H - 2;
      const r = p.x + p.width;
      const d = `M${out[0]},${out[1]}${curve(out, [p.x, y1])} L${r},${y1} C${r + SPACE / 2},${y1} ${r + SPACE / 2},${y2} ${r},${y2} L${p.x},${y2}${curve([p.x, y2], [back[0] + 6, back[1]])}`;
      return { d, ...label(s) };
    }
    const back = ch.kind === 'back';
    const slots = back ? [...ch.slots].reverse() : ch.slots;
    const start = port(e.from, back ? 'left' : 'right');
    const end = port(e.to, back ? 'right' : 'left');
    let d = `M${start[0]},${start[1]}`;
    let at = start;
    for (const s of slots) {
      const p = pos.get(s.id);
      const [inX, outX] = back ? [p.x + p.width, p.x] : [p.x, p.x + p.width];
      const y = line(s);
      d += `${curve(at, [inX, y])} L${outX},${y}`;
      at = [outX, y];
    }
    d += curve(at, [end[0] + (back ? 6 : -6), end[1]]);
    const labelled = slots.find((s) => s.labelW != null);
    return { d, ...label(labelled) };
  });
  return { pos, routes, width: x - SPACE + MARGIN, height: height + MARGIN };
}
