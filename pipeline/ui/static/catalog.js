// The Catalog tab: search with facets over the configured search index, and a page per model, dataset
// and paper over the configured graph (pipeline/ui/catalog_api.py). Loaded before app.js, whose
// helpers (esc, api, notice, view) it uses when its views are drawn. URLs: #/catalog?q=...&task=...&offset=..., #/catalog/models/<id>, #/catalog/datasets/<id>,
// #/catalog/papers/<id>.
"use strict";

const PAGE = 20;
const KIND_COLORS = {harvested: "#1f6feb", fetched: "#8250df", stub: "#9e9e9e"};
const RELATION_COLORS = {finetune: "#2e7d32", quantized: "#ef6c00", adapter: "#8250df", merge: "#0969da", unknown: "#9e9e9e"};
window.lineage = null;  // the model page's lineage graph (tests click its nodes)

function idPath(id) { return String(id).split("/").map(encodeURIComponent).join("/"); }
function modelLink(id, text) { return `<a href="#/catalog/models/${idPath(id)}" data-model="${esc(id)}">${esc(text ?? id)}</a>`; }
function list(values, fn) { return (values || []).length ? values.map(fn || esc).join(", ") : "-"; }
function number(n) { return n == null ? "-" : Number(n).toLocaleString(); }

function catalogView(parts, params) {
  if (parts[0] === "models" && parts.length > 1) return modelPage(parts.slice(1).join("/"));
  if (parts[0] === "datasets" && parts.length > 1) return entityPage("datasets", parts.slice(1).join("/"));
  if (parts[0] === "papers" && parts.length > 1) return entityPage("papers", parts.slice(1).join("/"));
  return searchPage(params);
}

// -- search ------------------------------------------------------------------------------------------
function searchPage(params) {
  view.innerHTML = `
    <h2>Catalog</h2>
    <form id="catalog-search" class="filters"><input id="cq" type="search" size="50" placeholder="search models: words, &quot;a phrase&quot;, license:mit" aria-label="search the catalog" value="${esc(params.get("q") || "")}">
      <button class="primary">Search</button> <span id="chosen"></span></form>
    <div class="catalog"><aside id="facets"></aside><section><p id="found" class="muted"></p><ol id="hits"></ol><p id="pager"></p></section></div>`;
  const go = changed => {
    const next = new URLSearchParams(params);
    Object.entries(changed).forEach(([k, v]) => { next.delete(k); (Array.isArray(v) ? v : v == null ? [] : [v]).forEach(x => next.append(k, x)); });
    if (!("offset" in changed)) next.delete("offset");
    location.hash = `#/catalog?${next}`;
  };
  document.getElementById("catalog-search").onsubmit = event => { event.preventDefault(); go({q: document.getElementById("cq").value || null}); };
  api(`/api/catalog/search?${params}`).then(found => {
    const offset = found.offset;
    document.getElementById("found").textContent = found.total
      ? `${number(offset + 1)}–${number(offset + found.hits.length)} of ${number(found.total)} models` : "no model matches";
    const filters = Object.entries(found.filters).flatMap(([k, vs]) => vs.map(v => [k, v]));
    document.getElementById("chosen").innerHTML = filters.map(([k, v]) =>
      `<button type="button" class="chip" data-unfilter="${esc(k)}" data-value="${esc(v)}" title="remove this filter">${esc(k)}: ${esc(v)} ✕</button>`).join(" ");
    document.querySelectorAll("[data-unfilter]").forEach(b => { b.onclick = () => go({[b.dataset.unfilter]: params.getAll(b.dataset.unfilter).filter(v => v !== b.dataset.value)}); });
    document.getElementById("facets").innerHTML = Object.entries(found.facets).filter(([, counts]) => Object.keys(counts).length).map(([facet, counts]) => `
      <div class="facet" data-facet="${esc(facet)}"><div class="sub">${esc(facet)}</div>
      ${Object.entries(counts).map(([value, n]) => `<a href="#" data-facet-value="${esc(value)}" class="${params.getAll(facet).includes(value) ? "on" : ""}">${esc(value)} <span class="muted">${number(n)}</span></a>`).join("")}</div>`).join("");
    document.querySelectorAll(".facet").forEach(box => box.querySelectorAll("a").forEach(a => {
      a.onclick = event => {
        event.preventDefault();
        const facet = box.dataset.facet, value = a.dataset.facetValue, now = params.getAll(facet);
        go({[facet]: now.includes(value) ? now.filter(v => v !== value) : [...now, value]});
      };
    }));
    document.getElementById("hits").innerHTML = found.hits.map(hit => `
      <li data-hit="${esc(hit.id)}">${modelLink(hit.id, hit.id)} <span class="muted">${esc(list(hit.task))}${hit.library ? " · " + esc(hit.library) : ""}
        · ${number(hit.downloads)} downloads${hit.relation ? ` · ${esc(hit.relation)} of ${list(hit.base_models, b => modelLink(b))}` : ""}</span>
        <div>${esc(hit.description || "")}</div></li>`).join("");
    document.getElementById("hits").start = offset + 1;
    document.getElementById("hits").dataset.q = params.get("q") || "";  // the query these hits answer
    const pages = [];
    if (offset > 0) pages.push(`<button id="prev">← previous</button>`);
    if (offset + found.hits.length < found.total) pages.push(`<button id="next">next →</button>`);
    document.getElementById("pager").innerHTML = pages.join(" ");
    if (offset > 0) document.getElementById("prev").onclick = () => go({offset: String(Math.max(0, offset - PAGE))});
    if (offset + found.hits.length < found.total) document.getElementById("next").onclick = () => go({offset: String(offset + PAGE)});
  }).catch(error => { document.getElementById("found").textContent = error.message; notice(error.message, true); });
}

