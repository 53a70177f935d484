// The web UI: a few views over the JSON API of pipeline/ui/server.py, routed by the URL fragment.
"use strict";

const COLORS = {fresh: "#2e7d32", stale: "#ef6c00", failed: "#c62828", running: "#f9a825", never: "#9e9e9e"};
const view = document.getElementById("view");
let timer = null;        // the current view's refresh timer
window.cy = null;        // the lineage graph (tests read node colors from it)

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}
function badge(state) { return `<span class="state ${esc(state)}" data-state="${esc(state)}">${esc(state)}${state === "stale" ? "*" : ""}</span>`; }
function when(ts) { return ts ? new Date(ts * 1000).toLocaleString() : "-"; }
function secs(d) { return d == null ? "-" : `${d.toFixed(1)}s`; }
function notice(text, error) {
  const box = document.getElementById("notice");
  box.hidden = !text; box.textContent = text || ""; box.className = error ? "error" : "";
}
async function api(path, options) {
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(body.error || body || response.statusText);
  return body;
}
function post(path, body) {
  return api(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body || {})});
}
function every(ms, fn) {
  clearInterval(timer);
  fn();
  timer = setInterval(fn, ms);
}
function showActive(active) {
  const box = document.getElementById("active");
  if (!active) { box.innerHTML = ""; return; }
  const link = active.run_id ? `<a href="#/runs/${esc(active.run_id)}">run ${esc(active.run_id)}</a>` : `pid ${active.pid}`;
  box.innerHTML = `running: doit ${esc(active.args.join(" "))} (${link})`;
}

// -- Assets -----------------------------------------------------------------------------------------
async function assetsView() {
  view.innerHTML = `
    <h2>Assets</h2>
    <div class="legend">${Object.keys(COLORS).map(s => badge(s)).join(" ")}</div>
    <div id="graph"></div>
    <div class="filters">
      <input id="q" placeholder="search by name" aria-label="search">
      <select id="fstate" aria-label="status"><option value="">any status</option>${Object.keys(COLORS).map(s => `<option>${s}</option>`).join("")}</select>
      <select id="fgroup" aria-label="group"><option value="">any group</option></select>
    </div>
    <table id="assets"><thead><tr><th>asset</th><th>group</th><th>status</th><th>last materialized</th><th>duration</th><th>details</th></tr></thead><tbody></tbody></table>`;
  let data = null;
  const render = () => {
    if (!data) return;
    const q = document.getElementById("q").value.toLowerCase();
    const fstate = document.getElementById("fstate").value, fgroup = document.getElementById("fgroup").value;
    const members = new Set(fgroup ? (data.jobs.find(j => j.name === fgroup)?.assets || []) : []);
    const rows = data.assets.filter(a => (!q || a.name.toLowerCase().includes(q)) && (!fstate || a.state === fstate)
      && (!fgroup || a.group === fgroup || members.has(a.name)));
    document.querySelector("#assets tbody").innerHTML = rows.map(a => `
      <tr data-asset="${esc(a.name)}"><td><a href="#/assets/${encodeURIComponent(a.name)}">${esc(a.name)}</a></td><td>${esc(a.group)}</td>
      <td>${badge(a.state)}</td><td>${when(a.last_materialized)}</td><td>${secs(a.last_duration)}</td>
      <td>${esc(details(a))}</td></tr>`).join("");
  };
  ["q", "fstate", "fgroup"].forEach(id => document.getElementById(id).addEventListener("input", render));
  every(2000, async () => {
    try {
      data = await api("/api/assets");
    } catch (error) { notice(error.message, true); return; }
    showActive(data.active);
    const groups = document.getElementById("fgroup");
    if (groups.options.length === 1) {
      const names = [...new Set(data.assets.map(a => a.group).concat(data.jobs.map(j => j.name)))];
      groups.innerHTML += names.map(n => `<option>${esc(n)}</option>`).join("");
    }
    drawGraph(data);
    render();
  });
}

function details(a) {
  if (a.state !== "fresh") return a.reason;
  const meta = Object.entries(a.metadata || {}).map(([k, v]) => `${k}=${v}`).join(" ");
  return a.shards != null ? `${a.shards} shards: ${meta}` : meta;
}

