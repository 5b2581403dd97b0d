// kg site: the status board on a force page, filtered and sorted in the page.
// Works from disk (no fetch); reads only the rows' data-* attributes, written escaped by
// the site generator, and never builds markup from them.
(function () {
  "use strict";
  var table = document.getElementById("board-table");
  var form = document.getElementById("board-filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("board-shown");
  var sortKey = null, ascending = true;

  function filter() {
    var status = form.elements.status.value, theme = form.elements.theme.value, programme = form.elements.programme.value;
    var n = 0;
    rows.forEach(function (r) {
      var themes = (r.dataset.themes || "").split("|");
      var ok = (!status || r.dataset.status === status) &&
               (!theme || themes.indexOf(theme) >= 0) &&
               (!programme || r.dataset.programme === programme);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    if (shown) { shown.textContent = n + " shown"; }
  }

  function sortBy(key) {
    ascending = sortKey === key ? !ascending : true;
    sortKey = key;
    rows.sort(function (a, b) {
      // Empty values (no date, not yet judged) sort last either way.
      var x = a.dataset[key] || "", y = b.dataset[key] || "";
      if (!x && y) { return 1; }
      if (x && !y) { return -1; }
      var c = x.localeCompare(y);
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("th button[data-sort]").forEach(function (b) {
      var th = b.parentNode;
      if (b.dataset.sort === key) { th.setAttribute("aria-sort", ascending ? "ascending" : "descending"); }
      else { th.removeAttribute("aria-sort"); }
    });
  }

  form.addEventListener("change", filter);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  table.querySelectorAll("th button[data-sort]").forEach(function (b) {
    b.addEventListener("click", function () { sortBy(b.dataset.sort); });
  });
  filter();
})();
