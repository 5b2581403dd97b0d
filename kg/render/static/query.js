// kg query page (served by `kg serve` at /query): named questions and free SPARQL.
// Results are shown with textContent only: the graph holds document text.
(function () {
  "use strict";
  function table(out, data, response) {
    if (data.boolean !== undefined) { out.textContent = data.boolean ? "yes" : "no"; return; }
    var vars = data.head.vars, rows = data.results.bindings;
    // A cut answer says so in its body and in a header; never show it as the whole answer.
    var cut = data.truncated || response.headers.get("X-KG-Result-Truncated");
    var info = document.createElement("p"); info.className = "small";
    info.textContent = rows.length + " row" + (rows.length === 1 ? "" : "s") + (cut ? " shown: not the whole answer" : "");
    out.appendChild(info);
    if (cut) {
      var warn = document.createElement("p"); warn.className = "truncated"; warn.setAttribute("role", "alert");
      warn.textContent = "Only part of the answer is shown: " + cut;
      out.appendChild(warn);
    }
    var frame = document.createElement("div"); frame.className = "scroll";
    var t = document.createElement("table"), tr = document.createElement("tr");
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; tr.appendChild(th); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { var td = document.createElement("td"); td.textContent = r[v] ? r[v].value : ""; tr.appendChild(td); });
      t.appendChild(tr);
    });
    frame.appendChild(t);
    out.appendChild(frame);
  }
  function show(out, response) {
    out.textContent = "";
    var type = (response.headers.get("content-type") || "").split(";")[0].trim();
    response.text().then(function (body) {
      var pre;
      if (!response.ok) { pre = document.createElement("pre"); pre.textContent = response.status + ": " + body; out.appendChild(pre); return; }
      if (type === "application/sparql-results+json" || type === "application/json") { table(out, JSON.parse(body), response); return; }
      // CONSTRUCT and DESCRIBE answer with a graph (Turtle): shown as text in a scrolling frame.
      pre = document.createElement("pre"); pre.className = "graph-answer"; pre.textContent = body; out.appendChild(pre);
    });
  }
  document.querySelectorAll("form.named").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var qs = new URLSearchParams(new FormData(form)).toString();
      fetch("/named/" + encodeURIComponent(form.dataset.name) + "?" + qs).then(function (r) { show(form.querySelector(".out"), r); });
    });
  });
  var free = document.getElementById("free-form");
  if (free) {
    free.addEventListener("submit", function (ev) {
      ev.preventDefault();
      fetch("/sparql", { method: "POST", body: new URLSearchParams(new FormData(free)),
                         headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" } })
        .then(function (r) { show(free.querySelector(".out"), r); });
    });
  }
})();
