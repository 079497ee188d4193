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

// The phone menu: on narrow screens the main navigation folds behind the "Menu" button of
// base.html (css/site.css keys the fold on `.nav-menu` and the button's aria-expanded). The
// button is hidden in the markup and revealed here, so without JavaScript there is no dead
// button and every link shows. Escape closes the open menu and returns focus to the button.
(function () {
  'use strict';
  var button = document.querySelector('.nav-toggle');
  var list = button && document.getElementById(button.getAttribute('aria-controls'));
  if (!list) return;
  var nav = button.parentNode;
  function isOpen() { return button.getAttribute('aria-expanded') === 'true'; }
  function setOpen(open) { button.setAttribute('aria-expanded', open ? 'true' : 'false'); }
  document.documentElement.classList.add('nav-menu');
  button.hidden = false;
  button.addEventListener('click', function () { setOpen(!isOpen()); });
  nav.addEventListener('keydown', function (e) {
    // Only where the button shows (a narrow screen) is there a menu to close.
    if (e.key !== 'Escape' || !isOpen() || button.offsetParent === null) return;
    setOpen(false);
    button.focus();
  });
})();
