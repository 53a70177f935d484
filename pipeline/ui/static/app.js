// The web UI: a few views over the JSON API of pipeline/ui/server.py, routed by the URL fragment.
// Nothing polls: one EventSource (/api/events) says when asset states, the run history or the run
// in progress changed, and the view on screen redraws from it or reloads what it shows.
"use strict";

const COLORS = {fresh: "#2e7d32", stale: "#ef6c00", failed: "#c62828", running: "#f9a825", never: "#9e9e9e"};
// a node is filled with a tint of its state's color and framed in the color itself, so its label
// (dark on light) and its shard bar (in the state colors) stand out
const TINTS = {fresh: "#e4f2e5", stale: "#fdebd9", failed: "#fbe1e1", running: "#fff3c4", never: "#eeeeee"};
const BAR_ORDER = ["fresh", "running", "stale", "failed", "never"];  // a sharded node's bar, left to right
const HIDDEN_METADATA = ["seconds", "cpu_seconds", "changed_outputs", "peak_rss_mib", "process", "target", "checks"];  // as `doit status` hides them
const RECORD_KEYS = ["models", "records", "rows", "entities", "datasets", "papers", "licenses", "links"];
const RAN = ["success", "failed", "interrupted", "running"];  // task states of tasks that did something
const view = document.getElementById("view");
let current = {};        // the view on screen: {onAssets, onRuns, onActive, timer}
let latest = {assets: null, active: null};  // what the event stream said last
window.cy = null;        // the lineage graph (tests read node colors from it)
window.plots = {};       // the asset page's plots (tests read their data)
window.sse = {connected: false, events: {hello: 0, assets: 0, runs: 0, active: 0}};

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
function badge(state, extra) {
  return `<span class="state ${esc(state)}" data-state="${esc(state)}">${esc(state)}${state === "stale" ? "*" : ""}${extra ? " " + esc(extra) : ""}</span>`;
}
function when(ts) { return ts ? new Date(ts * 1000).toLocaleString() : "-"; }
function ago(ts) {
  if (!ts) return "never";
  const s = Math.max(0, Date.now() / 1000 - ts);
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]]) if (s >= size) return `${Math.floor(s / size)}${unit} ago`;
  return `${Math.floor(s)}s ago`;
}
function secs(d) { return d == null ? "-" : d < 10 ? `${d.toFixed(2)}s` : `${d.toFixed(1)}s`; }
function counted(counts) { return Object.entries(counts || {}).map(([s, n]) => `${n} ${s}`).join(", "); }
function notice(text, error) {
  const box = document.getElementById("notice");
  box.hidden = !text; box.textContent = text || ""; box.className = error ? "error" : "";
}
// Bumped by route(). A read answered after the user moved to another page never settles: a slow answer
// for the page left behind (the whole catalog, asked for before the query was typed) must not be drawn
// over the page shown now. `{keep: true}` is for answers not drawn into a page (the health notice).
let pageSerial = 0;
async function api(path, {keep, ...options} = {}) {
  const askedOn = pageSerial, reading = !options.method || options.method === "GET";
  const moved = () => reading && !keep && askedOn !== pageSerial;
  let body, response, failure;
  try {
    response = await fetch(path, options);
    const type = response.headers.get("content-type") || "";
    body = type.includes("json") ? await response.json() : await response.text();
  } catch (error) {
    failure = error;
  }
  if (moved()) return new Promise(() => {});
  if (failure) throw failure;
  if (!response.ok) throw new Error(body.error || body || response.statusText);
  return body;
}
function post(path, body) {
  return api(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body || {})});
}
function checksSummary(checks) {
  if (!checks || !checks.length) return "";
  const n = s => checks.filter(c => c.status === s).length;
  const parts = [`${n("pass")} passed`];
  if (n("warn")) parts.push(`${n("warn")} warning${n("warn") > 1 ? "s" : ""}`);
  if (n("fail")) parts.push(`${n("fail")} failed`);
  return parts.join(", ");
}
function checksBadge(checks) {
  if (!checks || !checks.length) return "";
  const worst = checks.some(c => c.status === "fail") ? "fail" : checks.some(c => c.status === "warn") ? "warn" : "pass";
  return `<span class="state check-${worst}" data-checks="${worst}">checks: ${esc(checksSummary(checks))}</span>`;
}
// The figure that says how big an asset is: the first of the usual record counts in its metadata.
function records(metadata) {
  const numeric = Object.entries(metadata || {}).filter(([k, v]) => typeof v === "number" && k !== "quarantined");
  const found = RECORD_KEYS.map(k => numeric.find(([key]) => key === k)).find(Boolean) || numeric[0];
  return found ? {key: found[0], value: found[1]} : null;
}

// -- the event stream ---------------------------------------------------------------------------------
function connect() {
  const source = new EventSource("/api/events");
  const on = (name, fn) => source.addEventListener(name, event => {
    window.sse.events[name] = (window.sse.events[name] || 0) + 1;
    fn(JSON.parse(event.data));
  });
  on("hello", () => {
    const again = window.sse.connected === "lost";
    window.sse.connected = true;
    if (again && current.onRuns) current.onRuns();  // missed changes while away
  });
  on("assets", data => { latest.assets = data; if (current.onAssets) current.onAssets(data); });
  on("active", active => { latest.active = active; showActive(active); if (current.onActive) current.onActive(active); });
  on("runs", () => { if (current.onRuns) current.onRuns(); });
  on("error", data => notice(data.error, true));
  source.onerror = () => { if (window.sse.connected) window.sse.connected = "lost"; };
}

function showActive(active) {
  const box = document.getElementById("active");
  if (!active) { box.innerHTML = ""; box.dataset.state = "idle"; return; }
  const link = active.run_id ? `<a href="#/runs/${esc(active.run_id)}">run ${esc(active.run_id)}</a>` : `pid ${esc(active.pid)}`;
  const word = active.cancelling ? "cancelling" : "running";
  box.dataset.state = word;
  box.innerHTML = `${word}: doit ${esc((active.args || []).join(" "))} (${link})`;
}