// -- a model -----------------------------------------------------------------------------------------
const SHOWN_FIELDS = [["author", "author"], ["sharedBy", "shared by"], ["mlTask", "task"], ["libraryName", "library"],
  ["modelCategory", "category"], ["inLanguage", "languages"], ["parameterCount", "parameters"], ["storageSize", "storage (bytes)"],
  ["downloads", "downloads"], ["likes", "likes"], ["dateCreated", "created"], ["dateModified", "modified"],
  ["conditionsOfAccess", "access"], ["hasCO2eEmissions", "CO2 emissions"], ["cardFlags", "card flags"], ["dataIssues", "data issues"]];
const TEXT_FIELDS = [["description", "Description"], ["intendedUse", "Intended use"], ["modelRisksBiasLimitations", "Risks, bias, limitations"],
  ["usageInstructions", "Usage"], ["codeSampleSnippet", "Code sample"]];

function value(v) {
  if (v == null || (Array.isArray(v) && !v.length)) return "-";
  if (Array.isArray(v)) return v.map(x => esc(typeof x === "object" ? JSON.stringify(x) : x)).join(", ");
  return esc(typeof v === "number" ? v.toLocaleString() : v);
}

function modelPage(id) {
  const base = `/api/catalog/models/${idPath(id)}`;
  view.innerHTML = `<p><a href="#/catalog">← Catalog</a></p><div id="model">loading…</div>`;
  api(base).then(model => {
    const r = model.record, links = model.links;
    const linked = rel => links.filter(l => l.rel === rel);
    const sources = r.fieldSources || {}, inferred = new Set(r.inferredFields || []);
    const box = document.getElementById("model");
    box.innerHTML = `
      <h2 data-id="${esc(model.id)}">${esc(model.id)} <span class="state kind-${esc(model.kind)}">${esc(model.kind)}</span></h2>
      <p><a href="${esc(r.url)}" rel="noopener">${esc(r.url)}</a> · exports:
        <a id="raw-json" href="${base}">JSON</a> · <a id="raw-jsonld" href="${base}?format=jsonld">JSON-LD</a> ·
        <a href="${base}?format=turtle">Turtle</a> · <a href="${base}?format=rocrate">RO-Crate</a></p>
      <dl id="facts">${SHOWN_FIELDS.filter(([k]) => r[k] != null && !(Array.isArray(r[k]) && !r[k].length))
        .map(([k, label]) => `<dt>${esc(label)}</dt><dd data-field="${esc(k)}">${value(r[k])}${sourceNote(k, sources, inferred)}</dd>`).join("")}</dl>
      <h3>License</h3>${licenseTable(linked("HAS_LICENSE"), r, sources, inferred)}
      <h3>Lineage</h3>
      <p class="muted">Bases above, derived models below; the edge says how one derives from the other. Click a model to open it.
        ${r.fineTunedFrom.length ? `Base: ${list(linked("FINE_TUNED_FROM"), l => `${modelLink(l.id)} (${esc(l.link.relation || "unknown")})`)}${sourceNote("fineTunedFrom", sources, inferred)}` : "No base model."}</p>
      <div class="graph-wrap"><div id="lineage-graph" class="lineage"></div></div><p id="lineage-more" class="muted"></p>
      ${TEXT_FIELDS.filter(([k]) => r[k]).map(([k, title]) => `<h3>${esc(title)}</h3>${k === "codeSampleSnippet" ? `<pre>${esc(r[k])}</pre>` : `<p class="prose">${esc(r[k])}</p>`}<p class="muted">${sourceNote(k, sources, inferred, true)}</p>`).join("")}
      <h3>Datasets</h3>${datasetList(linked("TRAINED_ON"), linked("EVALUATED_ON"))}
      <h3>Papers</h3>${linked("CITES").length ? `<ul id="papers">${linked("CITES").map(l => `<li><a href="#/catalog/papers/${idPath(l.id)}">${esc(l.props.name || l.id)}</a> <span class="muted">${esc(l.id)}</span></li>`).join("")}</ul>` : `<p class="muted">none cited</p>`}
      <h3>Evaluation</h3>${metricsTable(r.evaluationMetrics)}
      <h3>Where each value came from</h3>${sourcesTable(sources, inferred)}
      <h3>History</h3><div id="history" class="muted">loading…</div>
      <h3>Record</h3><details><summary>the FAIR4ML record as JSON</summary><pre id="raw-record">${esc(JSON.stringify(r, null, 1))}</pre></details>`;
    drawLineage(model.id);
    api(`/api/catalog/history/${idPath(model.id)}`).then(showHistory).catch(error => {
      document.getElementById("history").textContent = error.message;
    });
  }).catch(error => { document.getElementById("model").textContent = error.message; notice(error.message, true); });
}

