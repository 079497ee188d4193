// Casebook's search page: reads ?q= and facet filters from the address, asks the engine
// (js/search-engine.js, `CasebookSearch`) and draws the results and facet filters. It uses
// only the engine's `open()` and `query()` contract, so the engine may change how it loads
// and ranks without touching the page.
(function (root) {
  'use strict';
  var escapeHtml = root.CasebookSearch.escapeHtml;

  document.addEventListener('DOMContentLoaded', function () {
    root.CasebookSearch.open().then(startPage);
  });

  function startPage(engine) {
    var form = document.getElementById('search-form');
    var input = document.getElementById('search-q');
    var list = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    var facetsBox = document.getElementById('search-facets');
    if (!form || !input || !list) return;
    var params = new URLSearchParams(window.location.search);
    input.value = params.get('q') || '';
    var filters = {}, asked = 0;
    engine.facets.forEach(function (facet) { filters[facet.key] = params.getAll(facet.key); });

    function update() {
      var text = input.value, mine = ++asked;
      engine.query({ text: text, filters: filters, limit: 50 }).then(function (result) {
        if (mine !== asked) return; // a later keystroke's answer will draw instead
        renderFacets(result, facetsBox, filters, update);
        renderResults(list, result);
        status.textContent = text.trim() === '' ? 'Type to search.' :
          result.total + (result.total === 1 ? ' result' : ' results');
        status.setAttribute('data-total', String(result.total));
        rememberInUrl(text, filters);
      });
    }
    input.addEventListener('input', update);
    form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { var first = list.querySelector('a'); if (first) { e.preventDefault(); first.focus(); } }
      if (e.key === 'Escape') { input.value = ''; update(); }
    });
    list.addEventListener('keydown', function (e) { moveFocus(e, list, input); });
    update();
  }

  function moveFocus(e, list, input) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    var links = Array.prototype.slice.call(list.querySelectorAll('a'));
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    var next = e.key === 'ArrowDown' ? links[i + 1] : (i === 0 ? input : links[i - 1]);
    if (next) next.focus();
  }

  function renderResults(list, result) {
    list.innerHTML = result.hits.map(function (hit) {
      // Relative to search/index.html, naming index.html, so links work from file:// too.
      return '<li data-url="/' + escapeHtml(hit.url) + '"><a href="../' + escapeHtml(hit.url) + 'index.html">' +
        escapeHtml(hit.title) + '</a> <span class="search-type">' + escapeHtml(hit.typeName) + '</span>' +
        '<p>' + hit.excerpt + '</p></li>';
    }).join('');
  }

  function renderFacets(result, box, filters, onChange) {
    if (!box) return;
    var counts = result.counts;
    box.innerHTML = '';
    result.facets.forEach(function (facet) {
      var fieldset = document.createElement('fieldset');
      var legend = document.createElement('legend');
      legend.textContent = facet.name;
      fieldset.appendChild(legend);
      facet.values.forEach(function (v) {
        var slug = v[0], count = counts[facet.key][slug] || 0, checked = filters[facet.key].indexOf(slug) >= 0;
        if (!count && !checked) return;
        var label = document.createElement('label');
        var box = document.createElement('input');
        box.type = 'checkbox'; box.name = facet.key; box.value = slug; box.checked = checked;
        box.addEventListener('change', function () {
          var list = filters[facet.key], at = list.indexOf(slug);
          if (box.checked && at < 0) list.push(slug);
          if (!box.checked && at >= 0) list.splice(at, 1);
          onChange();
          var again = document.querySelector('#search-facets input[name="' + facet.key + '"][value="' + slug + '"]');
          if (again) again.focus();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(' ' + v[1] + ' '));
        var n = document.createElement('span');
        n.className = 'search-count';
        n.textContent = '(' + count + ')';
        label.appendChild(n);
        fieldset.appendChild(label);
      });
      if (fieldset.querySelectorAll('label').length) box.appendChild(fieldset);
    });
  }

  /** Keeps the query and filters in the address, so a search can be linked and bookmarked. */
  function rememberInUrl(q, filters) {
    var params = new URLSearchParams();
    if (q) params.set('q', q);
    Object.keys(filters).forEach(function (k) { filters[k].forEach(function (v) { params.append(k, v); }); });
    var query = params.toString();
    try {
      history.replaceState(null, '', query ? '?' + query : window.location.pathname);
    } catch (e) { /* some file:// setups forbid it; the search still works */ }
  }
})(typeof globalThis !== 'undefined' ? globalThis : this);