// -- Assets -----------------------------------------------------------------------------------------
function assetsView() {
  view.innerHTML = `
    <h2>Assets</h2>
    <div class="graph-bar">
      <span class="legend">${Object.keys(COLORS).map(s => badge(s)).join(" ")}</span>
      <span class="graph-tools">
        <button id="zoom-out" title="zoom out">−</button><button id="zoom-in" title="zoom in">+</button>
        <button id="fit" title="show the whole graph">Fit</button>
      </span>
    </div>
    <div class="graph-wrap"><div id="graph"></div><div id="graph-tip" hidden></div></div>
    <p class="muted hint">Scroll to zoom, drag to pan; hover an asset for its facts, click it for its page. The bar on a sharded asset shows its shards by state.</p>
    <div class="filters">
      <input id="q" placeholder="search by name" aria-label="search">
      <select id="fstate" aria-label="status"><option value="">any status</option>${Object.keys(COLORS).map(s => `<option>${s}</option>`).join("")}</select>
      <select id="fgroup" aria-label="group"><option value="">any group</option></select>
      <label>materialized from <input id="from" type="date" aria-label="materialized from"></label>
      <label>to <input id="to" type="date" aria-label="materialized to"></label>
      <span id="shown" class="muted"></span>
    </div>
    <table id="assets"><thead><tr><th>asset</th><th>group</th><th>status</th><th>last materialized</th><th>duration</th><th>details</th></tr></thead><tbody></tbody></table>`;
  let data = null;
  const render = () => {
    if (!data) return;
    const q = document.getElementById("q").value.toLowerCase();
    const fstate = document.getElementById("fstate").value, fgroup = document.getElementById("fgroup").value;
    const from = document.getElementById("from").value, to = document.getElementById("to").value;
    // local days, like the browser's date picker: from 00:00 of the first to the end of the last
    const start = from ? new Date(`${from}T00:00:00`).getTime() / 1000 : null;
    const end = to ? new Date(`${to}T00:00:00`).getTime() / 1000 + 86400 : null;
    const members = new Set(fgroup ? (data.jobs.find(j => j.name === fgroup)?.assets || []) : []);
    const rows = data.assets.filter(a => (!q || a.name.toLowerCase().includes(q)) && (!fstate || a.state === fstate)
      && (!fgroup || a.group === fgroup || members.has(a.name))
      && (start == null || (a.last_materialized != null && a.last_materialized >= start))
      && (end == null || (a.last_materialized != null && a.last_materialized < end)));
    document.querySelector("#assets tbody").innerHTML = rows.map(a => `
      <tr data-asset="${esc(a.name)}"><td><a href="#/assets/${encodeURIComponent(a.name)}">${esc(a.name)}</a></td><td>${esc(a.group)}</td>
      <td>${badge(a.state)}</td><td title="${esc(when(a.last_materialized))}">${when(a.last_materialized)}</td><td>${secs(a.last_duration)}</td>
      <td>${esc(details(a))} ${checksBadge(a.checks)}</td></tr>`).join("")
      || `<tr><td colspan="6" class="muted">no asset matches</td></tr>`;
    document.getElementById("shown").textContent = `${rows.length} of ${data.assets.length} assets`;
  };
  ["q", "fstate", "fgroup", "from", "to"].forEach(id => document.getElementById(id).addEventListener("input", render));
  document.getElementById("fit").onclick = () => fitGraph(true);
  document.getElementById("zoom-in").onclick = () => zoomBy(1.25);
  document.getElementById("zoom-out").onclick = () => zoomBy(0.8);
  const show = fresh => {
    data = fresh;
    const groups = document.getElementById("fgroup");
    if (groups.options.length === 1) {
      const names = [...new Set(data.assets.map(a => a.group).concat(data.jobs.map(j => j.name)))];
      groups.innerHTML += names.map(n => `<option>${esc(n)}</option>`).join("");
    }
    drawGraph(data);
    render();
  };
  current.onAssets = show;
  if (latest.assets) show(latest.assets);
  else api("/api/assets").then(d => { if (!latest.assets) show(d); }).catch(error => notice(error.message, true));
}

function details(a) {
  if (a.state !== "fresh") return a.reason;
  const meta = Object.entries(a.metadata || {}).map(([k, v]) => `${k}=${v}`).join(" ");
  return a.shards != null ? `${a.shards} shards: ${meta}` : meta;
}

