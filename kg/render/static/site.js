// kg site: what every page needs from script. Kept in a file (no inline script) so the
// content security policy can forbid inline script everywhere.
(function () {
  "use strict";
  // Links that only work when the site is served by `kg serve` (the query page) stay hidden
  // when the site is opened from disk, where "/query" would point at the file system root.
  if (window.location.protocol === "http:" || window.location.protocol === "https:") {
    document.querySelectorAll("a[data-served-href]").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("data-served-href"));
      a.hidden = false;
    });
  }
})();
