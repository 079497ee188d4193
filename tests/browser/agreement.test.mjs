// The browser engine (static/js/search.js over search/index.js) and `casebook search` agree:
// for over 100 queries drawn from the library's own vocabulary (plus misspellings, words it
// lacks, quoted words and facet filters) both give the same total and the same ordered top 10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, REPO } from './lib.mjs';
import { loadEngine, cli } from './search-lib.mjs';

/** A deterministic spread of queries over the index's vocabulary. */
function queries(engine) {
  const words = Object.keys(engine.ix.vocab).filter((w) => /^[a-z]{3,}$/.test(w));
  const pick = (n, offset) => Array.from({ length: n }, (_, i) => words[(i * 37 + offset) % words.length]);
  const out = [];
  out.push(...pick(50, 0));                                          // single words
  const a = pick(25, 11), b = pick(25, 23);
  out.push(...a.map((w, i) => `${w} ${b[i]}`));                      // two words
  out.push(...pick(10, 5).map((w, i) => `"${w}" ${a[i]}`));          // a required word
  out.push(...pick(10, 7).filter((w) => w.length > 5).map((w) => w.slice(0, 2) + w.slice(3))); // typos
  out.push(...pick(10, 3).map((w) => `${w}ing`), ...pick(5, 13).map((w) => `${w}s`)); // other forms
  out.push('zzyzx', 'qwertyuiop', 'café', 'Collaborating', 'CARE HOMES');                // words it lacks, case, accents
  return out;
}

for (const root of [join(REPO, 'tests/sites/search'), REPO]) {
  test(`browser and CLI rank alike on ${root === REPO ? 'the sample library' : 'the search fixture'}`, () => {
    const site = buildSite(root);
    const engine = loadEngine(site);
    const all = queries(engine);
    assert.ok(all.length >= 100, `only ${all.length} queries`);
    const filtered = all.slice(0, 20).map((q, i) => [q, i % 2 ? { type: [engine.ix.facets[0].values[i % 3][0]] }
      : { enablers: [engine.ix.facets[1].values[i % 4][0], engine.ix.facets[1].values[(i + 1) % 4][0]] }]);
    let compared = 0, ranked = 0;
    for (const [query, filters] of [...all.map((q) => [q, {}]), ...filtered]) {
      const expected = cli(site, query, filters);
      const got = engine.search(query, filters, 10);
      const urls = Array.from(got.hits, (h) => `/${engine.docs[h.doc].u}`);
      assert.equal(got.total, expected.total, `total for ${JSON.stringify(query)} ${JSON.stringify(filters)}`);
      assert.deepEqual(urls, expected.hits.map((h) => h.url), `order for ${JSON.stringify(query)} ${JSON.stringify(filters)}`);
      got.hits.forEach((h, i) => {
        const want = expected.hits[i].score;
        assert.ok(Math.abs(h.score - want) <= 1e-6 * Math.max(1, want), `score of ${urls[i]} for ${query}: ${h.score} vs ${want}`);
      });
      compared++;
      if (urls.length >= 2) ranked++;
    }
    assert.ok(compared >= 120);
    assert.ok(ranked >= 50, `only ${ranked} queries ranked two or more hits`);
  });
}

test("the JS Snowball port stems the sample library's words as tantivy's stemmer did", () => {
  const site = buildSite(REPO);
  const engine = loadEngine(site);
  const words = Object.entries(engine.ix.vocab).filter(([w]) => /^[a-z]+$/.test(w));
  assert.ok(words.length > 1000);
  const wrong = words.filter(([w, s]) => engine.porter(w) !== (s === 1 ? w : s)).map(([w]) => w);
  assert.deepEqual(wrong, [], 'words stemmed differently');
});