// Asset names break after an underscore so a node stays narrow: "hf_index_models_" / "in_elasticsearch".
function wrapName(name, width = 17) {
  const lines = [];
  for (const part of name.split(/(?<=_)/)) {
    if (lines.length && (lines[lines.length - 1] + part).length <= width) lines[lines.length - 1] += part;
    else lines.push(part);
  }
  return lines;
}
const FONT = 13, LINE = 16, NODE_PAD = 14, BAR_H = 6, ROW_GAP = 30;
const READABLE_ZOOM = 10 / FONT;  // below this, a label is smaller than 10 px on screen
function nodeShape(a) {
  const lines = wrapName(a.name);
  const fresh = a.shard_counts?.fresh || 0;
  if (a.shards != null) lines.push(`${fresh}/${a.shards} fresh`);
  if (a.state !== "fresh") lines.push(a.state);
  const width = Math.max(110, Math.max(...lines.map(l => l.length)) * 7.3 + 2 * NODE_PAD);
  const height = lines.length * LINE + 2 * NODE_PAD - 6 + (a.shards != null ? BAR_H + 6 : 0);
  return {label: lines.join("\n"), width, height};
}
// A sharded asset's shards by state, as a stacked bar along the bottom of its node (an SVG image).
function shardBar(a, width, height) {
  if (a.shards == null || !a.shards) return "none";
  const x0 = 10, w = width - 20, y = height - BAR_H - 7;
  // every state present gets at least 2 px, so one stale shard of 256 still shows
  const shares = BAR_ORDER.map(state => [state, a.shard_counts?.[state] || 0]).filter(([, n]) => n)
    .map(([state, n]) => [state, Math.max(2, w * n / a.shards)]);
  const scale = w / shares.reduce((sum, [, dx]) => sum + dx, 0);
  let x = x0, parts = "";
  for (const [state, share] of shares) {
    const dx = share * scale;
    parts += `<rect x="${x.toFixed(2)}" y="${y}" width="${dx.toFixed(2)}" height="${BAR_H}" fill="${COLORS[state]}"/>`;
    x += dx;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
    + `<rect x="${x0 - 1}" y="${y - 1}" width="${w + 2}" height="${BAR_H + 2}" rx="2" fill="#fff" stroke="#9aa5b1"/>${parts}</svg>`;
  return "data:image/svg+xml;utf8," + encodeURIComponent(svg);
}
function nodeData(a) {
  const shape = nodeShape(a);
  const out = {id: a.name, state: a.state, color: COLORS[a.state], tint: TINTS[a.state], label: shape.label, w: shape.width, h: shape.height,
               bar: shardBar(a, shape.width, shape.height)};
  if (a.shards) out.fresh = (a.shard_counts?.fresh || 0) / a.shards;  // the share of shards fresh (the bar's green)
  return out;
}

// Left to right like Dagster's asset graph, in columns no taller than the widest stage needs: an asset
// goes in the first column after all its upstream assets that has room, the assets with the least
// slack (the latest possible column, counted back from the sinks) placed first, so loaders and other
// leaves move right instead of piling up in one tall column. Within a column, an asset sits near the
// mean row of its upstream assets, which keeps edges short and crossings few.
function layered(data, sizes) {
  const names = data.assets.map(a => a.name), known = new Set(names);
  const upstream = Object.fromEntries(data.assets.map(a => [a.name, a.upstream.filter(u => known.has(u))]));
  const downstream = Object.fromEntries(names.map(n => [n, []]));
  names.forEach(n => upstream[n].forEach(u => downstream[u].push(n)));
  const longest = (edges) => {  // the longest path to each asset along `edges` (a cycle cannot happen in doit, but never loop)
    const memo = {};
    const walk = (name, seen) => {
      if (memo[name] != null) return memo[name];
      if (seen.has(name)) return 0;
      seen.add(name);
      memo[name] = Math.max(-1, ...edges[name].map(e => walk(e, seen))) + 1;
      return memo[name];
    };
    names.forEach(n => walk(n, new Set()));
    return memo;
  };
  const earliest = longest(upstream), tail = longest(downstream);
  const layers = Math.max(0, ...names.map(n => earliest[n])) + 1;
  const room = Math.ceil(names.length / layers) + 1;  // assets a column holds
  const latest = Object.fromEntries(names.map(n => [n, layers - 1 - tail[n]]));
  const order = [...names].sort((p, q) => latest[p] - latest[q] || earliest[p] - earliest[q] || names.indexOf(p) - names.indexOf(q));
  const column = {}, columns = [];
  const placed = new Set();
  while (placed.size < names.length) {  // list scheduling: each round places the ready asset with the least slack
    const ready = order.find(n => !placed.has(n) && upstream[n].every(u => placed.has(u)));
    let c = Math.max(0, ...upstream[ready].map(u => column[u] + 1));
    while ((columns[c] || []).length >= room) c += 1;
    (columns[c] = columns[c] || []).push(ready);
    column[ready] = c;
    placed.add(ready);
  }
  const row = {};
  columns.forEach((members, c) => {
    const mean = n => upstream[n].length ? upstream[n].reduce((sum, u) => sum + row[u], 0) / upstream[n].length : names.indexOf(n) / names.length;
    if (c > 0) members.sort((p, q) => mean(p) - mean(q));
    members.forEach((n, i) => { row[n] = members.length > 1 ? i / (members.length - 1) : 0.5; });
  });
  const widest = Math.max(...Object.values(sizes).map(s => s.w));
  const positions = {};
  columns.forEach((members, c) => {
    const tall = members.reduce((sum, n) => sum + sizes[n].h, 0) + ROW_GAP * (members.length - 1);
    let y = -tall / 2;
    members.forEach(n => { positions[n] = {x: c * (widest + 44), y: y + sizes[n].h / 2}; y += sizes[n].h + ROW_GAP; });
  });
  return positions;
}

// The whole graph in view; never smaller than readable (then the left of the graph, and pan for the rest).
function fitGraph(force) {
  const cy = window.cy;
  if (!cy) return;
  if (!force && cy.scratch("userMoved")) return;
  cy.scratch("userMoved", false);
  cy.fit(undefined, 16);
  const z = cy.zoom();
  if (z > 1.25 || z < READABLE_ZOOM) {
    const level = Math.min(1.25, Math.max(READABLE_ZOOM, z));
    const box = cy.elements().boundingBox();
    cy.zoom(level);
    const left = z < READABLE_ZOOM ? 16 - box.x1 * level : (cy.width() - box.w * level) / 2 - box.x1 * level;
    cy.pan({x: left, y: (cy.height() - box.h * level) / 2 - box.y1 * level});
  }
}
function zoomBy(factor) {
  const cy = window.cy;
  if (!cy) return;
  cy.scratch("userMoved", true);
  cy.zoom({level: cy.zoom() * factor, renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}});
}