// Left to right like Dagster's asset graph: an asset's column is its longest path from a root.
function layered(data) {
  const upstream = Object.fromEntries(data.assets.map(a => [a.name, a.upstream.filter(u => data.assets.some(b => b.name === u))]));
  const depth = {};
  const depthOf = (name, seen = new Set()) => {
    if (depth[name] != null) return depth[name];
    if (seen.has(name)) return 0;  // a cycle cannot happen in doit, but never loop
    seen.add(name);
    depth[name] = Math.max(-1, ...upstream[name].map(u => depthOf(u, seen))) + 1;
    return depth[name];
  };
  const rows = {};
  const positions = {};
  data.assets.forEach(a => {
    const column = depthOf(a.name);
    rows[column] = (rows[column] || 0) + 1;
    positions[a.name] = {x: column * 280, y: (rows[column] - 1) * 80};
  });
  Object.entries(positions).forEach(([name, p]) => { p.y -= (rows[depth[name]] - 1) * 40; });  // center columns
  return positions;
}

function drawGraph(data) {
  const box = document.getElementById("graph");
  if (!box) return;
  if (typeof cytoscape === "undefined") {
    box.innerHTML = `<p class="muted" id="graph-missing">The graph library is missing: run <code>npm ci</code> in pipeline/ui (see README).</p>`;
    return;
  }
  const label = a => a.name + (a.shards != null ? `\n${a.shards} shards` : "") + (a.state === "stale" ? "\nstale" : "");
  if (window.cy && window.cy.container() === box) {
    data.assets.forEach(a => {
      const node = window.cy.getElementById(a.name);
      if (node.nonempty()) node.data({state: a.state, color: COLORS[a.state], label: label(a)});
    });
    return;
  }
  window.cy = cytoscape({
    container: box,
    elements: [
      ...data.assets.map(a => ({data: {id: a.name, state: a.state, color: COLORS[a.state], label: label(a)}})),
      ...data.edges.map(([up, down]) => ({data: {id: `${up}->${down}`, source: up, target: down}})),
    ],
    layout: {name: "preset", positions: layered(data), fit: true, padding: 24},
    style: [
      {selector: "node", style: {"shape": "round-rectangle", "background-color": "data(color)", "label": "data(label)",
        "color": "#fff", "text-valign": "center", "text-halign": "center", "text-wrap": "wrap", "font-size": 11,
        "width": 220, "height": 46}},
      {selector: 'node[state = "stale"]', style: {"border-width": 3, "border-style": "dashed", "border-color": "#7a3300"}},
      {selector: 'node[state = "running"]', style: {"color": "#222"}},
      {selector: "edge", style: {"curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2,
        "line-color": "#90a4ae", "target-arrow-color": "#90a4ae"}},
    ],
    userZoomingEnabled: false,
  });
  window.cy.on("tap", "node", event => { location.hash = `#/assets/${encodeURIComponent(event.target.id())}`; });
}