function sourceNote(field, sources, inferred, long) {
  if (!sources[field]) return "";
  const text = `${inferred.has(field) ? "inferred: " : "from "}${sources[field]}`;
  return long ? esc(text) : ` <span class="source${inferred.has(field) ? " inferred" : ""}" title="${esc(text)}">${inferred.has(field) ? "inferred" : "source"}</span>`;
}

function licenseTable(licenses, r, sources, inferred) {
  if (!licenses.length) return `<p class="muted">no license declared</p>`;
  return `<table id="licenses"><thead><tr><th>license</th><th>name</th><th>SPDX</th><th>OSI approved</th><th>FSF libre</th><th>note</th></tr></thead><tbody>
    ${licenses.map(l => { const p = l.props; return `<tr data-license="${esc(l.id)}"><td>${esc(p.declared || l.id)}</td><td>${p.url ? `<a href="${esc(p.url)}" rel="noopener">${esc(p.name || l.id)}</a>` : esc(p.name || l.id)}</td>
      <td>${esc(p.spdxId || "-")}</td><td>${p.osiApproved == null ? "-" : p.osiApproved ? "yes" : "no"}</td><td>${p.fsfLibre == null ? "-" : p.fsfLibre ? "yes" : "no"}</td>
      <td>${esc(p.flag || (p.status === "hub" ? "a Hub license, not in SPDX" : ""))}</td></tr>`; }).join("")}</tbody></table>
    <p class="muted">${sourceNote("license", sources, inferred, true)}</p>`;
}