function drawGraph(data) {
  const box = document.getElementById("graph");
  if (!box) return;
  if (typeof cytoscape === "undefined") {
    box.innerHTML = `<p class="muted" id="graph-missing">The graph library is missing: run <code>npm ci</code> in pipeline/ui (see README).</p>`;
    return;
  }
  const byName = Object.fromEntries(data.assets.map(a => [a.name, a]));
  const cy = window.cy;
  if (cy && cy.container() === box && cy.nodes().length === data.assets.length && data.assets.every(a => cy.getElementById(a.name).nonempty())) {
    cy.batch(() => data.assets.forEach(a => cy.getElementById(a.name).data(nodeData(a))));
    const tip = document.getElementById("graph-tip");
    if (!tip.hidden && byName[tip.dataset.asset]) showTip(byName[tip.dataset.asset], cy.getElementById(tip.dataset.asset));
    return;
  }
  if (cy) cy.destroy();
  const nodes = data.assets.map(a => ({data: nodeData(a)}));
  const sizes = Object.fromEntries(nodes.map(n => [n.data.id, {w: n.data.w, h: n.data.h}]));
  window.cy = cytoscape({
    container: box,
    elements: [...nodes, ...data.edges.map(([up, down]) => ({data: {id: `${up}->${down}`, source: up, target: down}}))],
    layout: {name: "preset", positions: layered(data, sizes), fit: false},
    style: [
      {selector: "node", style: {"shape": "round-rectangle", "background-color": "data(tint)", "label": "data(label)",
        "border-width": 3, "border-color": "data(color)", "color": "#1f2933", "text-valign": "center", "text-halign": "center", "text-wrap": "wrap", "font-size": FONT,
        "line-height": LINE / FONT, "font-family": "system-ui, sans-serif", "width": "data(w)", "height": "data(h)",
        "background-image": "data(bar)", "background-fit": "none", "background-clip": "node",
        "background-width": "data(w)", "background-height": "data(h)", "background-image-containment": "over"}},
      {selector: "node[fresh]", style: {"text-margin-y": -(BAR_H + 6) / 2}},
      {selector: 'node[state = "stale"]', style: {"border-style": "dashed"}},
      {selector: "node:active", style: {"overlay-opacity": 0.08}},
      {selector: "edge", style: {"curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2,
        "line-color": "#90a4ae", "target-arrow-color": "#90a4ae"}},
    ],
    minZoom: 0.15, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: true,
  });
  const graph = window.cy;
  if (!box.dataset.watched) {  // a person zoomed: leave their view alone when the page resizes
    box.dataset.watched = "1";
    box.addEventListener("wheel", () => { if (window.cy) window.cy.scratch("userMoved", true); }, {passive: true});
    box.addEventListener("mouseleave", hideTip);  // the graph does not say "mouseout" when the pointer leaves it
  }
  graph.on("dragpan", () => graph.scratch("userMoved", true));
  graph.on("tap", "node", event => { location.hash = `#/assets/${encodeURIComponent(event.target.id())}`; });
  const tipFor = event => {
    const a = (latest.assets || data).assets.find(x => x.name === event.target.id()) || byName[event.target.id()];
    if (a) showTip(a, event.target);
  };
  graph.on("mouseover", "node", tipFor);
  graph.on("mousemove", "node", event => {  // back onto a node after leaving the graph: no new "mouseover"
    const tip = document.getElementById("graph-tip");
    if (tip && (tip.hidden || tip.dataset.asset !== event.target.id())) tipFor(event);
  });
  graph.on("mouseout", "node", hideTip);
  graph.on("viewport", () => { const tip = document.getElementById("graph-tip"); if (tip && !tip.hidden) hideTip(); });
  fitGraph(true);
  if (window.ResizeObserver) {
    const watcher = new ResizeObserver(() => { if (window.cy === graph) { graph.resize(); fitGraph(false); } });
    watcher.observe(box);
    graph.one("destroy", () => watcher.disconnect());
  }
}

// Quick facts of an asset, next to its node: state, last run, records, checks.
function showTip(a, node) {
  const tip = document.getElementById("graph-tip");
  if (!tip) return;
  const rec = records(a.metadata);
  const quarantined = a.metadata && typeof a.metadata.quarantined === "number" ? a.metadata.quarantined : null;
  const last = a.last_run;
  tip.dataset.asset = a.name;
  tip.innerHTML = `<strong>${esc(a.name)}</strong> ${badge(a.state)}
    ${a.reason ? `<div class="muted">${esc(a.reason)}</div>` : ""}
    <dl>
      <dt>materialized</dt><dd>${a.last_materialized ? `${esc(ago(a.last_materialized))} (${esc(when(a.last_materialized))}), ${secs(a.last_duration)}` : "never"}</dd>
      <dt>last run</dt><dd data-fact="last-run">${last ? `${esc(last.run_id)}: ${esc(last.status)}, ${esc(ago(last.started))}` : "none"}</dd>
      <dt>records</dt><dd data-fact="records">${rec ? `${esc(rec.value.toLocaleString())} ${esc(rec.key)}` : "-"}${quarantined != null ? `, ${esc(quarantined)} quarantined` : ""}</dd>
      ${a.shards != null ? `<dt>shards</dt><dd>${esc(counted(a.shard_counts))} of ${esc(a.shards)}</dd>` : ""}
      <dt>checks</dt><dd data-fact="checks">${a.checks && a.checks.length ? esc(checksSummary(a.checks)) : "none"}</dd>
    </dl>`;
  tip.hidden = false;
  // beside the node: to its right if there is room, else to its left
  const box = node.renderedBoundingBox();
  const wrap = tip.parentElement.getBoundingClientRect();
  const right = box.x2 + 8 + tip.offsetWidth <= wrap.width;
  const x = right ? box.x2 + 8 : Math.max(4, box.x1 - tip.offsetWidth - 8);
  const y = Math.min(Math.max(4, box.y1), Math.max(4, wrap.height - tip.offsetHeight - 4));
  tip.style.left = `${x}px`;
  tip.style.top = `${y}px`;
}
function hideTip() { const tip = document.getElementById("graph-tip"); if (tip) tip.hidden = true; }