async function assetView(name) {
  view.innerHTML = `<p><a href="#/assets">← Assets</a></p><div id="asset">loading…</div>`;
  every(1500, async () => {
    let a;
    try { a = await api(`/api/assets/${encodeURIComponent(name)}`); } catch (error) { notice(error.message, true); return; }
    const box = document.getElementById("asset");
    if (!box) return;
    const open = new Set([...box.querySelectorAll("details[open]")].map(d => d.dataset.key));
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
        ${a.shards != null ? `<dt>shards</dt><dd>${a.shards}: ${Object.entries(a.shard_counts).map(([s, n]) => `${n} ${esc(s)}`).join(", ")}</dd>` : ""}
        <dt>files</dt><dd>${a.files.slice(0, 12).map(f => `<code>${esc(f)}</code>`).join("<br>")}${a.files.length > 12 ? `<br>… ${a.files.length - 12} more` : ""}</dd>
      </dl>
      ${a.checks && a.checks.length ? `<h3>Checks</h3>
      <table id="checks"><thead><tr><th>check</th><th>severity</th><th>result</th><th>figure</th><th>what it measures</th></tr></thead><tbody>
      ${a.checks.map(c => `<tr data-check="${esc(c.check)}"><td>${esc(c.check)}</td><td>${esc(c.severity)}</td>
        <td><span class="state check-${esc(c.status)}" data-state="${esc(c.status)}">${esc(c.status)}</span></td>
        <td>${esc(c.value == null ? "-" : c.value)}</td><td>${esc(c.detail)}</td></tr>`).join("")}
      </tbody></table>` : ""}
      <h3>Recent runs</h3>
      <table><thead><tr><th>run</th><th>status</th><th>started</th><th>duration</th><th>logs</th></tr></thead><tbody>
      ${a.recent_runs.map(r => `<tr><td><a href="#/runs/${esc(r.run.id)}">${esc(r.run.id)}</a></td><td>${badge(r.status)}</td>
        <td>${when(r.run.started)}</td><td>${secs(r.run.duration)}</td>
        <td>${r.logs.map(t => `<details data-key="${esc(r.run.id + t.name)}"${open.has(r.run.id + t.name) ? " open" : ""}><summary>${esc(t.name)} (${esc(t.status)})</summary><pre>${esc(logText(t))}</pre></details>`).join("")}</td></tr>`).join("")
        || `<tr><td colspan="5" class="muted">never ran</td></tr>`}
      </tbody></table>`;
    document.getElementById("materialize").onclick = () => launch({asset: a.name, mode: "only"});
    document.getElementById("materialize-plus").onclick = () => launch({asset: a.name, mode: "upstream"});
  });
}

function logText(t) {
  const parts = [];
  if (Object.keys(t.metadata || {}).length) parts.push("metadata: " + JSON.stringify(t.metadata));
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
async function jobsView() {
  view.innerHTML = `<h2>Jobs</h2><table id="jobs"><thead><tr><th>job</th><th>assets</th><th>states</th><th></th></tr></thead><tbody></tbody></table>`;
  every(3000, async () => {
    let data;
    try { data = await api("/api/assets"); } catch (error) { notice(error.message, true); return; }
    showActive(data.active);
    const states = Object.fromEntries(data.assets.map(a => [a.name, a.state]));
    document.querySelector("#jobs tbody").innerHTML = data.jobs.map(j => `<tr data-job="${esc(j.name)}">
      <td><strong>${esc(j.name)}</strong><br><span class="muted">${esc(j.description)}</span></td>
      <td>${j.assets.map(n => `<a href="#/assets/${encodeURIComponent(n)}">${esc(n)}</a> ${badge(states[n])}`).join("<br>")}</td>
      <td>${Object.entries(j.counts).map(([s, n]) => `${n} ${esc(s)}`).join(", ")}</td>
      <td><button class="primary" data-run="${esc(j.name)}">Run</button></td></tr>`).join("");
    document.querySelectorAll("button[data-run]").forEach(b => { b.onclick = () => launch({job: b.dataset.run}); });
  });
}

// -- Runs -------------------------------------------------------------------------------------------
async function runsView() {
  view.innerHTML = `<h2>Runs</h2><table id="runs"><thead><tr><th>run</th><th>status</th><th>command</th><th>started</th><th>duration</th><th>ran</th></tr></thead><tbody></tbody></table>`;
  every(2000, async () => {
    let data;
    try { data = await api("/api/runs?limit=50"); } catch (error) { notice(error.message, true); return; }
    showActive(data.active);
    document.querySelector("#runs tbody").innerHTML = data.runs.map(r => `<tr data-run="${esc(r.id)}">
      <td><a href="#/runs/${esc(r.id)}">${esc(r.id)}</a></td><td>${badge(r.status)}</td>
      <td><code>doit ${esc(r.argv.slice(1).join(" "))}</code></td><td>${when(r.started)}</td><td>${secs(r.duration)}</td>
      <td>${r.ran.length}${r.failed.length ? ` (failed: ${r.failed.map(esc).join(", ")})` : ""}</td></tr>`).join("")
      || `<tr><td colspan="6" class="muted">no runs yet</td></tr>`;
  });
}

async function runView(id) {
  view.innerHTML = `<p><a href="#/runs">← Runs</a></p><div id="run">loading…</div>`;
  every(1000, async () => {
    let r;
    try { r = await api(`/api/runs/${encodeURIComponent(id)}`); } catch (error) { notice(error.message, true); return; }
    const box = document.getElementById("run");
    if (!box) return;
    const open = new Set([...box.querySelectorAll("details[open]")].map(d => d.dataset.key));
    const shown = r.tasks.filter(t => t.status !== "up-to-date" || r.tasks.length < 40);
    box.innerHTML = `
      <h2>Run ${esc(r.id)} ${badge(r.status)}</h2>
      <p><code>doit ${esc(r.argv.slice(1).join(" "))}</code> started ${when(r.started)}, duration ${secs(r.duration)}
      ${r.status === "running" ? ` <button id="cancel">Cancel</button>` : ""}</p>
      ${(r.events || []).length ? `<ul id="run-events">${r.events.map(e => `<li>${when(e.at)}: ${esc(e.event)}</li>`).join("")}</ul>` : ""}
      <table id="run-tasks"><thead><tr><th>asset</th><th>status</th><th>started</th><th>duration</th><th>logs</th></tr></thead><tbody>
      ${shown.map(t => `<tr data-task="${esc(t.name)}"><td><a href="#/assets/${encodeURIComponent(t.name.split(":")[0])}">${esc(t.name)}</a></td>
        <td>${badge(t.status)}</td><td>${when(t.started)}</td><td>${secs(t.duration)}</td>
        <td><details data-key="${esc(t.name)}"${open.has(t.name) || t.status === "failed" ? " open" : ""}><summary>logs</summary><pre class="logs">${esc(logText(t))}</pre></details></td></tr>`).join("")}
      </tbody></table>`;
    const cancel = document.getElementById("cancel");
    if (cancel) cancel.onclick = async () => {
      try { notice((await post(`/api/runs/${encodeURIComponent(r.id)}/cancel`)).message); } catch (error) { notice(error.message, true); }
    };
    if (r.status !== "running") clearInterval(timer);
  });
}

// -- Schedules --------------------------------------------------------------------------------------
async function schedulesView() {
  view.innerHTML = `<h2>Schedules</h2><p class="muted" id="daemon">Fired by the daemon <code>doit schedule</code>.</p>
    <table id="schedules"><thead><tr><th>schedule</th><th>cron</th><th>job</th><th>next fire</th><th>enabled</th><th>recent fires</th></tr></thead><tbody></tbody></table>`;
  const load = async () => {
    let data;
    try { data = await api("/api/schedules"); } catch (error) { notice(error.message, true); return; }
    const daemon = data.daemon || {};
    document.querySelector("#daemon").innerHTML = daemon.running
      ? `Daemon <code>doit schedule</code>: running, last looked ${new Date(daemon.last_tick).toLocaleString()}.`
      : `Daemon <code>doit schedule</code>: not running${daemon.last_tick ? ` (last looked ${new Date(daemon.last_tick).toLocaleString()})` : ""}: start it to fire these schedules.`;
    document.querySelector("#schedules tbody").innerHTML = data.schedules.map(s => `<tr data-schedule="${esc(s.name)}">
      <td>${esc(s.name)}</td><td><code>${esc(s.cron)}</code> ${esc(s.timezone)}</td><td>${esc(s.job)}</td>
      <td>${new Date(s.next).toLocaleString()}</td>
      <td><label><input type="checkbox" data-toggle="${esc(s.name)}"${s.enabled ? " checked" : ""}> ${s.enabled ? "on" : "off"}</label></td>
      <td>${s.history.slice(0, 5).map(f => `${new Date(f.due).toLocaleString()} ${esc(f.outcome)}`).join("<br>") || "-"}</td></tr>`).join("")
      || `<tr><td colspan="6" class="muted">no schedules in pyproject.toml</td></tr>`;
    document.querySelectorAll("input[data-toggle]").forEach(box => {
      box.onchange = async () => {
        try { await post(`/api/schedules/${encodeURIComponent(box.dataset.toggle)}`, {enabled: box.checked}); } catch (error) { notice(error.message, true); }
        load();
      };
    });
  };
  every(10000, load);
}

// -- routing ----------------------------------------------------------------------------------------
function route() {
  clearInterval(timer);
  window.cy = null;
  const parts = (location.hash.replace(/^#\/?/, "") || "assets").split("/");
  const tab = parts[0];
  const arg = parts.slice(1).map(decodeURIComponent).join("/");
  document.querySelectorAll("header nav a").forEach(a => a.classList.toggle("current", a.dataset.tab === tab));
  if (!(tab === "assets" && arg)) notice("");
  if (tab === "assets") return arg ? assetView(arg) : assetsView();
  if (tab === "jobs") return jobsView();
  if (tab === "runs") return arg ? runView(arg) : runsView();
  if (tab === "schedules") return schedulesView();
  view.innerHTML = `<p>No such page. <a href="#/assets">Assets</a></p>`;
}

window.addEventListener("hashchange", route);
api("/api/health").then(h => { if (h.missing.length) notice(h.message, true); }).catch(() => {});
route();
