// casebook serve: reloads the page when the site is rebuilt, and shows build errors in an
// overlay while the last good build stays on screen. Served from /__casebook/ (same origin),
// so the pages' Content-Security-Policy (script-src 'self'; style-src 'self') allows it.
(function () {
  "use strict";
  var version = null;
  var searchVersion = null;
  var overlay = null;
  // The search page also reloads when the search index (built after the pages) is replaced.
  var usesSearchIndex = document.querySelector('script[src$="search/index.js"]') !== null;

  function where(d) {
    return d.file + (d.line > 0 ? ":" + d.line + ":" + Math.max(d.column, 1) : "");
  }

  function addStylesheet() {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "/__casebook/live.css";
    document.head.appendChild(link);
  }

  function showErrors(errors) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "casebook-errors";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-label", "Build errors");
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var heading = document.createElement("h2");
    heading.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      ": showing the last good build";
    overlay.appendChild(heading);
    var list = document.createElement("ul");
    errors.forEach(function (d) {
      var item = document.createElement("li");
      var line = document.createElement("code");
      line.textContent = where(d) + ": " + d.message;
      item.appendChild(line);
      if (d.help) {
        var help = document.createElement("p");
        help.textContent = "help: " + d.help;
        item.appendChild(help);
      }
      list.appendChild(item);
    });
    overlay.appendChild(list);
  }

  function hideErrors() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function poll() {
    fetch("/__casebook/status", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        var searchChanged = usesSearchIndex && searchVersion !== null && status.search_version !== searchVersion;
        if ((version !== null && status.version !== version) || searchChanged) {
          window.location.reload();
          return;
        }
        version = status.version;
        searchVersion = status.search_version;
        if (status.errors.length > 0) { showErrors(status.errors); } else { hideErrors(); }
      })
      .catch(function () { /* the server is restarting: try again */ })
      .then(function () { setTimeout(poll, 500); });
  }

  addStylesheet();
  poll();
})();