// -- Asset ----------------------------------------------------------------------------------------------
function assetView(name) {
  view.innerHTML = `<p><a href="#/assets">← Assets</a></p><div id="asset">loading…</div>
    <section id="plots-section"><h3>Materializations over time</h3>
      <p class="muted">One point per run that materialized the asset: its figures after that run (a sharded asset's shards summed) and the build time it took.</p>
      <div id="plots"></div></section>
    <div id="asset-runs"></div>`;
  let plotted = null;
  const load = async () => {
    let a;
    try { a = await api(`/api/assets/${encodeURIComponent(name)}`); } catch (error) { notice(error.message, true); return; }
    const box = document.getElementById("asset");
    if (!box) return;
    box.innerHTML = `
      <h2>${esc(a.name)} ${badge(a.state)}</h2>
      <p>${esc(a.description)}</p>
      <p><button id="materialize" title="doit -s ${esc(a.name)}: only this asset">Materialize</button>
         <button id="materialize-plus" class="primary" title="doit ${esc(a.name)}: with its stale upstream">Materialize +</button></p>
      <dl>
        <dt>group</dt><dd>${esc(a.group)}</dd>
        <dt>jobs</dt><dd>${a.jobs.map(j => esc(j)).join(", ") || "-"}</dd>
        <dt>state</dt><dd>${esc(a.state)}${a.reason ? ": " + esc(a.reason) : ""}</dd>
        <dt>last materialized</dt><dd id="last">${when(a.last_materialized)} (${secs(a.last_duration)})</dd>
        <dt>upstream</dt><dd>${a.upstream.map(u => `<a href="#/assets/${encodeURIComponent(u)}">${esc(u)}</a>`).join(", ") || "-"}</dd>
        <dt>downstream</dt><dd>${a.downstream.map(u => `<a href="#/assets/${encodeURIComponent(u)}">${esc(u)}</a>`).join(", ") || "-"}</dd>
        <dt>metadata</dt><dd>${Object.entries(a.metadata).map(([k, v]) => `${esc(k)}=${esc(v)}`).join(" ") || "-"}</dd>
        ${a.shards != null ? `<dt>shards</dt><dd>${a.shards}: ${esc(counted(a.shard_counts))}</dd>` : ""}
        <dt>files</dt><dd>${a.files.slice(0, 12).map(f => `<code>${esc(f)}</code>`).join("<br>")}${a.files.length > 12 ? `<br>… ${a.files.length - 12} more` : ""}</dd>
      </dl>
      ${a.checks && a.checks.length ? `<h3>Checks</h3>${checksTable(a.checks, "checks")}` : ""}`;
    const runs = document.getElementById("asset-runs");
    const openRuns = new Set([...runs.querySelectorAll("details[open]")].map(d => d.dataset.key));
    runs.innerHTML = `
      <h3>Recent runs</h3>
      <table><thead><tr><th>run</th><th>status</th><th>started</th><th>duration</th><th>logs</th></tr></thead><tbody>
      ${a.recent_runs.map(r => `<tr><td><a href="#/runs/${esc(r.run.id)}">${esc(r.run.id)}</a></td><td>${badge(r.status)}</td>
        <td>${when(r.run.started)}</td><td>${secs(r.run.duration)}</td>
        <td>${r.tasks > 1 ? `<span class="muted">${esc(r.tasks)} tasks</span>` : ""}${r.logs.map(t => `<details data-key="${esc(r.run.id + t.name)}"${openRuns.has(r.run.id + t.name) ? " open" : ""}><summary>${esc(t.name)} (${esc(t.status)})</summary><pre>${esc(logText(t))}</pre></details>`).join("")}</td></tr>`).join("")
        || `<tr><td colspan="5" class="muted">never ran</td></tr>`}
      </tbody></table>`;
    document.getElementById("materialize").onclick = () => launch({asset: a.name, mode: "only"});
    document.getElementById("materialize-plus").onclick = () => launch({asset: a.name, mode: "upstream"});
  };
  const loadPlots = async () => {
    let m;
    try { m = await api(`/api/assets/${encodeURIComponent(name)}/materializations`); } catch (error) { notice(error.message, true); return; }
    const key = JSON.stringify(m);
    if (key === plotted || !document.getElementById("plots")) return;
    plotted = key;
    drawPlots(m);
  };
  current.onAssets = load;
  current.onRuns = () => { load(); loadPlots(); };
  load();
  loadPlots();
}

function checksTable(checks, id) {
  return `<table class="checks"${id ? ` id="${id}"` : ""}><thead><tr><th>check</th><th>severity</th><th>result</th><th>figure</th><th>what it measures</th></tr></thead><tbody>
    ${checks.map(c => `<tr data-check="${esc(c.check)}"><td>${esc(c.check)}</td><td>${esc(c.severity)}</td>
      <td><span class="state check-${esc(c.status)}" data-state="${esc(c.status)}">${esc(c.status)}</span></td>
      <td>${esc(c.value == null ? "-" : c.value)}</td><td>${esc(c.detail)}</td></tr>`).join("")}
    </tbody></table>`;
}

// Dagster-style asset plots: one small chart per figure, x = when the run materialized it.
function drawPlots(m) {
  const box = document.getElementById("plots");
  Object.values(window.plots).forEach(p => p.destroy());
  window.plots = {};
  if (typeof uPlot === "undefined") {
    box.innerHTML = `<p class="muted" id="plots-missing">The plot library is missing: run <code>npm ci</code> in pipeline/ui (see README).</p>`;
    return;
  }
  if (!m.points.length) { box.innerHTML = `<p class="muted" id="plots-empty">Not materialized yet.</p>`; return; }
  const keys = m.keys.filter(k => k !== "quarantined");
  const preferred = RECORD_KEYS.find(k => keys.includes(k)) || keys[0];
  box.innerHTML = `
    ${keys.length ? `<div class="plot" data-plot="records"><div class="plot-title">records:
      <select id="plot-metric" aria-label="figure">${keys.map(k => `<option${k === preferred ? " selected" : ""}>${esc(k)}</option>`).join("")}</select></div>
      <div class="chart"></div></div>` : ""}
    ${m.keys.includes("quarantined") ? `<div class="plot" data-plot="quarantined"><div class="plot-title">quarantined</div><div class="chart"></div></div>` : ""}
    <div class="plot" data-plot="duration"><div class="plot-title">build time (task seconds; shards summed)</div><div class="chart"></div></div>`;
  const xs = m.points.map(p => p.at);
  const width = Math.max(320, Math.min(900, box.clientWidth - 8));
  const chart = (name, label, values, color, bars) => {
    const target = box.querySelector(`[data-plot="${name}"] .chart`);
    if (!target) return;
    const series = {label, stroke: color, width: 2, fill: bars ? color + "55" : undefined,
                    points: {show: true, size: 7, fill: color}, value: (u, v) => v == null ? "-" : v.toLocaleString()};
    if (bars && uPlot.paths && uPlot.paths.bars) series.paths = uPlot.paths.bars({size: [0.6, 40]});
    // room around the first and last point (an hour around a single one), so bars and points show whole
    const pad = xs.length === 1 ? 3600 : Math.max(1, (xs[xs.length - 1] - xs[0]) * 0.06);
    window.plots[name] = new uPlot({
      width, height: 150, series: [{label: "materialized", value: (u, v) => v == null ? "-" : new Date(v * 1000).toLocaleString()}, series],
      scales: {x: {time: true, range: () => [xs[0] - pad, xs[xs.length - 1] + pad]},
               y: {range: (u, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.15 : 1]}},
      axes: [{}, {size: 60}],
    }, [xs, values], target);
  };
  const drawRecords = key => {
    if (window.plots.records) { window.plots.records.destroy(); delete window.plots.records; }
    chart("records", key, m.points.map(p => p.metrics[key] ?? null), "#1f6feb", false);
  };
  if (keys.length) {
    drawRecords(preferred);
    document.getElementById("plot-metric").onchange = event => drawRecords(event.target.value);
  }
  if (m.keys.includes("quarantined")) chart("quarantined", "quarantined", m.points.map(p => p.metrics.quarantined ?? null), "#c62828", false);
  chart("duration", "task seconds", m.points.map(p => p.task_seconds), "#6a1b9a", true);
}

