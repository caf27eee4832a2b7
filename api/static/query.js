// The query page: YASGUI against this server's /sparql, the competency queries as
// examples, and download links for the current query's answer. Loaded from /static
// (the page's Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  var Y = window.Yasgui && (window.Yasgui.default || window.Yasgui);
  var host = document.getElementById("yasgui");
  var endpoint = new URL(host.dataset.endpoint, window.location.href).href;
  var examples = JSON.parse(document.getElementById("example-data").textContent);
  var byName = {};
  examples.forEach(function (e) { byName[e.name] = e; });

  var yasgui = new Y(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "govgraph-yasgui",
  });

  function currentQuery() {
    var tab = yasgui.getTab();
    return tab ? tab.getQuery() : "";
  }

  var select = document.getElementById("examples");
  var question = document.getElementById("question");
  function choose(name) {
    var e = byName[name];
    if (!e) { return; }
    var tab = yasgui.getTab();
    tab.setQuery(e.query);
    question.textContent = e.question;
    select.value = name;
    tab.query();
  }
  select.addEventListener("change", function () { choose(select.value); });
  // /sparql?example=NAME opens (and runs) a competency query: links from elsewhere use it.
  var wanted = new URLSearchParams(window.location.search).get("example");
  if (wanted) { choose(wanted); }

  Array.prototype.forEach.call(document.querySelectorAll("a.download"), function (a) {
    function refresh() {
      a.href = endpoint + "?query=" + encodeURIComponent(currentQuery()) + "&format=" + a.dataset.format;
    }
    a.addEventListener("mousedown", refresh);
    a.addEventListener("focus", refresh);
    a.addEventListener("click", refresh);
  });
})();
