// Casebook's browser search engine (global `CasebookSearch`). It scores the index that
// `casebook build` exports from its tantivy segment with the very arithmetic and query plan of
// src/search/query.rs (f32 BM25, boosts, the best stem of each word, the square of the share of
// the query's weight matched, the title signal, the first hits ranked again by proximity,
// phrases, completion of the word being typed, typo tolerance), so
// the page ranks as `casebook search` does (on a Welsh site, each word also matches its
// initial mutations, as src/search/welsh.rs). The index is split (see src/search/browser.rs): the
// manifest search/index.js is loaded by the page; postings, positions, words, documents and
// passages are loaded on demand as classic <script>s, which work from file:// where fetch does
// not. It knows nothing of the page: js/search.js draws results from `CasebookSearch.open()`
// and `query()` alone (the contract below), and Node loads this file alone (tests).
(function (root) {
  'use strict';
  var MAX_EXPANSIONS = 5;    // as src/search/query.rs
  var PREFIX_EXPANSIONS = 4;
  var MIN_PREFIX = 3;
  var TITLE_WEIGHT = 3;      // as query::TITLE_WEIGHT
  var MIN_FRAME = 2;         // as query::MIN_FRAME
  var TITLE_WORDS = 40;
  var PROXIMITY_WEIGHT = 2;  // as query::PROXIMITY_WEIGHT
  var NEAR = 6;
  var EXACT_TITLE = 1.5;     // as query::EXACT_TITLE
  var MAX_SUBS = 3;          // as src/search/excerpt.rs
  var WINDOW = 30;
  var LEAD = 6;
  var f = Math.fround;
  // Builtins the hot loops call, held here: looked up as globals, each call costs a property
  // lookup on the global object, a slow one where the engine runs in a Node `vm` context (the
  // tests and bench-engine.mjs): 10,000 title signals took 8 ms there instead of 0.2.
  var mathMax = Math.max, mathMin = Math.min, mathAbs = Math.abs, mathImul = Math.imul, mathLog = Math.log;
  var hasOwn = Object.prototype.hasOwnProperty;
  var WEIGHT = f(f(1.0) + f(1.2)); // (k1 + 1), in f32 as tantivy
  // The Snowball English stop words of one token, sorted (as analyzer::ENGLISH_STOP_WORDS).
  var STOP_WORDS = new Set(('a about above after again against all am an and any are as at be because been ' +
    'before being below between both but by cannot could did do does doing down during each few for from ' +
    'further had has have having he her here hers herself him himself his how i if in into is it its itself ' +
    'me more most my myself no nor not of off on once only or other ought our ours ourselves out over own ' +
    'same she should so some such than that the their theirs them themselves then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why with ' +
    'would you your yours yourself yourselves').split(' '));

  /** Lower-case and fold accents, as LowerCaser + AsciiFoldingFilter. */
  function fold(word) {
    if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase();
    return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
      .replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/œ/g, 'oe').replace(/ø/g, 'o')
      .replace(/đ/g, 'd').replace(/ł/g, 'l').replace(/þ/g, 'th').replace(/[\ufb00-\ufb04\ufb06]/g, unligature);
  }

  /** The letters of a Latin ligature (ﬁ → fi), which NFD leaves whole and AsciiFoldingFilter splits. */
  var LIGATURES = { '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi', '\ufb04': 'ffl', '\ufb06': 'st' };
  function unligature(c) { return LIGATURES[c]; }

  // Welsh initial mutations (as src/search/welsh.rs): each radical initial with its soft,
  // nasal and aspirate mutations ('' = dropped, as soft g), and h before a vowel; digraphs
  // count as one letter.
  var MUTATIONS = [['p', ['b', 'mh', 'ph']], ['t', ['d', 'nh', 'th']], ['c', ['g', 'ngh', 'ch']],
    ['b', ['f', 'm']], ['d', ['dd', 'n']], ['g', ['', 'ng']], ['m', ['f']], ['ll', ['l']], ['rh', ['r']]];
  var DIGRAPHS = ['ngh', 'ch', 'dd', 'ff', 'll', 'mh', 'ng', 'nh', 'ph', 'rh', 'th'];
  var VOWELS = ['a', 'e', 'i', 'o', 'u', 'w', 'y'];
  var MIN_WELSH = 3;

  /** A word's first letter, a digraph counted as one, and the rest (as welsh::initial). */
  function initial(word) {
    var d = DIGRAPHS.find(function (x) { return word.startsWith(x); });
    var n = d ? d.length : word.length ? String.fromCodePoint(word.codePointAt(0)).length : 0;
    return [word.slice(0, n), word.slice(n)];
  }

  /** Whether a dropped g can leave `first` in front: a vowel, l or r (as welsh::after_g). */
  function afterG(first) { return VOWELS.indexOf(first) >= 0 || first === 'l' || first === 'r'; }

  /** The words a radical becomes under each mutation (as welsh::mutations_of). */
  function mutationsOf(radical) {
    var split = initial(radical), rule = MUTATIONS.find(function (m) { return m[0] === split[0]; });
    if (VOWELS.indexOf(split[0]) >= 0) return ['h' + radical];
    if (!rule) return [];
    return rule[1].filter(function (m) { return m !== '' || afterG(initial(split[1])[0]); })
      .map(function (m) { return m + split[1]; });
  }

  /** The radicals a word may be a mutation of (as welsh::radicals_of). */
  function radicalsOf(word) {
    var split = initial(word), out = [];
    MUTATIONS.forEach(function (m) { if (m[1].indexOf(split[0]) >= 0) out.push(m[0] + split[1]); });
    if (afterG(split[0])) out.push('g' + word);
    if (split[0] === 'h' && VOWELS.indexOf(initial(split[1])[0]) >= 0) out.push(split[1]);
    return out;
  }

  /** A query word's Welsh forms: itself, its radicals, their mutations (as welsh::forms). */
  function welshForms(word) {
    var out = [word];
    if (Array.from(word).length < MIN_WELSH) return out;
    [word].concat(radicalsOf(word)).forEach(function (radical) {
      [radical].concat(mutationsOf(radical)).forEach(function (form) {
        if (Array.from(form).length >= MIN_WELSH && out.indexOf(form) < 0) out.push(form);
      });
    });
    return out;
  }

  var encoder = new TextEncoder();

  /** Tokens with their offsets, as SimpleTokenizer + RemoveLongFilter(40). */
  function tokens(text) {
    var out = [], re = /[\p{L}\p{N}]+/gu, m;
    while ((m = re.exec(text))) {
      if (m[0].length <= 13 || encoder.encode(m[0]).length < 40) {
        out.push({ text: fold(m[0]), start: m.index, end: m.index + m[0].length });
      }
    }
    return out;
  }

  // Varint digits (as browser::varints): 32 that more digits follow, 32 that end a number.
  var DIGITS = new Int8Array(128).fill(-1);
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()'.split('').forEach(function (c, i) { DIGITS[c.charCodeAt(0)] = 32 + i; });
  '0123456789abcdefghijklmnopqrstuv'.split('').forEach(function (c, i) { DIGITS[c.charCodeAt(0)] = i; });

  /** The numbers of a varint string. */
  function varints(text) {
    var out = [], n = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {
      var d = DIGITS[text.charCodeAt(i)];
      if (d >= 32) { n += (d - 32) * scale; scale *= 32; } else { out.push(n + d * scale); n = 0; scale = 1; }
    }
    return out;
  }

  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /** 32-bit FNV-1a of the UTF-8 bytes: the shard of a stem (as browser::shard_hash). */
  function shardHash(text) {
    var bytes = encoder.encode(text), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) hash = mathImul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash;
  }

  /** A word's shard key: its first two characters (as browser::word_key). */
  function wordKey(word) { return Array.from(word).slice(0, 2).join(''); }

  // Chunks register themselves here: every file of the index calls CasebookChunk(name, data),
  // or CasebookChunk(name, packed, 1) with its data packed (browser::pack), unpacked on load.
  var chunks = Object.create(null), packed = Object.create(null);
  root.CasebookChunk = function (name, data, isPacked) { (isPacked ? packed : chunks)[name] = data; };

  /** The data of a packed chunk: JSON, deflated (raw) then in base64, inflated by the
   *  browser's own DecompressionStream (no library; works from file://). */
  function unpack(base64) {
    var binary = root.atob(base64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var inflated = new root.Blob([bytes]).stream().pipeThrough(new root.DecompressionStream('deflate-raw'));
    return new root.Response(inflated).text().then(JSON.parse);
  }

  /** Where the index's files are: beside the page's own manifest (…/search/index.js: a
   *  language's search page loads `cy/search/index.js`), else the site root, from this
   *  script's own address (…/js/search-engine.js). */
  var base = (function () {
    var doc = root.document;
    var index = doc && doc.querySelector('script[src$="search/index.js"]');
    if (index) return index.src.replace(/search\/index\.js$/, '');
    var script = doc && doc.currentScript;
    return script ? script.src.replace(/js\/search-engine\.js(\?.*)?$/, '') : '';
  })();

  /** Loads one file of the index with a <script> element (works from file://). */
  function scriptLoader(path) {
    return new Promise(function (resolve, reject) {
      var s = root.document.createElement('script');
      s.src = base + path;
      s.onload = resolve;
      s.onerror = function () { reject(new Error('could not load ' + path)); };
      root.document.head.appendChild(s);
    });
  }

  function Engine(index, loader) {
    this.ix = index;
    this.fields = index.fields.map(function (field) {
      var ids = new Uint8Array(index.n);
      for (var d = 0; d < field.ids.length / 2; d++) ids[d] = parseInt(field.ids.substr(d * 2, 2), 16);
      return { name: field.name, boost: field.boost, norms: field.norms, ids: ids };
    });
    /** Per facet, per document, its value indexes. */
    this.f = index.f.map(function (column) {
      return column.split(',').map(function (doc) {
        return doc === '' ? [] : doc.split('.').map(function (v) { return parseInt(v, 36); });
      });
    });
    this.decoded = new Map();
    this.decodedPositions = new Map();
    /** The tokens of each text loaded, by the object holding it (a section array, a hit's
     *  shown entry) and its key there: tokenized once, however many keystrokes read it. */
    this.tokenCache = new WeakMap();
    /** Each folded word met in a loaded text → a number, so a query's answer for it can be
     *  kept in an array (`token.id`). */
    this.wordIds = new Map();
    /** By word id, the stem the library recorded for it, once its word shard was read. */
    this.idStems = [];
    /** By misspelt word, the closest words of the library (Engine.correct), found once. */
    this.nearest = new Map();
    /** By length in characters, the library's words of that length, once loaded. */
    this.vocabByLength = [];
    this.shardNames = new Map();
    this.stems = new Map();
    /** The facets, [{ key, name, values: [[slug, name]] }]: part of the page's contract. */
    this.facets = index.facets;
    this.loader = loader || scriptLoader;
    this.inflight = Object.create(null);
    /** Per bucket of search/docs/ and search/text/, its first document (and one past the last). */
    this.docStarts = starts(index.docs);
    this.textStarts = starts(index.texts);
  }

  /** The first document of each bucket, from the buckets' document counts, and the end. */
  function starts(counts) {
    var out = [0];
    varints(counts).forEach(function (n) { out.push(out[out.length - 1] + n); });
    return out;
  }

  /** The bucket of `doc`: the last one starting at or before it. */
  function bucketOf(starts, doc) {
    var lo = 0, hi = starts.length - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (starts[mid] <= doc) lo = mid; else hi = mid; }
    return lo;
  }

  /**
   * What document `doc` has in the buckets of `folder` (docs: what a hit shows; text: its
   * sections), loading its bucket once: chunk `prefix<bucket>`, an array by document.
   */
  Engine.prototype.part = function (folder, prefix, bucketStarts, doc) {
    var b = bucketOf(bucketStarts, doc);
    return this.load(prefix + b, 'search/' + folder + '/' + b + '.js').then(function (bucket) {
      return bucket[doc - bucketStarts[b]];
    });
  };

  /** The data of chunk `name` (file `path` under the site root), loaded once. */
  Engine.prototype.load = function (name, path) {
    if (chunks[name]) return Promise.resolve(chunks[name]);
    if (!this.inflight[name]) {
      var self = this;
      this.inflight[name] = this.loader(path).then(function () {
        var data = packed[name];
        delete packed[name];
        return data === undefined ? chunks[name] : unpack(data);
      }).then(function (data) {
        delete self.inflight[name];
        if (!data) throw new Error(path + ' did not register ' + name);
        chunks[name] = data;
        return data;
      });
    }
    return this.inflight[name];
  };

  function unique(list) { return list.filter(function (x, i) { return list.indexOf(x) === i; }); }

  Engine.prototype.wordShard = function (word) {
    var key = word.length <= 2 ? word : word.slice(0, 2);
    if (key.charCodeAt(0) >= 0xd800 || key.charCodeAt(1) >= 0xd800) key = wordKey(word);
    var name = this.shardNames.get(key);
    if (name === undefined) {
      name = 'w' + (shardHash(key) % this.ix.wshards);
      this.shardNames.set(key, name);
    }
    return name;
  };
  Engine.prototype.termShard = function (stem) { return shardHash(stem) % this.ix.shards; };
  Engine.prototype.positionShard = function (stem) { return shardHash(stem) % this.ix.pshards; };

  /** Loads the word shards of `words` (as written). */
  Engine.prototype.loadWords = function (words) {
    var self = this;
    return Promise.all(unique(words.map(function (w) { return self.wordShard(w); }))
      .map(function (name) { return self.load(name, 'search/chunks/' + name + '.js'); }));
  };

  /** Loads the postings (and, for phrases, positions) of `stems`. */
  Engine.prototype.loadStems = function (stems, positions) {
    var self = this, names = stems.map(function (s) { return 't' + self.termShard(s); });
    if (positions) names = names.concat(stems.map(function (s) { return 'p' + self.positionShard(s); }));
    names = unique(names);
    return Promise.all(names.map(function (name) { return self.load(name, 'search/chunks/' + name + '.js'); }));
  };

  /** A word's entry [stem or 1, document frequency], if its shard is loaded and has it. */
  Engine.prototype.word = function (word) {
    var shard = chunks[this.wordShard(word)];
    return shard && hasOwn.call(shard, word) ? shard[word] : null;
  };

  /** The stem the library recorded for a folded word, or null if its shard holds no such word. */
  Engine.prototype.recordedStem = function (word) {
    var known = this.word(word);
    return known ? (known[0] === 1 ? word : known[0]) : null;
  };

  /** A folded word's stem: from the library's words, else the Snowball stemmer (English). */
  Engine.prototype.stem = function (word) {
    var known = this.recordedStem(word);
    if (known !== null) return known;
    if (!this.ix.stem) return word;
    var stem = this.stems.get(word);
    if (stem === undefined) { stem = this.porter(word); this.stems.set(word, stem); }
    return stem;
  };

  /** The Snowball English stemmer alone (js/porter2.js), for words the library never uses. */
  Engine.prototype.porter = function (word) {
    return root.CasebookStem ? root.CasebookStem(word) : word;
  };

  /** The postings of a stem: [field index, [doc delta, tf, …], …] (decoded once), or null. */
  Engine.prototype.postings = function (stem) {
    var done = this.decoded.get(stem);
    if (done !== undefined) return done;
    var shard = chunks['t' + this.termShard(stem)];
    if (!shard) return null;
    var entry = hasOwn.call(shard, stem) ? shard[stem] : null;
    if (entry) entry = entry.map(function (x, k) { return k % 2 ? varints(x) : x; });
    this.decoded.set(stem, entry);
    return entry;
  };

  /**
   * Query words and phrases (as query::parse): quoted words required, quoted runs phrases,
   * repeated stems merged, the last word a prefix when nothing follows it outside quotes;
   * a question's frame (MIN_FRAME or more opening stop words) not counted in its length.
   * Loads the word shards it needs.
   */
  Engine.prototype.parse = async function (text) {
    var parts = text.split('"'), self = this;
    var typing = /[\p{L}\p{N}]$/u.test(text) && parts.length % 2 === 1;
    var split = parts.map(function (part) { return tokens(part).map(function (t) { return t.text; }); });
    await this.loadWords([].concat.apply([], split));
    var plan = { words: [], phrases: [], length: 0, typed: [].concat.apply([], split) };
    split.forEach(function (surfaces, i) {
      var required = i % 2 === 1;
      plan.length += surfaces.length;
      var stems = surfaces.map(function (s) { return self.stem(s); });
      surfaces.forEach(function (surface, n) {
        var prefix = typing && i === parts.length - 1 && n === surfaces.length - 1;
        var w = plan.words.find(function (x) { return x.stems[0] === stems[n]; });
        if (w) {
          w.required = w.required || required;
          if (prefix) { w.prefix = true; w.surface = surface; }
        } else {
          plan.words.push({ surface: surface, stems: [stems[n]], scales: [1], required: required, prefix: prefix });
        }
      });
      if (required && stems.length >= 2) plan.phrases.push(stems);
    });
    if (this.ix.stem && dropFunctionWords(plan)) {
      var frame = 0;
      while (frame < split[0].length && STOP_WORDS.has(split[0][frame])) frame++;
      if (frame >= MIN_FRAME) plan.length -= frame;
    }
    return plan;
  };

  /**
   * Adds to each word the Welsh forms of it (its radicals and their mutations) that the
   * library uses (as query::add_mutations). Loads the word shards it needs.
   */
  Engine.prototype.mutate = async function (plan) {
    var self = this, forms = plan.words.map(function (w) { return welshForms(w.stems[0]).slice(1); });
    await this.loadWords([].concat.apply([], forms));
    plan.words.forEach(function (w, i) {
      forms[i].forEach(function (form) { if (self.word(form) && w.stems.indexOf(form) < 0) { w.stems.push(form); w.scales.push(1); } });
    });
  };

  /** Whether a word is the one being typed and long enough to be completed (as query::Word::completed). */
  function completed(w) { return w.prefix && Array.from(w.surface).length >= MIN_PREFIX; }

  /**
   * Leaves out the stop words a question is phrased with, unless quoted, being typed (from
   * MIN_PREFIX characters) or all the query has (as query::drop_function_words); whether it did.
   */
  function dropFunctionWords(plan) {
    function functionWord(w) {
      return STOP_WORDS.has(w.surface) && !w.required && !completed(w);
    }
    var dropped = plan.words.some(function (w) { return !functionWord(w); });
    if (dropped) plan.words = plan.words.filter(function (w) { return !functionWord(w); });
    return dropped;
  }

  /**
   * Adds to the word being typed the stems of the most used longer words it begins, each
   * scaled by the share of it typed (as query::complete).
   */
  Engine.prototype.complete = function (plan) {
    var word = plan.words.find(completed);
    if (!word) return;
    var shard = chunks[this.wordShard(word.surface)] || {}, longer = [];
    Object.keys(shard).forEach(function (w) {
      if (w !== word.surface && w.startsWith(word.surface)) longer.push([shard[w][1], w]);
    });
    longer.sort(function (a, b) { return b[0] - a[0] || compare(a[1], b[1]); });
    var typed = Array.from(word.surface).length;
    longer.slice(0, PREFIX_EXPANSIONS).forEach(function (entry) {
      var stem = shard[entry[1]][0] === 1 ? entry[1] : shard[entry[1]][0];
      var scale = f(typed / Array.from(entry[1]).length), i = word.stems.indexOf(stem);
      if (i < 0) { word.stems.push(stem); word.scales.push(scale); } else if (scale > word.scales[i]) word.scales[i] = scale;
    });
  };

  function idf(n, N) {
    var x = f(f(f(N - n) + 0.5) / f(n + 0.5));
    return f(mathLog(f(1 + x)));
  }

  /**
   * A word's score in each document: the best of its stems, each scaled, a stem's the sum
   * over the text fields, each boosted; and how much of each title it covers: the best of its
   * stems' term frequencies in the title, each scaled likewise. { docs (in order first
   * reached), best, cover: Float32Array by doc }. Float32Array stores round to f32, as
   * Math.fround would.
   */
  Engine.prototype.wordScores = function (word) {
    var stems = word.stems;
    var N = this.ix.n, best = new Float32Array(N), seen = new Uint8Array(N), docs = [];
    var sum = new Float32Array(N), mark = new Uint8Array(N), touched = [];
    var cover = new Float32Array(N), inTitle = new Float32Array(N);
    for (var s = 0; s < stems.length; s++) {
      var entry = this.postings(stems[s]);
      if (!entry) continue;
      touched.length = 0;
      for (var k = 0; k < entry.length; k += 2) {
        var field = this.fields[entry[k]], flat = entry[k + 1], norms = field.norms, ids = field.ids;
        var weight = f(idf(flat.length / 2, N) * WEIGHT), boost = field.boost, doc = 0;
        for (var p = 0; p < flat.length; p += 2) {
          doc += flat[p];
          var tf = flat[p + 1];
          var score = f(f(weight * f(tf / f(tf + norms[ids[doc]]))) * boost);
          if (!mark[doc]) { mark[doc] = 1; touched.push(doc); sum[doc] = 0; inTitle[doc] = 0; }
          sum[doc] += score;
          if (entry[k] === 0) inTitle[doc] = tf;
        }
      }
      for (var t = 0; t < touched.length; t++) {
        var d = touched[t], scaled = f(sum[d] * word.scales[s]), covered = f(inTitle[d] * word.scales[s]);
        mark[d] = 0;
        if (!seen[d]) { seen[d] = 1; docs.push(d); best[d] = scaled; } else if (scaled > best[d]) best[d] = scaled;
        if (covered > cover[d]) cover[d] = covered;
      }
    }
    return { docs: docs, best: best, cover: cover };
  };

  /** Per text field, document → positions of `stem` (decoded once: each keystroke of a
   *  query with a phrase asks again). */
  Engine.prototype.positions = function (stem) {
    var done = this.decodedPositions.get(stem);
    if (done !== undefined) return done;
    var at = chunks['p' + this.positionShard(stem)], entry = this.postings(stem), out = [];
    at = at && hasOwn.call(at, stem) ? at[stem] : null;
    if (!entry || !at) return out;
    this.decodedPositions.set(stem, out);
    for (var k = 0; k < entry.length; k += 2) {
      var byDoc = new Map(), flat = entry[k + 1], counted = varints(at[k + 1]), doc = 0, c = 0;
      for (var p = 0; p < flat.length; p += 2) {
        doc += flat[p];
        var n = counted[c++], positions = [], last = 0;
        for (var j = 0; j < n; j++) { last += counted[c++]; positions.push(last); }
        byDoc.set(doc, positions);
      }
      out[entry[k]] = byDoc;
    }
    return out;
  };

  /** Whether the phrase's stems sit side by side, in order, in one field of `doc`. */
  function phraseIn(perStem, fieldCount, doc) {
    for (var fi = 0; fi < fieldCount; fi++) {
      var first = perStem[0][fi] && perStem[0][fi].get(doc);
      if (!first) continue;
      var found = first.some(function (start) {
        return perStem.every(function (byField, offset) {
          var p = byField[fi] && byField[fi].get(doc);
          return p && p.indexOf(start + offset) >= 0;
        });
      });
      if (found) return true;
    }
    return false;
  }

  /**
   * Documents matching the plan, before facet filters: { docs (in order first reached), score
   * (by document, in a Float32Array: no object per candidate, which a keystroke at 10,000
   * resources would make 10,000 of) } (as query::matching):
   * each word scores the best of its stems, a document the sum of its words' scores times
   * the square of the share of the query's weight (each word's idf) it matches, times the
   * title signal (titleBonus); quoted words must all match, phrases side by side.
   */
  Engine.prototype.match = function (plan) {
    var self = this, N = this.ix.n;
    var perWord = plan.words.map(function (w) { return self.wordScores(w); });
    var weights = perWord.map(function (s) { return idf(s.docs.length, N); });
    var all = 0;
    weights.forEach(function (w) { all = f(all + w); });
    var required = plan.words.filter(function (w) { return w.required; }).length;
    var score = new Float32Array(N), matched = new Float32Array(N), req = new Uint8Array(N);
    var covered = new Float32Array(N), titles = this.fields[0].ids;
    var seen = new Uint8Array(N), docs = [];
    plan.words.forEach(function (word, i) {
      var ws = perWord[i], weight = weights[i];
      for (var k = 0; k < ws.docs.length; k++) {
        var doc = ws.docs[k];
        if (!seen[doc]) { seen[doc] = 1; docs.push(doc); }
        score[doc] += ws.best[doc];
        matched[doc] += weight;
        covered[doc] += ws.cover[doc];
        if (word.required) req[doc]++;
      }
    });
    var out = finalScores(docs, req, required, matched, all, covered, titles, plan.length, score);
    if (plan.phrases.length) {
      var phrases = plan.phrases.map(function (stems) { return stems.map(function (s) { return self.positions(s); }); });
      var fieldCount = this.fields.length;
      out = out.filter(function (doc) { return phrases.every(function (p) { return phraseIn(p, fieldCount, doc); }); });
    }
    return { docs: out, score: score };
  };

  /**
   * The documents of `docs` holding every required word, each one's `score` made final: its
   * words' summed score times the square of the share of the query's weight it matched, times
   * the title signal. On its own, over typed arrays alone: `match`, whose plan objects vary
   * from query to query, V8 deoptimised 185 times in one run of bench-engine.mjs, and this loop
   * over every candidate need not go with it.
   */
  function finalScores(docs, req, required, matched, all, covered, titles, length, score) {
    var out = [];
    for (var k = 0; k < docs.length; k++) {
      var doc = docs[k];
      if (req[doc] !== required) continue;
      var share = f(matched[doc] / all);
      var title = titleBonus(covered[doc], titles[doc], length);
      score[doc] = f(f(f(score[doc] * share) * share) * title);
      out.push(doc);
    }
    return out;
  }

  /**
   * The title signal (as query::title_bonus): 1 + TITLE_WEIGHT c², c the title's words that
   * are query words over the title's length (its field-norm id, up to TITLE_WORDS) or the
   * query's (`length`, stop words included) if longer, at most 1.
   */
  function titleBonus(covered, normId, length) {
    var words = mathMax(mathMin(normId, TITLE_WORDS), length);
    if (words === 0) return 1;
    var c = mathMin(f(covered / words), 1);
    return f(1 + f(f(TITLE_WEIGHT * c) * c));
  }

  /**
   * The most distinct query words within NEAR consecutive words of one run of a page — its
   * title, summary, or a section's heading and text read as one (as query::near_words); a word
   * counts for the first query word having its stem. A page's word takes the stem the library
   * recorded for it, never the JS stemmer's (which may differ from tantivy's: `psychologist`):
   * a word whose shard is not loaded cannot be a query word's, since a stem begins with the
   * two letters that name the shard of each word it stems, and the query words' shards are loaded.
   * `runs`: per run, its token lists (Engine.tokensOf) read one after the other; `memo`: by word
   * id, the query word it counts for (-1 none, -2 not yet asked), shared by a query's hits.
   */
  Engine.prototype.nearWords = function (plan, runs, memo) {
    var self = this, best = 0, ring = new Int32Array(NEAR);
    function wordOf(t) {
      var w = memo[t.id];
      if (w !== -2) return w;
      var s = self.tokenStem(t);
      w = s !== null ? plan.words.findIndex(function (x) { return x.stems.indexOf(s) >= 0; }) : -1;
      memo[t.id] = w;
      return w;
    }
    runs.forEach(function (parts) {
      var counts = new Int32Array(plan.words.length), distinct = 0, end = 0;
      parts.forEach(function (toks) {
        for (var i = 0; i < toks.length; i++, end++) {
          var w = wordOf(toks[i]), slot = end % NEAR;
          if (w >= 0 && counts[w]++ === 0) distinct++;
          var gone = end >= NEAR ? ring[slot] : -1; // the word NEAR places back leaves the window
          ring[slot] = w;
          if (gone >= 0 && --counts[gone] === 0) distinct--;
          if (distinct > best) best = distinct;
        }
      });
    });
    return best;
  };

  /** The tokens of `owner[key]`, each with the `id` of its folded word (tokenized once per text). */
  Engine.prototype.tokensOf = function (owner, key) {
    var cached = this.tokenCache.get(owner);
    if (!cached) { cached = {}; this.tokenCache.set(owner, cached); }
    if (cached[key]) return cached[key];
    var ids = this.wordIds, toks = tokens(owner[key] || '');
    toks.forEach(function (t) {
      var id = ids.get(t.text);
      if (id === undefined) { id = ids.size; ids.set(t.text, id); }
      t.id = id;
    });
    return (cached[key] = toks);
  };

  /** A token's recorded stem (Engine.recordedStem), kept by its word id once found. */
  Engine.prototype.tokenStem = function (t) {
    var stem = this.idStems[t.id];
    if (stem === undefined) {
      stem = this.recordedStem(t.text);
      if (stem !== null) this.idStems[t.id] = stem;
    }
    return stem;
  };

  /** The proximity signal (as query::proximity_bonus): 1 + PROXIMITY_WEIGHT x², x = (near - 1) / (words - 1). */
  function proximityBonus(near, words) {
    if (words < 2 || near < 2) return 1;
    var x = f((near - 1) / (words - 1));
    return f(1 + f(f(PROXIMITY_WEIGHT * x) * x));
  }

  /**
   * Reorders the first `texts.length` hits — those whose text is loaded for passages — by the
   * proximity signal and, for a title that is the query, by EXACT_TITLE (as
   * SearchIndex::rank_first_hits); `shown` holds their title and summary.
   */
  Engine.prototype.rankFirstHits = function (plan, ranked, shown, texts) {
    var self = this, hits = ranked.map(function (hit, i) { return { doc: hit.doc, score: hit.score, at: i }; });
    if (!plan.words.length) return hits; // browsing: newest first
    var head = hits.slice(0, texts.length);
    if (plan.words.length >= 2) {
      var runs = head.map(function (hit, i) {
        return [[self.tokensOf(shown[i], 't')], [self.tokensOf(shown[i], 's')]].concat(texts[i].map(function (s) {
          return [self.tokensOf(s, 1), self.tokensOf(s, 2)];
        }));
      });
      // A word's id → its query word, -1 none, -2 not asked; sized once the runs are tokenized,
      // so every id they hold fits.
      var memo = new Int32Array(this.wordIds.size).fill(-2);
      head.forEach(function (hit, i) {
        hit.score = f(hit.score * proximityBonus(self.nearWords(plan, runs[i], memo), plan.words.length));
      });
    }
    head.forEach(function (hit, i) {
      if (titleIsQuery(self.tokensOf(shown[i], 't'), plan)) hit.score = f(hit.score * EXACT_TITLE);
    });
    head.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return head.concat(hits.slice(head.length));
  };

  /**
   * Whether a title's tokens are the words typed, in order; the last may be the start of the
   * title's last while it is being completed after another word (as query::title_is_query).
   */
  function titleIsQuery(title, plan) {
    var typed = plan.typed, last = typed.length - 1;
    if (!typed.length || title.length !== typed.length) return false;
    var completing = typed.length >= 2 && plan.words.some(completed);
    for (var i = 0; i <= last; i++) {
      var word = title[i].text;
      if (word !== typed[i] && !(completing && i === last && word.startsWith(typed[i]))) return false;
    }
    return true;
  }

  /** Per facet, a mask of the value indexes `filters` wants, or null when it wants none. */
  Engine.prototype.masks = function (filters) {
    return this.ix.facets.map(function (facet) {
      var wanted = filters[facet.key];
      if (!wanted || !wanted.length) return null;
      var mask = new Uint8Array(facet.values.length);
      facet.values.forEach(function (v, i) { if (wanted.indexOf(v[0]) >= 0) mask[i] = 1; });
      return mask;
    });
  };

  /** Whether doc passes every facet's mask except `skip`'s (AND across facets, OR within). */
  Engine.prototype.passes = function (doc, masks, skip) {
    for (var i = 0; i < masks.length; i++) {
      var mask = masks[i];
      if (i === skip || !mask) continue;
      var values = this.f[i][doc], ok = false;
      for (var k = 0; k < values.length; k++) if (mask[values[k]]) { ok = true; break; }
      if (!ok) return false;
    }
    return true;
  };

  /** The `k` first items in `order`, sorted: one pass keeping the best so far. */
  function best(items, k, order) {
    var kept = [];
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (kept.length === k && order(item, kept[k - 1]) >= 0) continue;
      var lo = 0, hi = kept.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (order(kept[mid], item) <= 0) lo = mid + 1; else hi = mid; }
      kept.splice(lo, 0, item);
      if (kept.length > k) kept.pop();
    }
    return kept;
  }

  /**
   * The ranked documents of a plan: { total, ranked: [{doc, score}] (the `limit` best, best
   * first), counts }.
   * With no words but a filter: every resource passing it, newest first. A facet's counts apply
   * every other facet's filters (so ticking more values of one facet adds).
   */
  Engine.prototype.run = function (plan, filters, dates, limit) {
    var self = this, masks = this.masks(filters), candidates, score = null;
    if (plan.words.length) {
      var matched = this.match(plan);
      candidates = matched.docs;
      score = matched.score;
    } else if (masks.some(Boolean)) {
      candidates = dates.map(function (_, doc) { return doc; });
    } else {
      candidates = [];
    }
    var passing = candidates.filter(function (doc) { return self.passes(doc, masks, -1); });
    var top = best(passing, limit, score
      ? function (a, b) { return score[b] - score[a] || a - b; }
      : function (a, b) { return dates[b] - dates[a] || a - b; });
    var ranked = top.map(function (doc) { return { doc: doc, score: score ? score[doc] : 0 }; });
    var counts = {}, filtered = masks.some(Boolean);
    this.ix.facets.forEach(function (facet, i) {
      var n = new Int32Array(facet.values.length), column = self.f[i];
      for (var k = 0; k < candidates.length; k++) {
        var doc = candidates[k];
        if (filtered && !self.passes(doc, masks, i)) continue;
        var values = column[doc];
        for (var v = 0; v < values.length; v++) n[values[v]]++;
      }
      var c = counts[facet.key] = {};
      facet.values.forEach(function (v, j) { c[v[0]] = n[j]; });
    });
    return { total: passing.length, ranked: ranked, counts: counts };
  };

  function maxDistance(word) {
    var n = Array.from(word).length;
    return n <= 3 ? 0 : n <= 7 ? 1 : 2;
  }

  // The two rows editDistance fills, reused: it runs once per word of the library.
  var rowA = new Int32Array(64), rowB = new Int32Array(64);

  function editDistance(a, b, max) {
    if (mathAbs(a.length - b.length) > max) return -1;
    if (b.length >= rowA.length) { rowA = new Int32Array(b.length + 1); rowB = new Int32Array(b.length + 1); }
    var prev = rowA, row = rowB;
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 0; i < a.length; i++) {
      var min = i + 1;
      row[0] = i + 1;
      for (j = 0; j < b.length; j++) {
        var v = mathMin(prev[j] + (a[i] === b[j] ? 0 : 1), prev[j + 1] + 1, row[j] + 1);
        row[j + 1] = v;
        if (v < min) min = v;
      }
      if (min > max) return -1;
      var swap = prev; prev = row; row = swap;
    }
    return prev[b.length] <= max ? prev[b.length] : -1;
  }

  /** The library's words from `shortest` to `longest` characters (every word without them):
   *  [[word as chars, df, word, letters]], loading the chunk of each length once (`v<length>`,
   *  browser::vocabulary_chunks). */
  Engine.prototype.vocabulary = async function (shortest, longest) {
    var self = this, lengths = this.ix.vocab.filter(function (n) {
      return shortest === undefined || (n >= shortest && n <= longest);
    });
    await Promise.all(lengths.map(function (n) {
      return self.load('v' + n, 'search/chunks/v' + n + '.js').then(function (words) {
        self.vocabByLength[n] = self.vocabByLength[n] || words.map(function (entry) {
          var chars = Array.from(entry[0]);
          return [chars, entry[1], entry[0], letters(chars)];
        });
      });
    }));
    return [].concat.apply([], lengths.map(function (n) { return self.vocabByLength[n]; }));
  };

  /** The letters of a word as a set of 32 buckets (as query::letters, with 64): each letter of
   *  one word the other lacks needs an edit of its own, so the buckets one word has and the
   *  other lacks are a lower bound of their edit distance. */
  function letters(chars) {
    var set = 0;
    for (var i = 0; i < chars.length; i++) set |= 1 << (chars[i].codePointAt(0) % 32);
    return set;
  }

  function bitCount(n) {
    n = n - ((n >>> 1) & 0x55555555);
    n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
    return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  /** Whether the letters alone show two words are more than `max` edits apart (as query::too_far_by_letters). */
  function tooFarByLetters(a, b, max) {
    return mathMax(bitCount(a & ~b), bitCount(b & ~a)) > max;
  }

  /** The MAX_EXPANSIONS words of the library nearest `word` (within `max` edits, then the
   *  most used, then in order; as query::Vocabulary::expansions, compared only with words of
   *  a length within reach whose letters do not rule them out): [[distance, df, word]], found
   *  once per word (the library's words do not change, and a word typed on keeps asking). */
  Engine.prototype.closest = async function (word, max) {
    var near = this.nearest.get(word);
    if (near) return near;
    var chars = Array.from(word), mine = letters(chars);
    await this.vocabulary(chars.length - max, chars.length + max);
    near = [];
    for (var length = mathMax(0, chars.length - max); length <= chars.length + max; length++) {
      (this.vocabByLength[length] || []).forEach(function (v) {
        if (v[2] === word || tooFarByLetters(mine, v[3], max)) return;
        var d = editDistance(chars, v[0], max);
        if (d >= 0) near.push([d, v[1], v[2]]);
      });
    }
    near.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1] || compare(x[2], y[2]); });
    near = near.slice(0, MAX_EXPANSIONS);
    this.nearest.set(word, near);
    return near;
  };

  /**
   * Replaces each word that matches nothing by the closest words of the library (as
   * query::correct); the words searched for instead, or null when none changed. Only the
   * words of lengths within reach of a word to correct are loaded (Engine.vocabulary), and
   * none for a word too short to correct (maxDistance: `ki` on the way to `kit`).
   */
  Engine.prototype.correct = async function (plan) {
    var self = this, changed = false, searched = [];
    for (var i = 0; i < plan.words.length; i++) {
      var w = plan.words[i], max = maxDistance(w.surface);
      var nothing = max && w.stems.every(function (s) { return !self.postings(s); });
      var near = nothing ? await this.closest(w.surface, max) : [];
      if (!near.length) {
        searched.push(w.surface);
        continue;
      }
      // Their word shards hold the stems the library recorded for them (Engine.stem).
      await this.loadWords(near.map(function (x) { return x[2]; }));
      searched.push(near[0][2]);
      w.stems = unique(near.map(function (x) { return self.stem(x[2]); }));
      w.scales = w.stems.map(function () { return 1; });
      changed = true;
    }
    return changed ? searched.join(' ') : null;
  };

  /** Every stem of the plan, and whether it has phrases. */
  function planStems(plan) {
    return [].concat.apply([], plan.words.map(function (w) { return w.stems; }));
  }

  /**
   * Runs a query (as SearchIndex::search): the words as typed, the last completed; unless
   * `exact`, words matching nothing are first replaced by the closest words of the library.
   * { total, ranked (the `limit` best), counts, plan, corrected }.
   */
  Engine.prototype.search = async function (text, filters, exact, limit) {
    filters = filters || {};
    var plan = await this.parse(text);
    if (this.ix.mutations) await this.mutate(plan);
    this.complete(plan);
    await this.loadStems(planStems(plan), plan.phrases.length > 0);
    var to = exact ? null : await this.correct(plan), corrected = null;
    if (to !== null) {
      await this.loadStems(planStems(plan), plan.phrases.length > 0);
      corrected = { from: text, to: to };
    }
    // Dates order a facet's resources when no words are given; with no filter either, nothing is listed.
    var browsing = !plan.words.length && this.masks(filters).some(Boolean);
    var dates = browsing ? await this.load('dates', 'search/chunks/dates.js') : null;
    var result = this.run(plan, filters, dates, limit);
    result.plan = plan;
    result.corrected = corrected;
    return result;
  };

  /** Escapes &, < and > (as excerpt::escape): a passage is element text, where quotes are themselves. */
  function escapeText(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  /** Words start..end of `text` as HTML, the marked ones in <mark>, … where cut (as excerpt::mark). */
  function mark(text, toks, start, end, marked) {
    if (!toks.length || start >= end) return escapeText(text);
    var from = start === 0 ? 0 : toks[start].start, to = end === toks.length ? text.length : toks[end - 1].end;
    var out = start > 0 ? '…' : '', at = from;
    marked.forEach(function (m) {
      if (m[0] < start || m[0] >= end) return;
      var t = toks[m[0]];
      out += escapeText(text.slice(at, t.start)) + '<mark>' + escapeText(text.slice(t.start, t.end)) + '</mark>';
      at = t.end;
    });
    out += escapeText(text.slice(at, to));
    return end < toks.length ? out + '…' : out;
  }

  /** WINDOW words from LEAD before the match starting the run with most distinct stems. */
  function windowOf(found) {
    var reach = WINDOW - LEAD, anchor = [0, found.matches[0][0]];
    found.matches.forEach(function (m) {
      var within = new Set();
      found.matches.forEach(function (x) { if (x[0] >= m[0] && x[0] < m[0] + reach) within.add(x[1]); });
      if (within.size > anchor[0]) anchor = [within.size, m[0]];
    });
    var start = mathMax(0, anchor[1] - LEAD), end = mathMin(start + WINDOW, found.toks.length);
    return mark(found.section[2], found.toks, start, end, found.matches);
  }

  // Snowball English keeps a word's first two letters in its stem but for three words of its
  // exceptions: the only words of the library whose stem names another word shard than theirs.
  var RESHAPED = { dying: 'die', lying: 'lie', tying: 'tie' };

  /**
   * Which words of a page's text are `wanted` stems (as excerpt::matching, which stems them
   * with the library's analyser): a function from a token (Engine.tokensOf) to its stem if
   * wanted, else null. A word takes the stem the library recorded for it, from its word shard. The shards
   * of the wanted stems are loaded first, and a word of any other shard cannot have a wanted
   * stem (but RESHAPED's), so the answer never depends on what earlier queries loaded.
   */
  Engine.prototype.wantedIn = async function (wanted) {
    var self = this;
    if (!this.ix.stem) return function (t) { return wanted.has(t.text) ? t.text : null; };
    var stems = Array.from(wanted), memo = new Int32Array(this.wordIds.size + 1024); // by word id: 1 + its stem's index in stems, -1 none, 0 not asked
    await this.loadWords(stems);
    var shards = new Set(stems.map(function (s) { return self.wordShard(s); }));
    return function (t) {
      if (t.id >= memo.length) { var grown = new Int32Array(2 * t.id + 1024); grown.set(memo); memo = grown; }
      var known = memo[t.id];
      if (known !== 0) return known > 0 ? stems[known - 1] : null;
      var word = t.text;
      var stem = shards.has(self.wordShard(word)) ? self.stem(word)
        : hasOwn.call(RESHAPED, word) ? RESHAPED[word] : null;
      var found = stem !== null && wanted.has(stem) ? stem : null;
      memo[t.id] = found === null ? -1 : stems.indexOf(found) + 1;
      return found;
    };
  };

  /**
   * The excerpt and sub-results of a hit (as excerpt::passages): `shown`, what it shows (its
   * url and summary), `sections` its text; `wantedStem` is `wantedIn`'s answer.
   */
  Engine.prototype.passages = function (shown, sections, wantedStem) {
    var found = [], self = this;
    function matching(toks) {
      var out = [];
      for (var i = 0; i < toks.length; i++) {
        var s = wantedStem(toks[i]);
        if (s !== null) out.push([i, s]);
      }
      return out;
    }
    sections.forEach(function (section, index) {
      var toks = self.tokensOf(section, 2);
      var matches = matching(toks);
      if (!matches.length) return;
      var distinct = new Set(matches.map(function (m) { return m[1]; })).size;
      found.push({ index: index, section: section, toks: toks, matches: matches, distinct: distinct });
    });
    found.sort(function (a, b) {
      return b.distinct - a.distinct || b.matches.length - a.matches.length || a.index - b.index;
    });
    if (!found.length) {
      var toks = self.tokensOf(shown, 's');
      return { excerpt: mark(shown.s, toks, 0, toks.length, matching(toks)), sub: [] };
    }
    var sub = found.filter(function (x) { return x.section[0] !== ''; }).slice(0, MAX_SUBS).map(function (x) {
      return { url: shown.u + '#' + x.section[0], title: x.section[1], excerpt: windowOf(x) };
    });
    return { excerpt: windowOf(found[0]), sub: sub };
  };

  function dateText(n) {
    if (!n) return null;
    var s = String(n);
    return s.slice(0, 4) + '-' + s.slice(4, 6) + '-' + s.slice(6, 8);
  }

  /**
   * What the page sees of a search (the contract between engine and page):
   *   request: { text, filters: { facet: [slugs] }, limit (default 10), exact (no typo fallback) }
   *   → Promise of
   *   { total,                      number of real hits
   *     hits: [{ url,               relative to the site root ('case-studies/x/')
   *              title, type,       type key
   *              typeName, date,    'yyyy-mm-dd' or null
   *              score,             as `casebook search --json` gives it
   *              excerpt,           HTML: a passage of the body around the matched words (the
   *                                 summary when only title or summary matched, and for hits
   *                                 past the first ix.passages), matched words in <mark>
   *              sub: [{ url, title, excerpt }] }],   headings (url with #id) whose text
   *                                 matched, may be empty
   *     counts: { facet: { slug: n } },  each facet counted under every other facet's filters;
   *                                 every value present, 0 when it has no hit
   *     facets: engine.facets,
   *     corrected: null | { from, to } }  when words matching nothing were replaced by the
   *                                 closest words of the library: `from` as typed, `to` searched
   * An empty text with a filter lists every resource passing it, newest first.
   */
  Engine.prototype.query = async function (request) {
    var limit = request.limit || 10;
    var self = this, passages = this.ix.passages;
    // The first `passages` hits are ranked again (rankFirstHits), so at least
    // that many are ranked whatever the limit.
    var result = await this.search(request.text || '', request.filters || {}, !!request.exact, mathMax(limit, passages));
    var top = result.ranked;
    // A hit with a passage finds what it shows in its text bucket ([shown, sections]); the
    // hits after it, in the docs buckets.
    var parts = await Promise.all([
      Promise.all(top.map(function (h, rank) { return rank < passages ? null : self.part('docs', 'd', self.docStarts, h.doc); })),
      Promise.all(top.slice(0, passages).map(function (h) { return self.part('text', 'x', self.textStarts, h.doc); }))
    ]);
    var allShown = parts[0].map(function (d, rank) { return d || parts[1][rank][0]; });
    var allTexts = parts[1].map(function (t) { return t[1]; });
    top = this.rankFirstHits(result.plan, top, allShown, allTexts).slice(0, limit);
    var shown = top.map(function (h) { return allShown[h.at]; });
    var texts = top.map(function (h) { return allTexts[h.at]; });
    var types = {};
    this.ix.facets[0].values.forEach(function (v) { types[v[0]] = v[1]; });
    var wantedStem = await this.wantedIn(new Set(planStems(result.plan)));
    return {
      total: result.total,
      hits: top.map(function (hit, rank) {
        var d = shown[rank], type = self.ix.facets[0].values[self.f[0][hit.doc][0]];
        var kind = type ? type[0] : '';
        var found = self.passages(d, rank < passages ? texts[rank] : [], wantedStem);
        return { url: d.u, title: d.t, type: kind, typeName: types[kind] || kind,
          date: dateText(d.d), score: hit.score, excerpt: found.excerpt, sub: found.sub };
      }),
      counts: result.counts,
      facets: this.facets,
      corrected: result.corrected
    };
  };

  /** Opens the index the page loaded (search/index.js); a promise, so parts load lazily. */
  function open() {
    return Promise.resolve(new Engine(root.CasebookIndex));
  }

  root.CasebookSearch = { Engine: Engine, open: open, tokens: tokens, fold: fold, escapeText: escapeText,
    shardHash: shardHash, welshForms: welshForms };
})(typeof globalThis !== 'undefined' ? globalThis : this);