// JSON as `doit logs` prints it (Python's json.dumps with sorted keys), so the UI and the CLI read alike
function pyJson(value) {
  if (Array.isArray(value)) return `[${value.map(pyJson).join(", ")}]`;
  if (value && typeof value === "object") return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}: ${pyJson(value[k])}`).join(", ")}}`;
  return JSON.stringify(value);
}
function logText(t) {
  const parts = [];
  if (Object.keys(t.metadata || {}).length) parts.push("metadata: " + pyJson(t.metadata));
  for (const key of ["stdout", "stderr", "error"]) if (t[key]) parts.push(`-- ${key}\n${t[key].trimEnd()}`);
  return parts.join("\n") || "(no output)";
}

async function launch(body) {
  try {
    const started = await post("/api/runs", body);
    const link = started.run_id ? ` <a href="#/runs/${esc(started.run_id)}" id="run-link">open run ${esc(started.run_id)}</a>`
      : ` (not in the run history yet; its console output is in <code>${esc(started.console)}</code>)`;
    const box = document.getElementById("notice");
    box.hidden = false; box.className = "";
    box.innerHTML = `started <code>${esc(started.command)}</code>${link}`;
  } catch (error) { notice(error.message, true); }
}

// -- Jobs -------------------------------------------------------------------------------------------
function jobsView() {
  view.innerHTML = `<h2>Jobs</h2><table id="jobs"><thead><tr><th>job</th><th>assets</th><th>states</th><th></th></tr></thead><tbody></tbody></table>`;
  const show = data => {
    const states = Object.fromEntries(data.assets.map(a => [a.name, a.state]));
    document.querySelector("#jobs tbody").innerHTML = data.jobs.map(j => `<tr data-job="${esc(j.name)}">
      <td><strong>${esc(j.name)}</strong><br><span class="muted">${esc(j.description)}</span></td>
      <td>${j.assets.map(n => `<a href="#/assets/${encodeURIComponent(n)}">${esc(n)}</a> ${badge(states[n])}`).join("<br>")}</td>
      <td>${esc(counted(j.counts))}</td>
      <td><button class="primary" data-run="${esc(j.name)}">Run</button></td></tr>`).join("");
    document.querySelectorAll("button[data-run]").forEach(b => { b.onclick = () => launch({job: b.dataset.run}); });
  };
  current.onAssets = show;
  if (latest.assets) show(latest.assets);
  else api("/api/assets").then(d => { if (!latest.assets) show(d); }).catch(error => notice(error.message, true));
}

// -- Runs -------------------------------------------------------------------------------------------
function runsView() {
  view.innerHTML = `<h2>Runs</h2><table id="runs"><thead><tr><th>run</th><th>status</th><th>command</th><th>started</th><th>duration</th><th>assets</th></tr></thead><tbody></tbody></table>`;
  const load = async () => {
    let data;
    try { data = await api("/api/runs?limit=50&tasks=0"); } catch (error) { notice(error.message, true); return; }
    const body = document.querySelector("#runs tbody");
    if (!body) return;
    body.innerHTML = data.runs.map(r => `<tr data-run="${esc(r.id)}">
      <td><a href="#/runs/${esc(r.id)}">${esc(r.id)}</a></td><td>${badge(r.status)}</td>
      <td><code>doit ${esc(r.argv.slice(1).join(" "))}</code></td><td>${when(r.started)}</td><td>${secs(r.duration)}</td>
      <td>${esc(runAssets(r))}${r.failed_assets.length ? ` <span class="failed-names">(failed: ${r.failed_assets.map(esc).join(", ")})</span>` : ""}</td></tr>`).join("")
      || `<tr><td colspan="6" class="muted">no runs yet</td></tr>`;
  };
  current.onRuns = load;
  load();
}
function runAssets(r) {
  const c = r.asset_counts || {};
  const words = [["success", "materialized"], ["running", "running"], ["failed", "failed"], ["interrupted", "interrupted"],
                 ["up-to-date", "up to date"], ["skipped", "skipped"]].filter(([k]) => c[k]).map(([k, w]) => `${c[k]} ${w}`);
  const tasks = Object.values(r.counts || {}).reduce((s, n) => s + n, 0);
  return `${words.join(", ") || "nothing"} (${tasks} task${tasks === 1 ? "" : "s"})`;
}

