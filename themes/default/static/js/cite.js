// "Copy citation" on resource pages. Without JavaScript the button stays hidden and the
// citation is plain, selectable text; with it, the button copies the citation's text and
// says so in a polite status message. Its words come from the button's `data-copied` and
// `data-selected` (the page's language).
(function () {
  'use strict';

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    var status = button.parentNode.querySelector('.copy-status');
    if (!target) return;
    var text = target.textContent.replace(/\s+/g, ' ').trim();
    var say = function (message) { if (status) status.textContent = message; };
    var fallback = function () {
      // No clipboard access (an older browser, a page opened from disk): select the text so
      // the reader can copy it with the keyboard.
      selectText(target);
      say(button.getAttribute('data-selected') || '');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { say(button.getAttribute('data-copied') || ''); }, fallback);
    } else {
      fallback();
    }
  }

  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { copy(button); });
  });
})();
