/* govgraph interactive view. Everything a paper says arrives as JSON data and reaches the
   page only through textContent, option.text or canvas labels: never as markup. */
(function () {
  "use strict";
  function json(id) { return JSON.parse(document.getElementById(id).textContent); }
  var data = json("gg-data"), nodes = json("gg-nodes"), edges = json("gg-edges");

  // The page carries each IRI and passage once (viz/html.py `pack`): restore the nodes
  // and edges exactly as vis-network takes them.
  (function unpack() {
    var iris = nodes.map(function (n) { return n.id; }).concat(data.iris);
    function iri(i) { return iris[i]; }
    function cited(refs) { return refs.map(function (i) { return { cite: data.passages[i][0], quote: data.passages[i][1] }; }); }
    function isLink(id) { return (id.slice(0, 7) === "http://" || id.slice(0, 8) === "https://") && id.indexOf("#actions") < 0; }
    nodes.forEach(function (n) {
      var c = n.color, g = n.gg;
      c.highlight = { background: c.background, border: "#000000" };
      c.hover = { background: c.background, border: "#000000" };
      g.bodies = g.bodies.map(iri); g.themes = g.themes.map(iri); g.evidence = cited(g.evidence);
      g.link = isLink(n.id) ? n.id : null;
    });
    edges.forEach(function (e) {
      var from = nodes[e.from], to = nodes[e.to];
      e.from = from.id; e.to = to.id; e.arrows = "to";
      e.gg.fromLabel = from.gg.label; e.gg.toLabel = to.gg.label; e.gg.evidence = cited(e.gg.evidence);
    });
  })();

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function safeLink(iri) { return /^https?:\/\//i.test(iri || "") ? iri : null; }
  function passages(box, list, max) {
    (list || []).slice(0, max).forEach(function (p) {
      box.appendChild(el("blockquote", "\u201c" + p.quote + "\u201d"));
      box.appendChild(el("div", p.cite, "gg-cite"));
    });
    if ((list || []).length > max) { box.appendChild(el("div", "… and " + (list.length - max) + " more passages", "gg-cite")); }
  }
  function describe(box, g) {
    box.appendChild(el("b", g.label));
    var facts = [g.subkind];
    if (g.statusLabel) { facts.push("status: " + g.statusLabel); }
    if (g.due) { facts.push("due: " + g.due); }
    box.appendChild(el("div", facts.join(" · ")));
    if (g.statuses) {
      box.appendChild(el("div", Object.keys(g.statuses).sort().map(function (s) {
        return g.statuses[s] + " " + (data.statuses[s] ? data.statuses[s][0].toLowerCase() : s);
      }).join(", ")));
    }
    if (g.members) {
      var ul = el("ul");
      g.members.slice(0, 12).forEach(function (m) { ul.appendChild(el("li", m)); });
      if (g.members.length > 12) { ul.appendChild(el("li", "… " + (g.members.length - 12) + " more")); }
      box.appendChild(ul);
    }
  }
  function nodeTip(g) {
    var box = el("div", null, "gg-tip");
    describe(box, g);
    passages(box, g.evidence, 2);
    if (safeLink(g.link)) { box.appendChild(el("div", "Click for details and a link to its page.", "gg-cite")); }
    return box;
  }
  function edgeTip(e) {
    var box = el("div", null, "gg-tip");
    box.appendChild(el("b", e.gg.fromLabel + " \u2192 " + e.gg.label + " \u2192 " + e.gg.toLabel));
    if (e.gg.derived) { box.appendChild(el("div", "Inferred from a plan: the lead reports on this work to the governing body.")); }
    if (e.gg.count > 1) { box.appendChild(el("div", e.gg.count + " times in the papers")); }
    passages(box, e.gg.evidence, 2);
    return box;
  }
  nodes.forEach(function (n) { n.title = nodeTip(n.gg); });
  edges.forEach(function (e) { e.title = edgeTip(e); });

  var state = { kinds: {}, statuses: {}, body: "", theme: "" };
  Object.keys(data.kinds).forEach(function (k) { state.kinds[k] = true; });
  Object.keys(data.statuses).forEach(function (s) { state.statuses[s] = true; });
  function visible(n) {
    var g = n.gg;
    if (!state.kinds[g.kind]) { return false; }
    if ((g.kind === "action" || g.kind === "actions") && !state.statuses[g.status || "unknown"]) { return false; }
    if (state.body && g.bodies.indexOf(state.body) < 0) { return false; }
    if (state.theme && g.themes.indexOf(state.theme) < 0) { return false; }
    return true;
  }

  var nodeSet = new vis.DataSet(nodes), edgeSet = new vis.DataSet(edges);
  var nodeView = new vis.DataView(nodeSet, { filter: visible });
  var container = document.getElementById("gg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeSet }, data.options);
  var api = { network: network, nodes: nodeSet, edges: edgeSet, view: nodeView, ready: false, errors: [] };
  window.govgraphView = api;
  function ready() { api.ready = true; document.body.setAttribute("data-ready", "1"); }
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); network.fit(); ready(); });
  } else {
    network.once("afterDrawing", ready);
  }
  function refresh() { nodeView.refresh(); }

  // Filters, built from the data with textContent and option.text only.
  function checkboxes(boxId, entries, store) {
    var box = document.getElementById(boxId);
    entries.forEach(function (entry) {
      var label = el("label"), input = el("input"), swatch = el("span", null, "gg-swatch");
      input.type = "checkbox"; input.checked = true; input.value = entry[0];
      input.addEventListener("change", function () { store[entry[0]] = input.checked; refresh(); });
      swatch.style.background = entry[2];
      label.appendChild(input); label.appendChild(swatch); label.appendChild(document.createTextNode(entry[1]));
      box.appendChild(label);
    });
    if (!entries.length) { box.hidden = true; }
  }
  checkboxes("gg-kinds", Object.keys(data.kinds).map(function (k) { return [k, data.kinds[k][0], data.kinds[k][1]]; }), state.kinds);
  checkboxes("gg-statuses", data.presentStatuses.map(function (s) { return [s, data.statuses[s][0], data.statuses[s][1]]; }), state.statuses);
  function choices(id, list, key) {
    var sel = document.getElementById(id);
    list.forEach(function (pair) { var o = el("option", pair[1]); o.value = pair[0]; sel.appendChild(o); });
    sel.addEventListener("change", function () { state[key] = sel.value; refresh(); });
    if (!list.length) { sel.parentNode.hidden = true; }
  }
  choices("gg-body", data.bodies, "body");
  choices("gg-theme", data.themes, "theme");
  document.getElementById("gg-reset").addEventListener("click", function () {
    document.querySelectorAll(".gg-tools input[type=checkbox]").forEach(function (i) { i.checked = true; });
    Object.keys(state.kinds).forEach(function (k) { state.kinds[k] = true; });
    Object.keys(state.statuses).forEach(function (k) { state.statuses[k] = true; });
    state.body = state.theme = "";
    document.getElementById("gg-body").value = ""; document.getElementById("gg-theme").value = "";
    document.getElementById("gg-search").value = ""; search("");
    refresh(); network.fit();
  });

  // Search: select every visible match, and centre on the first.
  var count = document.getElementById("gg-search-count");
  function search(text) {
    var q = text.trim().toLowerCase();
    if (!q) { network.unselectAll(); count.textContent = ""; return []; }
    var ids = nodeView.getIds({ filter: function (n) { return n.gg.label.toLowerCase().indexOf(q) >= 0; } });
    network.selectNodes(ids);
    count.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    if (ids.length) { network.focus(ids[0], { scale: 1.1, animation: false }); }
    return ids;
  }
  api.search = search;
  var input = document.getElementById("gg-search");
  input.addEventListener("input", function () { search(input.value); });

  // Click: details in the side panel, with the entity IRI as the link.
  var details = document.getElementById("gg-details");
  function show(id) {
    var n = nodeSet.get(id);
    if (!n) { return; }
    details.textContent = "";
    details.appendChild(el("h2", "Details"));
    describe(details, n.gg);
    passages(details, n.gg.evidence, 6);
    var link = safeLink(n.gg.link);
    if (link) {
      var a = el("a", "Open the entity page");
      a.href = link; a.target = "_blank"; a.rel = "noopener noreferrer";
      details.appendChild(a);
    }
  }
  network.on("click", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });
  network.on("doubleClick", function (p) {
    var n = p.nodes.length ? nodeSet.get(p.nodes[0]) : null;
    var link = n && safeLink(n.gg.link);
    if (link && /^https?:$/.test(window.location.protocol)) { window.open(link, "_blank", "noopener,noreferrer"); }
  });

  // Legend.
  var legend = document.getElementById("gg-legend");
  data.legend.forEach(function (row) {
    var div = el("div", null, "gg-legend-row"), swatch = el("span", null, "gg-swatch");
    swatch.style.background = row[1];
    if (row[2]) { swatch.style.borderStyle = row[2]; }
    div.appendChild(swatch); div.appendChild(document.createTextNode(row[0]));
    legend.appendChild(div);
  });
})();