// A run, one row per asset: its shards folded in (counts, build time, slowest), its checks; expand for the shards and logs.
function runView(id) {
  view.innerHTML = `<p><a href="#/runs">← Runs</a></p><div id="run">loading…</div>`;
  const expanded = new Set(), openLogs = new Set(), logCache = new Map(), filters = {};
  let run = null, cancelling = false;
  const load = async () => {
    let r;
    try { r = await api(`/api/runs/${encodeURIComponent(id)}?tasks=0`); } catch (error) { notice(error.message, true); return; }
    const box = document.getElementById("run");
    if (!box) return;
    if (!run) {  // what failed is open from the start, with its logs
      r.assets.filter(g => g.status === "failed" || g.status === "interrupted").forEach(g => {
        expanded.add(g.asset);
        g.failed.filter(t => t.status === "failed").slice(0, 3).forEach(t => openLogs.add(t.name));
      });
    }
    run = r;
    if (r.status !== "running") cancelling = false;
    const summary = runAssets(r);
    box.innerHTML = `
      <h2>Run ${esc(r.id)} ${badge(r.status)}${r.status === "running" && (cancelling || r.cancelling) ? ` <span class="state cancelling" id="cancelling">cancelling…</span>` : ""}</h2>
      <p><code>doit ${esc(r.argv.slice(1).join(" "))}</code> started ${when(r.started)}, duration ${secs(r.duration)}
      ${r.status === "running" ? ` <button id="cancel"${cancelling || r.cancelling ? " disabled" : ""}>Cancel</button>` : ""}</p>
      ${(r.events || []).length ? `<ul id="run-events">${r.events.map(e => `<li>${when(e.at)}: ${esc(e.event)}</li>`).join("")}</ul>` : ""}
      <p id="run-summary">${r.assets.length} asset${r.assets.length === 1 ? "" : "s"}: ${esc(summary)}</p>
      <table id="run-assets"><thead><tr><th></th><th>asset</th><th>status</th><th>tasks</th><th title="the tasks' durations summed (and the time from the first start to the last end)">build time</th><th>slowest</th><th title="the metadata of the tasks this run materialized, summed">figures</th><th>checks</th></tr></thead>
      <tbody>${r.assets.map(g => assetRow(g)).join("")}</tbody></table>`;
    box.querySelectorAll("tr[data-asset-row]").forEach(row => {
      row.querySelector("button.expand").onclick = () => {
        const asset = row.dataset.assetRow;
        if (expanded.has(asset)) expanded.delete(asset); else expanded.add(asset);
        load();
      };
    });
    const cancel = document.getElementById("cancel");
    if (cancel) cancel.onclick = async () => {
      cancel.disabled = true;
      try {
        const answer = await post(`/api/runs/${encodeURIComponent(r.id)}/cancel`);
        notice(answer.message);
        if (answer.cancelled) {  // say so at once; the event stream confirms, then says when it ended
          cancelling = true;
          showActive({...(latest.active || {args: r.argv.slice(1), run_id: r.id, pid: r.pid}), cancelling: true});
          load();
        }
      } catch (error) { notice(error.message, true); cancel.disabled = false; }
    };
    await Promise.all([...expanded].filter(a => r.assets.some(g => g.asset === a)).map(a => expand(r, a)));
  };
  const assetRow = g => {
    const open = expanded.has(g.asset);
    const figures = records(g.metadata);
    const quarantined = typeof g.metadata.quarantined === "number" && g.metadata.quarantined ? `, ${g.metadata.quarantined} quarantined` : "";
    return `<tr data-asset-row="${esc(g.asset)}" class="${open ? "open" : ""}">
      <td><button class="expand" aria-expanded="${open}" title="${g.shards ? "shards and their logs" : "its logs"}">${open ? "▾" : "▸"}</button></td>
      <td><a href="#/assets/${encodeURIComponent(g.asset)}">${esc(g.asset)}</a>${g.shards ? ` <span class="muted">${esc(g.shards)} shards</span>` : ""}</td>
      <td>${badge(g.status)}</td>
      <td class="counts">${esc(counted(g.counts))}</td>
      <td>${g.task_seconds != null ? secs(g.task_seconds) : "-"}${g.ended && g.started && g.shards ? ` <span class="muted">(${secs(g.ended - g.started)} wall)</span>` : ""}</td>
      <td>${g.slowest && g.shards ? `shard ${esc(g.slowest.name.split(":")[1])}: ${secs(g.slowest.duration)}` : "-"}</td>
      <td>${figures ? `${esc(figures.value.toLocaleString())} ${esc(figures.key)}${esc(quarantined)}` : "-"}</td>
      <td>${checksBadge(g.checks)}</td></tr>
      ${open ? `<tr class="expansion" data-expansion="${esc(g.asset)}"><td></td><td colspan="7"><span class="muted">loading…</span></td></tr>` : ""}`;
  };
  const expand = async (r, asset) => {
    let detail;
    try { detail = await api(`/api/runs/${encodeURIComponent(r.id)}/assets/${encodeURIComponent(asset)}`); } catch (error) { notice(error.message, true); return; }
    const cell = document.querySelector(`tr[data-expansion="${CSS.escape(asset)}"] td:last-child`);
    if (!cell) return;
    // what is worth seeing first: the failures, else what ran when much was up to date, else all
    const work = detail.tasks.filter(t => t.part !== "checks");
    const ranSome = work.some(t => RAN.includes(t.status)) && work.some(t => !RAN.includes(t.status));
    const filter = filters[asset] || (work.some(t => t.status === "failed" || t.status === "interrupted") ? "failed"
      : ranSome ? "ran" : "all");
    let tasks = detail.tasks.filter(t => t.part !== "checks");
    if (filter === "failed") tasks = tasks.filter(t => t.status === "failed" || t.status === "interrupted");
    if (filter === "ran") tasks = tasks.filter(t => !["up-to-date", "skipped"].includes(t.status));
    if (filter === "slowest") tasks = [...tasks].sort((p, q) => (q.duration ?? -1) - (p.duration ?? -1));
    const checksTask = detail.tasks.find(t => t.part === "checks");
    cell.innerHTML = `
      ${detail.checks && detail.checks.length ? `<div class="sub">checks${checksTask ? ` (task ${esc(checksTask.name)}, ${esc(checksTask.status)})` : ""}:</div>${checksTable(detail.checks)}` : ""}
      ${detail.shards ? `<div class="sub">shards <select class="shard-filter" aria-label="shards">
        ${[["all", "all, by shard"], ["slowest", "slowest first"], ["failed", "failed or interrupted"], ["ran", "ran (not up to date or skipped)"]]
          .map(([v, label]) => `<option value="${v}"${v === filter ? " selected" : ""}>${label}</option>`).join("")}</select>
        <span class="muted">${tasks.length} shown</span></div>` : ""}
      <table class="tasks"><thead><tr><th>task</th><th>status</th><th>started</th><th>duration</th><th>figures</th><th>logs</th></tr></thead><tbody>
      ${[...tasks, ...(checksTask ? [checksTask] : [])].map(t => `<tr data-task="${esc(t.name)}"><td>${esc(t.name)}</td><td>${badge(t.status)}</td>
        <td title="${esc(when(t.started))}">${t.started ? new Date(t.started * 1000).toLocaleTimeString() : "-"}</td><td>${RAN.includes(t.status) ? secs(t.duration) : "-"}</td>
        <td class="meta">${esc(Object.entries(t.metadata || {}).filter(([k]) => !HIDDEN_METADATA.includes(k)).map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`).join(" "))}${t.error ? `<div class="error-line">${esc(t.error)}</div>` : ""}</td>
        <td>${RAN.includes(t.status) ? `<button class="logs-toggle" data-key="${esc(t.name)}" aria-expanded="${openLogs.has(t.name)}">${openLogs.has(t.name) ? "hide logs" : "logs"}</button>` : ""}</td></tr>
        ${openLogs.has(t.name) ? `<tr class="logs-row" data-logs="${esc(t.name)}"><td colspan="6"><pre class="logs">${esc(logCache.get(t.name) ?? "loading…")}</pre></td></tr>` : ""}`).join("")}
      </tbody></table>`;
    const select = cell.querySelector("select.shard-filter");
    if (select) select.onchange = () => { filters[asset] = select.value; expand(run, asset); };
    cell.querySelectorAll("button.logs-toggle").forEach(button => {
      button.onclick = () => {
        const name = button.dataset.key;
        if (openLogs.has(name)) openLogs.delete(name); else openLogs.add(name);
        expand(run, asset);
      };
    });
    cell.querySelectorAll("tr[data-logs]").forEach(row => fillLogs(r, row));
  };
  // a task's captured output, loaded when its logs are opened (kept once the task has ended)
  const fillLogs = async (r, row) => {
    const name = row.dataset.logs;
    const pre = row.querySelector("pre");
    const task = row.previousElementSibling;
    const final = task && !task.querySelector('.state[data-state="running"]');
    if (logCache.has(name) && final) { pre.textContent = logCache.get(name); return; }
    try {
      const text = logText(await api(`/api/runs/${encodeURIComponent(r.id)}/tasks/${encodeURIComponent(name)}`));
      if (final) logCache.set(name, text);
      pre.textContent = text;
    } catch (error) { pre.textContent = error.message; }
  };
  current.onRuns = load;
  current.onActive = active => { if (run && run.status === "running" && (!active || active.run_id !== run.id)) load(); };
  load();
}

// -- Schedules --------------------------------------------------------------------------------------
function schedulesView() {
  view.innerHTML = `<h2>Schedules</h2><p class="muted" id="daemon">Fired by the daemon <code>doit schedule</code>.</p>
    <table id="schedules"><thead><tr><th>schedule</th><th>cron</th><th>job</th><th>next fire</th><th>enabled</th><th>recent fires</th></tr></thead><tbody></tbody></table>`;
  const load = async () => {
    let data;
    try { data = await api("/api/schedules"); } catch (error) { notice(error.message, true); return; }
    const daemon = data.daemon || {};
    const box = document.querySelector("#daemon");
    if (!box) return;
    box.innerHTML = daemon.running
      ? `Daemon <code>doit schedule</code>: running, last looked ${new Date(daemon.last_tick).toLocaleString()}.`
      : `Daemon <code>doit schedule</code>: not running${daemon.last_tick ? ` (last looked ${new Date(daemon.last_tick).toLocaleString()})` : ""}: start it to fire these schedules.`;
    document.querySelector("#schedules tbody").innerHTML = data.schedules.map(s => `<tr data-schedule="${esc(s.name)}">
      <td>${esc(s.name)}</td><td><code>${esc(s.cron)}</code> ${esc(s.timezone)}</td><td>${esc(s.job)}</td>
      <td>${new Date(s.next).toLocaleString()}</td>
      <td><label><input type="checkbox" data-toggle="${esc(s.name)}"${s.enabled ? " checked" : ""}> ${s.enabled ? "on" : "off"}</label></td>
      <td>${s.history.slice(0, 5).map(f => `${new Date(f.due).toLocaleString()} ${esc(f.outcome)}`).join("<br>") || "-"}</td></tr>`).join("")
      || `<tr><td colspan="6" class="muted">no schedules in pyproject.toml</td></tr>`;
    document.querySelectorAll("input[data-toggle]").forEach(input => {
      input.onchange = async () => {
        try { await post(`/api/schedules/${encodeURIComponent(input.dataset.toggle)}`, {enabled: input.checked}); } catch (error) { notice(error.message, true); }
        load();
      };
    });
  };
  // the schedule book is in the run history (pushed as `runs`); the daemon's liveness and the next
  // fire move with the clock alone, so look again once a minute while this page is open
  current.onRuns = load;
  current.timer = setInterval(load, 60000);
  load();
}

// -- routing ----------------------------------------------------------------------------------------
function route() {
  pageSerial += 1;
  clearInterval(current.timer);
  current = {};
  if (window.cy) { window.cy.destroy(); window.cy = null; }
  Object.values(window.plots).forEach(p => p.destroy());
  window.plots = {};
  if (window.lineage) { window.lineage.destroy(); window.lineage = null; }
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const parts = (path || "assets").split("/");
  const tab = parts[0];
  const arg = parts.slice(1).map(decodeURIComponent).join("/");
  document.querySelectorAll("header nav a").forEach(a => a.classList.toggle("current", a.dataset.tab === tab));
  if (!(tab === "assets" && arg)) notice("");
  if (tab === "assets") return arg ? assetView(arg) : assetsView();
  if (tab === "jobs") return jobsView();
  if (tab === "runs") return arg ? runView(arg) : runsView();
  if (tab === "schedules") return schedulesView();
  if (tab === "catalog") return catalogView(parts.slice(1).map(decodeURIComponent), new URLSearchParams(query || ""));
  view.innerHTML = `<p>No such page. <a href="#/assets">Assets</a></p>`;
}

window.addEventListener("hashchange", route);
api("/api/health", {keep: true}).then(h => { if (h.missing.length) notice(h.message, true); }).catch(() => {});
connect();
route();
