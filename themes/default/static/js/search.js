// Casebook's search page: reads ?q= and facet filters from the address, asks the engine
// (js/search-engine.js, `CasebookSearch`) and draws what it answers: one <li> per hit (its own
// link first, type and date, the excerpt, then links to the headings it matched under), honest
// messages (a corrected query with the way back to the words as typed, no results with tips),
// and facet filters that stay in place with their counts. Every word it shows comes from the
// page's `<script type="application/json" id="search-words">` (the theme's language file), so
// it holds no English of its own; counted strings take the page language's CLDR plural form
// (`Intl.PluralRules`, the rules casebook's Rust side has for `en` and `cy`). It uses only the engine's `open()`
// and `query()` contract, so the engine may change how it loads and ranks without touching it.
(function (root) {
  'use strict';
  /** Where the filters sit beside the results and start unfolded (as css/search.css). */
  var WIDE = '(min-width: 48rem)';
  /** The page's words (search_* and date_* keys of the language file). */
  var words = {};
  /** The page language's plural rules, made on first use rather than at every status drawn. */
  var plurals = null;
  /** While the reader types, the address is written once they pause this long (ms). */
  var ADDRESS_PAUSE = 400;
  /** Results shown for a query, and added by each "Show more results": as many as the engine
   *  gives passages for. Each result shown loads a file (the first ten, their text; the rest,
   *  what they show, in buckets of neighbours), so fifty at once put the first results of a
   *  10,000-resource library over their byte budget (BENCHMARKS.md, "Ten results at a time"). */
  var PAGE_SIZE = 10;

  document.addEventListener('DOMContentLoaded', function () {
    var status = document.getElementById('search-status');
    words = readWords();
    root.CasebookSearch.open().then(startPage, function () {
      if (status) status.textContent = say('search_load_failed');
    });
  });

  function startPage(engine) {
    var page = {
      form: document.getElementById('search-form'),
      input: document.getElementById('search-q'),
      list: document.getElementById('search-results'),
      status: document.getElementById('search-status'),
      message: document.getElementById('search-message'),
      filters: document.getElementById('search-filters'),
      facets: document.getElementById('search-facets'),
      clear: document.getElementById('search-clear'),
      more: document.getElementById('search-more'),
    };
    if (!page.form || !page.input || !page.list || !page.status) return;
    var params = new URLSearchParams(window.location.search);
    page.input.value = params.get('q') || '';
    var state = { filters: {}, exact: false, asked: 0, shown: PAGE_SIZE };
    engine.facets.forEach(function (facet) { state.filters[facet.key] = params.getAll(facet.key); });
    var options = page.facets ? buildFacets(page.facets, engine.facets, state.filters, update) : [];
    var address = addressKeeper(page.list);
    showFilters(page.filters, options.length > 0);

    /**
     * Asks for the box's query under the filters and draws the answer; `typing`: asked by a
     * keystroke. A new question shows the first PAGE_SIZE results; `more` (the rank of the
     * first result added by "Show more results") keeps the ones shown and moves the focus to it.
     */
    function update(typing, more) {
      if (more === undefined) state.shown = PAGE_SIZE;
      var text = page.input.value, mine = ++state.asked;
      var request = { text: text, filters: state.filters, limit: state.shown, exact: state.exact };
      engine.query(request).then(function (result) {
        if (mine !== state.asked) return; // a later keystroke's answer will draw instead
        var view = { text: text.trim(), filtered: filterCount(state.filters) > 0, result: result };
        drawCounts(options, result, view);
        drawResults(page.list, result.hits);
        if (page.more) page.more.hidden = result.total <= result.hits.length;
        if (more !== undefined) focusResult(page.list, more);
        drawStatus(page.status, view);
        if (page.message) drawMessage(page.message, view, { searchAsTyped: searchAsTyped, clearFilters: clearFilters });
        drawFilterSummary(page.filters, page.clear, filterCount(state.filters));
        address.keep(text, state.filters, typing === true);
      });
    }

    /** The words as typed, without the typo fallback ("Search instead for ..."). */
    function searchAsTyped() {
      state.exact = true;
      update();
      page.input.focus();
    }

    function clearFilters() {
      Object.keys(state.filters).forEach(function (key) { state.filters[key].length = 0; });
      options.forEach(function (o) { o.input.checked = false; });
      update();
      page.input.focus();
    }

    page.input.addEventListener('input', function () { state.exact = false; update(true); });
    page.form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
    page.input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { var first = page.list.querySelector('a'); if (first) { e.preventDefault(); first.focus(); } }
      if (e.key === 'Escape') { page.input.value = ''; state.exact = false; update(); }
    });
    page.list.addEventListener('keydown', function (e) { moveFocus(e, page.list, page.input); });
    if (page.clear) page.clear.addEventListener('click', clearFilters);
    if (page.more) {
      page.more.addEventListener('click', function () {
        state.shown += PAGE_SIZE;
        update(false, state.shown - PAGE_SIZE);
      });
    }
    update();
  }

  /** Moves the focus to the link of the result at `rank` (the first one "Show more" added). */
  function focusResult(list, rank) {
    var link = list.querySelectorAll('.search-hit')[rank];
    if (link) link.focus();
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

  function escapeHtml(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  /** A url relative to the site root (`toolkits/x/#step-2`) as a link from search/index.html that names index.html, so it works from file:// too. */
  function pageHref(url) {
    var at = url.indexOf('#'), path = at < 0 ? url : url.slice(0, at), hash = at < 0 ? '' : url.slice(at);
    return '../' + path + (path === '' || path.slice(-1) === '/' ? 'index.html' : '') + hash;
  }

  // ---- Results ----

  /** One <li> per hit: its own link first, then type and date, the excerpt, the sub-results. */
  function drawResults(list, hits) {
    list.innerHTML = hits.map(function (hit) {
      var typeName = hit.type === 'section' ? words.search_section || hit.typeName : hit.typeName || hit.type;
      var meta = '<span class="search-type">' + escapeHtml(typeName) + '</span>' + dateHtml(hit.date);
      var sub = (hit.sub || []).map(function (s) {
        // The hit's passage often comes from its best heading: say where, without repeating it.
        var passage = s.excerpt && s.excerpt !== hit.excerpt ? '<p>' + s.excerpt + '</p>' : '';
        return '<div class="search-sub"><a href="' + escapeHtml(pageHref(s.url)) + '">' + escapeHtml(s.title) + '</a>' +
          passage + '</div>';
      }).join('');
      return '<li data-url="/' + escapeHtml(hit.url) + '"><a class="search-hit" href="' + escapeHtml(pageHref(hit.url)) + '">' +
        escapeHtml(hit.title) + '</a><p class="search-meta">' + meta + '</p>' +
        (hit.excerpt ? '<p class="search-excerpt">' + hit.excerpt + '</p>' : '') + sub + '</li>';
    }).join('');
  }

  /** A hit's date: an ISO string (`2024-03`, `2024-03-01`) or `{iso, display}`; '' when none. */
  function dateHtml(date) {
    if (!date) return '';
    var iso = typeof date === 'string' ? date : date.iso;
    if (!iso) return '';
    var text = typeof date === 'string' ? readableDate(iso) : (date.display || readableDate(iso));
    return '<time datetime="' + escapeHtml(iso) + '">' + escapeHtml(text) + '</time>';
  }

  /** An ISO date as the pages write it (date_format, date_months): `1 June 2019`; a month
   * alone is `June 2019`, a year alone `2019`. */
  function readableDate(iso) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso);
    var months = words.date_months || [];
    if (!m) return iso;
    if (!m[2] || !months[Number(m[2]) - 1]) return m[1];
    var month = months[Number(m[2]) - 1];
    if (!m[3]) return month + ' ' + m[1];
    return fill(words.date_format || '{day} {month} {year}', { day: String(Number(m[3])), month: month, year: m[1] });
  }

  // ---- Words ----

  function readWords() {
    var block = document.getElementById('search-words');
    try {
      return block ? JSON.parse(block.textContent) : {};
    } catch (e) {
      return {};
    }
  }

  /** `text` with each `{name}` of `values` filled in. */
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  /** The page's string `key` (the form for `n` of a counted one), filled from `values`. */
  function say(key, values, n) {
    var text = words[key];
    if (text && typeof text === 'object') text = text[pluralCategory(n)] || text.other;
    return fill(text === undefined ? key : text, values || {});
  }

  /** The CLDR plural category of `n` in the page's language. */
  function pluralCategory(n) {
    try {
      plurals = plurals || new Intl.PluralRules(document.documentElement.lang || 'en');
      return plurals.select(n);
    } catch (e) {
      return n === 1 ? 'one' : 'other';
    }
  }

  /** The string `key` escaped as HTML, with `{name}` filled from `html` (already HTML) and
   * the `[words]` it marks made the inside of `wrap` (`<button>[]</button>`). */
  function sayHtml(key, html, wrap) {
    var text = escapeHtml(say(key)).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(html, name) ? html[name] : all;
    });
    if (!wrap) return text;
    return text.replace(/\[([^\]]*)\]/, function (all, inner) { return wrap.replace('[]', function () { return inner; }); });
  }

  // ---- Messages ----

  /** The live region: how many real hits, and for what. */
  function drawStatus(status, view) {
    var r = view.result, searched = r.corrected ? r.corrected.to : view.text;
    var text;
    if (!view.text && !view.filtered) text = say('search_prompt');
    else if (r.total === 0) text = view.text ? say('search_no_results', { query: view.text }) : say('search_no_matches');
    else if (view.text) text = say('search_results_for', { n: r.total, query: searched }, r.total);
    else text = say('search_filter_matches', { n: r.total }, r.total);
    // Unchanged text is not written again: a live region may say it again ("Show more").
    if (status.textContent !== text) status.textContent = text;
    status.setAttribute('data-total', String(r.total));
    status.setAttribute('data-query', view.text); // which query the shown results answer (typing races ahead)
  }

  /** Under the status: a corrected query with the way back, or tips when nothing matched. */
  function drawMessage(box, view, actions) {
    var r = view.result;
    if (r.corrected && r.total > 0) {
      box.innerHTML = '<p class="search-corrected">' + sayHtml('search_showing_for', { query: '<strong>' + escapeHtml(r.corrected.to) + '</strong>' }) + ' ' +
        '<button type="button" class="search-instead">' + sayHtml('search_instead', { query: '<em>' + escapeHtml(r.corrected.from) + '</em>' }) + '</button></p>';
      box.querySelector('.search-instead').addEventListener('click', actions.searchAsTyped);
    } else if (r.total === 0 && (view.text || view.filtered)) {
      box.innerHTML = '<ul class="search-tips">' +
        (view.text ? '<li>' + sayHtml('search_tip_spelling', {}) + '</li><li>' + sayHtml('search_tip_fewer', {}) + '</li>' : '') +
        (view.filtered ? '<li>' + sayHtml('search_tip_filters', {}, '<button type="button" class="search-clear-all">[]</button>') + '</li>' : '') +
        '</ul>';
      var clear = box.querySelector('.search-clear-all');
      if (clear) clear.addEventListener('click', actions.clearFilters);
    } else {
      box.innerHTML = '';
    }
  }

  // ---- Filters ----

  function filterCount(filters) {
    return Object.keys(filters).reduce(function (n, key) { return n + filters[key].length; }, 0);
  }

  /** The filter panel: unfolded beside the results on wide screens, folded under them on phones. */
  function showFilters(details, any) {
    if (!details || !any) return;
    details.hidden = false;
    var wide = window.matchMedia(WIDE);
    details.open = wide.matches;
    wide.addEventListener('change', function (e) { details.open = e.matches; });
  }

  function drawFilterSummary(details, clear, n) {
    var summary = details && details.querySelector('summary');
    if (summary) summary.textContent = n ? say('search_filters_selected', { n: n }, n) : say('search_filters');
    if (clear) clear.hidden = n === 0;
  }

  /**
   * A fieldset of checkboxes per facet, built once: options keep their place whatever the
   * counts, so a reader's next tick is where it was. Returns [{key, slug, input, label, count}].
   */
  function buildFacets(box, facets, filters, onChange) {
    var options = [];
    facets.forEach(function (facet) {
      if (!facet.values.length) return;
      var fieldset = document.createElement('fieldset');
      var legend = document.createElement('legend');
      // The index names the type facet and section pages in the site's words; the page's own win.
      legend.textContent = facet.key === 'type' ? words.search_facet_type || facet.name : facet.name;
      fieldset.appendChild(legend);
      facet.values.forEach(function (v) {
        var slug = v[0], label = document.createElement('label'), input = document.createElement('input');
        var count = document.createElement('span');
        input.type = 'checkbox'; input.name = facet.key; input.value = slug;
        input.checked = filters[facet.key].indexOf(slug) >= 0;
        input.addEventListener('change', function () {
          var chosen = filters[facet.key], at = chosen.indexOf(slug);
          if (input.checked && at < 0) chosen.push(slug);
          if (!input.checked && at >= 0) chosen.splice(at, 1);
          onChange();
        });
        count.className = 'search-count';
        label.appendChild(input);
        var name = facet.key === 'type' && slug === 'section' ? words.search_section || v[1] : v[1];
        label.appendChild(document.createTextNode(' ' + name + ' '));
        label.appendChild(count);
        fieldset.appendChild(label);
        options.push({ key: facet.key, slug: slug, input: input, label: label, count: count });
      });
      box.appendChild(fieldset);
    });
    return options;
  }

  /**
   * Each option's count under the other facets' filters. An option with none stays in place,
   * shown as empty and not tickable — unless it is ticked, so it can be unticked. Before
   * anything is asked, counts are shown only if the engine gave some.
   */
  function drawCounts(options, result, view) {
    var known = view.text || view.filtered || hasCounts(result.counts);
    options.forEach(function (o) {
      var n = (result.counts[o.key] || {})[o.slug] || 0, empty = known && n === 0;
      o.count.textContent = known ? '(' + n + ')' : '';
      o.label.classList.toggle('search-option-empty', empty);
      o.input.disabled = empty && !o.input.checked && o.input !== document.activeElement;
    });
  }

  function hasCounts(counts) {
    return Object.keys(counts || {}).some(function (key) {
      return Object.keys(counts[key]).some(function (slug) { return counts[key][slug] > 0; });
    });
  }

  /**
   * Keeps the query and filters in the address, so a search can be linked, bookmarked and come
   * back to. While the reader types, the address waits for a pause (ADDRESS_PAUSE): a write per
   * keystroke took up to 3 ms of it in Chromium, and Safari refuses more than 100 in 30 s. A
   * waiting address is written at once when the reader reaches for a result (pointerdown or
   * focus in the list) or leaves the page.
   */
  function addressKeeper(list) {
    var waiting = null, timer = 0;
    function write() {
      clearTimeout(timer);
      if (waiting) rememberInUrl(waiting.q, waiting.filters);
      waiting = null;
    }
    list.addEventListener('pointerdown', write);
    list.addEventListener('focusin', write);
    window.addEventListener('pagehide', write);
    return {
      keep: function (q, filters, typing) {
        waiting = { q: q, filters: filters };
        if (!typing) return write();
        clearTimeout(timer);
        timer = setTimeout(write, ADDRESS_PAUSE);
      }
    };
  }

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