function datasetList(trained, evaluated) {
  const row = (l, role) => `<li data-dataset="${esc(l.id)}"><a href="#/catalog/datasets/${idPath(l.id)}">${esc(l.props.name || l.id)}</a> <span class="muted">${esc(l.id)} · ${role}${l.props.status && l.props.status !== "ok" ? ` · ${esc(l.props.status)}` : ""}</span></li>`;
  const rows = [...trained.map(l => row(l, "trained on")), ...evaluated.map(l => row(l, "evaluated on"))];
  return rows.length ? `<ul id="datasets">${rows.join("")}</ul>` : `<p class="muted">none named</p>`;
}

function metricsTable(metrics) {
  if (!metrics || !metrics.length) return `<p class="muted">no evaluation results in the card</p>`;
  return `<table id="metrics"><thead><tr><th>task</th><th>dataset</th><th>split</th><th>metric</th><th>value</th><th>verified</th></tr></thead><tbody>
    ${metrics.map(m => `<tr><td>${esc(m.task || "-")}</td><td>${m.dataset ? `<a href="#/catalog/datasets/${idPath(m.dataset)}">${esc(m.datasetName || m.dataset)}</a>` : "-"}${m.datasetConfig ? ` <span class="muted">${esc(m.datasetConfig)}</span>` : ""}</td>
      <td>${esc(m.split || "-")}</td><td>${esc(m.name || m.metric)}</td><td>${esc(m.value ?? m.valueText ?? "-")}</td><td>${m.verified == null ? "-" : m.verified ? "yes" : "no"}</td></tr>`).join("")}</tbody></table>`;
}

function sourcesTable(sources, inferred) {
  const fields = Object.keys(sources).sort();
  if (!fields.length) return `<p class="muted">not recorded</p>`;
  return `<table id="sources"><thead><tr><th>field</th><th>came from</th><th></th></tr></thead><tbody>
    ${fields.map(f => `<tr data-source="${esc(f)}"><td>${esc(f)}</td><td>${esc(sources[f])}</td><td>${inferred.has(f) ? `<span class="source inferred">inferred</span>` : ""}</td></tr>`).join("")}</tbody></table>`;
}

function showHistory(history) {
  const box = document.getElementById("history");
  if (!box) return;
  box.className = "";
  box.innerHTML = `<table id="versions"><thead><tr><th>valid from</th><th>until</th><th>why it ended</th><th>what changed from the version before</th></tr></thead><tbody>
    ${history.versions.map(v => `<tr><td>${esc(v.valid_from || "before history")}</td><td>${esc(v.valid_to || "now")}</td><td>${esc(v.change)}</td>
      <td>${Object.entries(v.changed).map(([f, [a, b]]) => `<div><strong>${esc(f)}</strong>: ${esc(JSON.stringify(a))} → ${esc(JSON.stringify(b))}</div>`).join("") || "-"}</td></tr>`).join("")}
    </tbody></table>`;
}

