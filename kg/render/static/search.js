// kg site search: runs over window.KG_SEARCH (static/search-index.js), offline.
// Results are built with DOM nodes and textContent, never innerHTML, because
// the index holds document text.
(function () {
  "use strict";
  var MAX = 100;
  var index = window.KG_SEARCH || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var root = "";
  var rank = { "Publication": 0, "Force": 0, "Theme": 1 };

  function norm(s) { return (s || "").toLowerCase().replace(/\s+/g, " "); }
  var prepared = index.map(function (e) { return { e: e, l: norm(e.l), x: norm(e.x) }; });

  function snippet(text, word) {
    var i = norm(text).indexOf(word);
    if (i < 0) { return ""; }
    var a = Math.max(0, i - 80);
    return (a > 0 ? "…" : "") + text.substr(a, 220).replace(/\s+/g, " ") + "…";
  }

  function search(q) {
    var words = norm(q).trim().split(" ").filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = index.length + " items indexed. Type to search."; return; }
    var hits = prepared.filter(function (p) {
      return words.every(function (w) { return p.l.indexOf(w) >= 0 || p.x.indexOf(w) >= 0; });
    });
    hits.sort(function (a, b) {
      var ra = a.e.t.indexOf("Entity") === 0 ? 0 : (rank[a.e.t] !== undefined ? rank[a.e.t] : 2);
      var rb = b.e.t.indexOf("Entity") === 0 ? 0 : (rank[b.e.t] !== undefined ? rank[b.e.t] : 2);
      var la = a.l.indexOf(words[0]) >= 0 ? 0 : 1, lb = b.l.indexOf(words[0]) >= 0 ? 0 : 1;
      return ra - rb || la - lb;
    });
    status.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + q + "”" +
      (hits.length > MAX ? " (first " + MAX + " shown)" : "");
    hits.slice(0, MAX).forEach(function (p) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = p.e.t;
      var a = document.createElement("a");
      a.href = root + p.e.u;
      a.textContent = p.e.l;
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      var sn = snippet(p.e.x, words[0]);
      if (sn) {
        var s = document.createElement("span");
        s.className = "snippet";
        s.textContent = sn;
        li.appendChild(s);
      }
      list.appendChild(li);
    });
  }

  // Served by `kg serve`: statements come ranked from the word index at /search, with matched
  // words marked; from disk (or if the server has no /search) the offline index above answers.
  function served(q, fallback) {
    if (!/^https?:$/.test(window.location.protocol) || !q.trim()) { fallback(); return; }
    fetch("/search?format=json&limit=" + MAX + "&q=" + encodeURIComponent(q))
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (page) {
        list.textContent = "";
        status.textContent = page.total + " statement" + (page.total === 1 ? "" : "s") + " match “" + q + "”" +
          (page.total > page.hits.length ? " (best " + page.hits.length + " shown)" : "");
        page.hits.forEach(function (h) {
          var li = document.createElement("li");
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = h.kind;
          var a = document.createElement("a");
          a.href = h.page;
          a.textContent = h.label;
          li.appendChild(kind);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(a);
          var s = document.createElement("span");
          s.className = "snippet";
          h.parts.forEach(function (part) {
            var node = part[1] ? document.createElement("mark") : document.createElement("span");
            node.textContent = part[0];
            s.appendChild(node);
          });
          li.appendChild(s);
          list.appendChild(li);
        });
      })
      .catch(fallback);
  }

  var q = new URLSearchParams(window.location.search).get("q") || "";
  if (input) {
    input.value = q;
    input.addEventListener("input", function () { search(input.value); });
  }
  served(q, function () { search(q); });
})();
