// Casebook's browser search engine (global `CasebookSearch`). It scores the index that
// `casebook build` exports from its tantivy segment (search/index.js) with tantivy's own f32
// BM25, boosts, query plan and typo tolerance, so the page ranks as `casebook search` does.
// It knows nothing of the page: js/search.js draws results from `CasebookSearch.open()` and
// `query()` alone (the contract below), and Node loads this file alone (tests).
(function (root) {
  'use strict';
  var FUZZY_BELOW = 3;       // as src/search/query.rs
  var MAX_EXPANSIONS = 5;
  var f = Math.fround;
  var WEIGHT = f(f(1.0) + f(1.2)); // (k1 + 1), in f32 as tantivy

  /** Lower-case and fold accents, as LowerCaser + AsciiFoldingFilter. */
  function fold(word) {
    return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
      .replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/œ/g, 'oe').replace(/ø/g, 'o')
      .replace(/đ/g, 'd').replace(/ł/g, 'l').replace(/þ/g, 'th');
  }

  /** Tokens with their offsets, as SimpleTokenizer + RemoveLongFilter(40). */
  function tokens(text) {
    var out = [], re = /[\p{L}\p{N}]+/gu, m;
    while ((m = re.exec(text))) {
      if (new TextEncoder().encode(m[0]).length < 40) out.push({ text: fold(m[0]), start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  function Engine(index) {
    this.ix = index;
    this.fields = index.fields;
    this.docs = index.docs;
    /** The facets, [{ key, name, values: [[slug, name]] }]: part of the page's contract. */
    this.facets = index.facets;
    this.vocabList = null;
  }

  /** A folded word's stem: from the index's vocabulary, else the Snowball stemmer. */
  Engine.prototype.stem = function (word) {
    var known = this.ix.vocab[word];
    if (known === 1) return word;
    if (typeof known === 'string') return known;
    return this.porter(word);
  };

  /** The Snowball English stemmer alone (js/porter2.js), for words the index never saw. */
  Engine.prototype.porter = function (word) {
    return root.CasebookStem ? root.CasebookStem(word) : word;
  };

  /** Query words: quoted ones required, repeated stems merged (as query::parse). */
  Engine.prototype.parse = function (text) {
    var words = [], self = this;
    text.split('"').forEach(function (part, i) {
      tokens(part).forEach(function (t) {
        var stem = self.stem(t.text);
        var w = words.find(function (x) { return x.stems[0] === stem; });
        if (w) w.required = w.required || i % 2 === 1;
        else words.push({ stems: [stem], required: i % 2 === 1 });
      });
    });
    return words;
  };

  function idf(n, N) {
    var x = f(f(f(N - n) + 0.5) / f(n + 0.5));
    return f(Math.log(f(1 + x)));
  }

  /** Score of each document for one word: sum over its stems and the fields, in order. */
  Engine.prototype.wordScores = function (stems) {
    var scores = new Map(), N = this.ix.n;
    for (var s = 0; s < stems.length; s++) {
      for (var fi = 0; fi < this.fields.length; fi++) {
        var field = this.fields[fi], postings = field.terms[stems[s]];
        if (!postings) continue;
        var weight = f(idf(postings.length / 2, N) * WEIGHT), doc = 0;
        for (var p = 0; p < postings.length; p += 2) {
          doc += postings[p];
          var tf = postings[p + 1];
          var tfFactor = f(tf / f(tf + field.norms[field.ids[doc]]));
          var score = f(f(weight * tfFactor) * field.boost);
          scores.set(doc, f((scores.get(doc) || 0) + score));
        }
      }
    }
    return scores;
  };

  /** Documents matching the words, with scores (Must clauses summed, then Should ones). */
  Engine.prototype.match = function (words) {
    var must = null, should = new Map(), self = this, hasMust = false;
    words.forEach(function (w) {
      var scores = self.wordScores(w.stems);
      if (w.required) {
        hasMust = true;
        if (must === null) { must = scores; return; }
        var next = new Map();
        must.forEach(function (v, doc) { if (scores.has(doc)) next.set(doc, f(v + scores.get(doc))); });
        must = next;
      } else {
        scores.forEach(function (v, doc) { should.set(doc, f((should.get(doc) || 0) + v)); });
      }
    });
    if (!hasMust) return should;
    var out = new Map();
    must.forEach(function (v, doc) { out.set(doc, should.has(doc) ? f(v + should.get(doc)) : v); });
    return out;
  };

  Engine.prototype.docFreq = function (stem) {
    return this.fields.some(function (field) { return field.terms[stem]; });
  };

  Engine.prototype.vocabulary = function () {
    if (!this.vocabList) {
      var set = new Set();
      this.fields.forEach(function (field) { Object.keys(field.terms).forEach(function (t) { set.add(t); }); });
      this.vocabList = Array.from(set).sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    }
    return this.vocabList;
  };

  function maxDistance(stem) {
    var n = Array.from(stem).length;
    return n <= 3 ? 0 : n <= 7 ? 1 : 2;
  }

  function editDistance(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return -1;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 0; i < a.length; i++) {
      var row = [i + 1], min = i + 1;
      for (j = 0; j < b.length; j++) {
        var v = Math.min(prev[j] + (a[i] === b[j] ? 0 : 1), prev[j + 1] + 1, row[j] + 1);
        row.push(v);
        if (v < min) min = v;
      }
      if (min > max) return -1;
      prev = row;
    }
    return prev[b.length] <= max ? prev[b.length] : -1;
  }

  /** Replaces words no field contains by their closest index terms (as query::expansions). */
  Engine.prototype.expand = function (words) {
    var changed = false, self = this;
    words.forEach(function (w) {
      if (self.docFreq(w.stems[0])) return;
      var max = maxDistance(w.stems[0]);
      if (!max) return;
      var near = [];
      self.vocabulary().forEach(function (t) {
        if (t === w.stems[0]) return;
        var d = editDistance(w.stems[0], t, max);
        if (d >= 0) near.push([d, t]);
      });
      near.sort(function (x, y) { return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0); });
      if (near.length) {
        w.stems = near.slice(0, MAX_EXPANSIONS).map(function (x) { return x[1]; });
        changed = true;
      }
    });
    return changed;
  };

  /** Whether doc passes every facet filter except `skip` (AND across facets, OR within). */
  Engine.prototype.passes = function (doc, filters, skip) {
    var facets = this.ix.facets, d = this.docs[doc];
    for (var i = 0; i < facets.length; i++) {
      var wanted = filters[facets[i].key];
      if (i === skip || !wanted || !wanted.length) continue;
      var values = d.f[i].map(function (v) { return facets[i].values[v][0]; });
      if (!wanted.some(function (w) { return values.indexOf(w) >= 0; })) return false;
    }
    return true;
  };

  /**
   * Runs a query. `filters` maps a facet key (`type`, `enablers`...) to the wanted slugs.
   * Returns { total, hits: [{doc, score}], words, counts: {facet: {slug: n}} }, where a facet's
   * counts apply every other facet's filters (so ticking more values of one facet adds).
   */
  Engine.prototype.search = function (text, filters, limit) {
    filters = filters || {};
    var words = this.parse(text);
    var result = this.run(words, filters, limit);
    if (result.total < FUZZY_BELOW && this.expand(words)) result = this.run(words, filters, limit);
    return result;
  };

  Engine.prototype.run = function (words, filters, limit) {
    var scores = words.length ? this.match(words) : new Map(), self = this, hits = [];
    scores.forEach(function (score, doc) { if (self.passes(doc, filters, -1)) hits.push({ doc: doc, score: score }); });
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    var counts = {};
    this.ix.facets.forEach(function (facet, i) {
      var c = counts[facet.key] = {};
      scores.forEach(function (_, doc) {
        if (!self.passes(doc, filters, i)) return;
        self.docs[doc].f[i].forEach(function (v) { var slug = facet.values[v][0]; c[slug] = (c[slug] || 0) + 1; });
      });
    });
    return { total: hits.length, hits: hits.slice(0, limit || 10), words: words, counts: counts };
  };

  function escapeHtml(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  /** The summary as HTML, with words whose stem was searched for in <mark>. */
  Engine.prototype.snippet = function (doc, words) {
    var text = this.docs[doc].s, wanted = new Set(), out = '', at = 0, self = this;
    words.forEach(function (w) { w.stems.forEach(function (s) { wanted.add(s); }); });
    tokens(text).forEach(function (t) {
      if (!wanted.has(self.stem(t.text))) return;
      out += escapeHtml(text.slice(at, t.start)) + '<mark>' + escapeHtml(text.slice(t.start, t.end)) + '</mark>';
      at = t.end;
    });
    return out + escapeHtml(text.slice(at));
  };

  /**
   * What the page sees of a search (the contract between engine and page):
   *   { total,                      number of real hits
   *     hits: [{ url,               relative to the site root ('case-studies/x/')
   *              title, type,       type key
   *              typeName, excerpt, HTML, matched words in <mark>
   *              sub: [{ url, title, excerpt }] }],   sub-results (headings), may be empty
   *     counts: { facet: { slug: n } },  each facet counted under every other facet's filters
   *     facets: engine.facets,
   *     corrected: null | { from, to } } when a typo fallback searched other words
   */
  Engine.prototype.query = function (request) {
    var self = this, result = this.search(request.text || '', request.filters || {}, request.limit);
    var types = {};
    this.ix.facets[0].values.forEach(function (v) { types[v[0]] = v[1]; });
    return Promise.resolve({
      total: result.total,
      hits: result.hits.map(function (hit) {
        var d = self.docs[hit.doc];
        return { url: d.u, title: d.t, type: d.k, typeName: types[d.k] || d.k, score: hit.score,
          excerpt: self.snippet(hit.doc, result.words), sub: [] };
      }),
      counts: result.counts,
      facets: this.facets,
      corrected: null
    });
  };

  /** Opens the index the page loaded (search/index.js); a promise, so indexes may load lazily. */
  function open() {
    return Promise.resolve(new Engine(root.CasebookIndex));
  }

  root.CasebookSearch = { Engine: Engine, open: open, tokens: tokens, fold: fold, escapeHtml: escapeHtml };
})(typeof globalThis !== 'undefined' ? globalThis : this);