// The lineage as a graph: ancestors above the model, descendants below, one row per step.
function drawLineage(id) {
  const box = document.getElementById("lineage-graph");
  if (typeof cytoscape === "undefined") { box.innerHTML = `<p class="muted">The graph library is missing: run <code>npm ci</code> in pipeline/ui (see README).</p>`; return; }
  api(`/api/catalog/lineage/${idPath(id)}?direction=both&depth=3&limit=12`).then(lineage => {
    if (!document.getElementById("lineage-graph")) return;
    const rows = {};
    lineage.nodes.forEach(n => (rows[n.depth] = rows[n.depth] || []).push(n));
    const positions = {};
    Object.entries(rows).forEach(([depth, members]) => members.forEach((n, i) => {
      positions[n.id] = {x: (i - (members.length - 1) / 2) * 230, y: -Number(depth) * 110};
    }));
    const more = Object.entries(lineage.more);
    document.getElementById("lineage-more").textContent = more.length
      ? "Not drawn: " + more.map(([m, n]) => `${n} more derived from ${m}`).join("; ") : "";
    if (window.lineage) window.lineage.destroy();
    window.lineage = cytoscape({
      container: box,
      elements: [
        ...lineage.nodes.map(n => ({data: {id: n.id, label: n.id.length > 34 ? "…" + n.id.slice(-33) : n.id, kind: n.kind,
                                           color: KIND_COLORS[n.kind] || "#9e9e9e", self: n.depth === 0 ? 1 : 0}})),
        ...lineage.edges.map(e => ({data: {id: `${e.from}->${e.to}`, source: e.from, target: e.to, relation: e.relation,
                                           color: RELATION_COLORS[e.relation] || "#9e9e9e"}})),
      ],
      layout: {name: "preset", positions, fit: true, padding: 24},
      style: [
        {selector: "node", style: {"shape": "round-rectangle", "width": 210, "height": 34, "background-color": "#fff",
          "border-width": 2, "border-color": "data(color)", "label": "data(label)", "font-size": 12, "text-valign": "center",
          "text-halign": "center", "color": "#1f2933"}},
        {selector: "node[self = 1]", style: {"background-color": "#e8f0fe", "border-width": 4}},
        {selector: "edge", style: {"curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2, "line-color": "data(color)",
          "target-arrow-color": "data(color)", "label": "data(relation)", "font-size": 11, "text-background-color": "#fff",
          "text-background-opacity": 1, "text-background-padding": 2}},
      ],
      minZoom: 0.2, maxZoom: 2, boxSelectionEnabled: false, autoungrabify: true,
    });
    if (window.lineage.zoom() > 1.2) { window.lineage.zoom(1.2); window.lineage.center(); }
    window.lineage.on("tap", "node", event => {
      if (event.target.data("self") !== 1) location.hash = `#/catalog/models/${idPath(event.target.id())}`;
    });
  }).catch(error => { box.textContent = error.message; });
}

// -- a dataset or a paper --------------------------------------------------------------------------------
function entityPage(kind, id) {
  view.innerHTML = `<p><a href="#/catalog">← Catalog</a></p><div id="entity">loading…</div>`;
  api(`/api/catalog/${kind}/${idPath(id)}?limit=50`).then(entity => {
    const r = entity.record, hidden = ["@type", "identifier", "name", "url", "abstract", "description", "status"];
    const facts = Object.entries(r).filter(([k, v]) => !hidden.includes(k) && v != null && !(Array.isArray(v) && !v.length));
    document.getElementById("entity").innerHTML = `
      <h2 data-id="${esc(entity.id)}">${esc(r.name || entity.id)}</h2>
      <p class="muted">${kind === "papers" ? "paper" : "dataset"} ${esc(entity.id)}${r.status && r.status !== "ok" ? ` · ${esc(r.status)}` : ""}
        ${r.url ? ` · <a href="${esc(r.url)}" rel="noopener">${esc(r.url)}</a>` : ""}</p>
      ${r.abstract || r.description ? `<p class="prose">${esc(r.abstract || r.description)}</p>` : ""}
      <dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${value(v)}</dd>`).join("")}</dl>
      ${Object.entries(entity.used_by).map(([rel, used]) => `<h3>${esc({TRAINED_ON: "Models trained on it", EVALUATED_ON: "Models evaluated on it", CITES: "Models citing it"}[rel] || rel)} (${number(used.count)})</h3>
        <ul class="used-by" data-rel="${esc(rel)}">${used.models.map(m => `<li>${modelLink(m.id)} <span class="muted">${number(m.downloads)} downloads</span></li>`).join("")}</ul>
        ${used.count > used.models.length ? `<p class="muted">and ${number(used.count - used.models.length)} more</p>` : ""}`).join("")
        || `<p class="muted">no model in the catalog points at it</p>`}`;
  }).catch(error => { document.getElementById("entity").textContent = error.message; notice(error.message, true); });
}
