// Every page: "/" moves focus to the search box (the header's, or the search page's own),
// unless the reader is typing somewhere already. A file, not an inline script, so the pages'
// Content-Security-Policy (script-src 'self') needs no exception.
(function () {
  'use strict';
  function typingSomewhere(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (typingSomewhere(document.activeElement)) return;
    var box = document.querySelector('input[type="search"][name="q"]');
    if (!box) return;
    e.preventDefault();
    box.focus();
    box.select();
  });
})();
