// The browser engine (js/search-engine.js over the split search/ index) and `casebook search`
// agree: for over 100 queries drawn from the library's own words (plus words being typed,
// phrases, misspellings, words it lacks, the library's own titles and facet filters) both give the same total, the
// same ordered top 10 with scores within 1e-6 (the first ten ranked again by proximity from
// their loaded text), the same passages and sub-results (headings and their anchors), the same
// top 3 under a limit of 3, and the same correction — every query asked in turn of one engine,
// as a page asks them, so what earlier queries loaded must not change an answer. Run on the search
// fixture, the sample library, the Welsh fixture (initial mutations, with queries of its own)
// and a generated library of CASEBOOK_AGREE_N (2,000) resources; BENCHMARKS.md runs it at
// 10,000 with CASEBOOK_AGREE_SITE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSite, REPO } from './lib.mjs';
import { loadEngine, cli } from './search-lib.mjs';

/** A deterministic spread of queries over the library's words. */
async function queries(engine) {
  const words = (await engine.vocabulary()).map((v) => v[2]).filter((w) => /^[a-z]{3,}$/.test(w)).sort();
  const pick = (n, offset) => Array.from({ length: n }, (_, i) => words[(i * 37 + offset) % words.length]);
  const out = [];
  out.push(...pick(40, 0).map((w) => `${w} `));                          // single words, complete
  out.push(...pick(20, 1).map((w) => w.slice(0, Math.max(3, w.length - 3))));   // a word being typed
  const a = pick(25, 11), b = pick(25, 23), c = pick(25, 29);
  out.push(...a.map((w, i) => `${w} ${b[i]} `));                         // two words
  out.push(...a.slice(0, 10).map((w, i) => `${w} ${b[i]} ${c[i]}`));     // three, the last typed
  out.push(...pick(10, 5).map((w, i) => `"${w}" ${a[i]} `));              // a required word
  out.push(...pick(10, 9).map((w, i) => `"${w} ${c[i]}"`));               // phrases
  out.push(...pick(10, 7).filter((w) => w.length > 5).map((w) => `${w.slice(0, 2)}${w.slice(3)} `)); // typos
  out.push(...pick(10, 7).filter((w) => w.length > 5).map((w, i) => `${a[i]} ${w.slice(0, 2)}${w.slice(3)} `)); // a typo among good words
  out.push(...pick(10, 3).map((w) => `${w}ing `), ...pick(5, 13).map((w) => `${w}s `)); // other forms
  out.push('zzyzx', 'qwertyuiop ', 'café', 'Collaborating ', 'CARE HOMES', '"care homes"', 'deprescrib'); // lacks, case, accents
  out.push(...a.slice(0, 10).map((w, i) => `how do I ${w} the ${b[i]}`));  // questions: stop words left out
  out.push('what is the', 'how to ', 'how do I "the" care ', 'the'); // stop words only, quoted, typed
  out.push('PCN', 'primary care networks', '"primary care network" ', 'ARRS '); // the glossary's abbreviations and expansions
  return out;
}

/**
 * Known-item queries: the titles of the first hits of a few drawn words, as typed (the last
 * word a prefix), complete, and without their first word — the title signal at full, partial
 * and no coverage.
 */
function titles(site, words) {
  const found = new Set();
  words.slice(0, 12).forEach((w) => cli(site, w, {}, 2).hits.forEach((h) => found.add(h.title)));
  return [...found].flatMap((t) => [t, `${t} `, `${t.split(' ').slice(1).join(' ')} `]);
}

/** What hits show of their text: each passage and sub-result, addressed from the site root as the CLI does. */
function passagesOf(hits, root = '') {
  return hits.map((h) => ({ excerpt: h.excerpt, sub: h.sub.map((s) => ({ url: root + s.url, title: s.title, excerpt: s.excerpt })) }));
}

/** Checks the engine against the CLI on `site`, with the drawn queries and `extra` ones. */
async function agree(site, label, extra = []) {
  const engine = loadEngine(site);
  const drawn = await queries(engine);
  const all = [...drawn, ...titles(site, drawn), ...extra];
  assert.ok(all.length >= 100, `only ${all.length} queries`);
  const facets = engine.facets;
  const filtered = all.slice(0, 20).map((q, i) => [q, i % 2 ? { type: [facets[0].values[i % 3][0]] }
    : { [facets[1].key]: [facets[1].values[i % 4][0], facets[1].values[(i + 1) % 4][0]] }]);
  filtered.push(['', { type: [facets[0].values[0][0]] }]);                   // browsing, newest first
  let compared = 0, ranked = 0;
  for (const [query, filters] of [...all.map((q) => [q, {}]), ...filtered]) {
    const expected = cli(site, query, filters.enablers ? filters : filters, 10);
    // JSON round trip: the engine lives in another realm, whose arrays deepEqual refuses.
    const got = JSON.parse(JSON.stringify(await engine.query({ text: query, filters, limit: 10 })));
    const what = `${label}: ${JSON.stringify(query)} ${JSON.stringify(filters)}`;
    const urls = got.hits.map((h) => `/${h.url}`);
    assert.equal(got.total, expected.total, `total for ${what}`);
    assert.deepEqual(urls, expected.hits.map((h) => h.url), `order for ${what}`);
    got.hits.forEach((h, i) => {
      const want = expected.hits[i].score;
      assert.ok(Math.abs(h.score - want) <= 1e-6 * Math.max(1, want), `score of ${urls[i]} for ${what}: ${h.score} vs ${want}`);
    });
    assert.deepEqual(passagesOf(got.hits, '/'), passagesOf(expected.hits), `passages for ${what}`);
    assert.deepEqual(got.corrected, expected.corrected, `correction for ${what}`);
    compared++;
    if (urls.length >= 2) ranked++;
  }
  // A limit under the ten hits ranked again by proximity cuts them after that ranking.
  for (const query of all.filter((q) => q.trim().split(' ').length >= 2).slice(0, 20)) {
    const expected = cli(site, query, {}, 3);
    const got = JSON.parse(JSON.stringify(await engine.query({ text: query, filters: {}, limit: 3 })));
    assert.deepEqual(got.hits.map((h) => `/${h.url}`), expected.hits.map((h) => h.url), `${label}: ${query} (limit 3)`);
  }
  assert.ok(compared >= 120);
  assert.ok(ranked >= 50, `only ${ranked} queries ranked two or more hits`);
}

for (const root of [join(REPO, 'tests/sites/search'), REPO]) {
  test(`browser and CLI rank alike on ${root === REPO ? 'the sample library' : 'the search fixture'}`, async () => {
    await agree(buildSite(root), root);
  });
}

// Welsh: each word also matches its mutations (soft, nasal, aspirate, h), found through word
// shards of other first letters; phrases keep the words as written; ŵ folds to w.
const WELSH = ['gymuned ', 'cymuned ', 'nghymuned ', 'chymuned ', 'gymuned', 'cymune', 'ŵyr ', 'wyr',
  'Cymru ', 'meddygfa ', 'feddygfa', 'llais ', 'lais y claf ', '"y gymuned"', '"gymuned" fferyllfa ',
  'gofal ', 'gofalu ', 'ofal', 'pam ', 'mam ', 'bywyd ', 'fferyllfa gymuned ', 'gymunde ', 'cymorth gofal',
  'timau ', 'dimau ', 'nhimau ', 'thimau ', 'rhannu data ', 'rannu ', 'gwrando ', 'wrando ', 'grwp ', 'grŵp',
  'tim ', 'hŷn ', 'dal ', 'amser ', 'hamser'];

test('browser and CLI rank alike on the Welsh fixture', async () => {
  await agree(buildSite(join(REPO, 'tests/sites/welsh')), 'the Welsh fixture', WELSH);
});

test('browser and CLI rank alike on a generated library', async () => {
  let site = process.env.CASEBOOK_AGREE_SITE;
  if (!site) {
    const n = process.env.CASEBOOK_AGREE_N || '2000';
    // The generator beside the binary under test (`cargo build --example gen_library`).
    const bin = process.env.CASEBOOK_BIN || join(REPO, 'target/debug/casebook');
    const gen = process.env.CASEBOOK_GEN || join(dirname(bin), 'examples/gen_library');
    const lib = mkdtempSync(join(tmpdir(), 'casebook-agree-'));
    process.on('exit', () => rmSync(lib, { recursive: true, force: true }));
    execFileSync(gen, [lib, n]);
    site = buildSite(lib);
  }
  await agree(site, site);
});

test("the JS Snowball port stems the sample library's words as tantivy's stemmer did", async () => {
  const engine = loadEngine(buildSite(REPO));
  const words = (await engine.vocabulary()).map((v) => v[2]).filter((w) => /^[a-z]+$/.test(w));
  assert.ok(words.length > 1000);
  const wrong = words.filter((w) => engine.porter(w) !== engine.stem(w));
  assert.deepEqual([...wrong], [], "words stemmed differently");
});

/**
 * A library whose pages hold words the JS Snowball port stems otherwise than tantivy's stemmer
 * (`paste`: `past` against `paste`; `psychologist`: `psychologist` against `psycholog`), one
 * Snowball stems into another word shard (`dying`: `die`) and quotes, among enough made-up
 * words (deterministic) for many word shards, so a query need not load the shards of the
 * words its hits' text holds.
 */
function passageLibrary() {
  const root = mkdtempSync(join(tmpdir(), 'casebook-passages-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  let seed = 7;
  const letters = 'bcdfghjklmnrstvz', vowels = 'aeiou';
  const made = () => Array.from({ length: 4 }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return letters[seed % 16] + vowels[(seed >> 8) % 5];
  }).join('');
  const filler = (n) => Array.from({ length: n }, made).join(' ');
  writeFileSync(join(root, 'casebook.yaml'), 'title: "Passages"\nbase_url: "https://passages.example.org/"\nlanguage: en\ntheme: default\n');
  mkdirSync(join(root, 'content/guides'), { recursive: true });
  const page = (slug, title, body) => writeFileSync(join(root, `content/guides/${slug}.md`),
    `---\ntitle: "${title}"\nsummary: "A guide about ${title.toLowerCase()}."\ndate: 2024-01-0${slug.length % 9 + 1}\n---\n${body}\n`);
  page('alerts', 'Emergency alerts', `Emergency managers said they could quickly copy and paste the alerts, "word for word".\n\n` +
    `## Advice\n\nA psychologist by training warned that a dying service tells the public to "wait & see".\n\n${filler(900)}\n`);
  page('history', 'Past campaigns', `In the past, managers of campaigns kept no record of what the public said.\n\n${filler(900)}\n`);
  page('grief', 'Die-hard habits', `Habits that die hard, and the psychological cost of change.\n\n${filler(900)}\n`);
  return root;
}

// A page asks its queries in turn: the passages of each must be those `casebook search` gives,
// whatever the earlier queries loaded — the words of the first query's hits are marked by the
// stems the library recorded when a later query wants them, not by the JS port's stems.
test('passages do not depend on the queries a page asked before', async () => {
  const site = buildSite(passageLibrary());
  const engine = loadEngine(site);
  const sequence = ['emergency managers ', 'paste ', 'psychologist ', 'psychological ', 'die ', 'word for word ', 'past '];
  for (const [i, query] of sequence.entries()) {
    const got = JSON.parse(JSON.stringify(await engine.query({ text: query, limit: 10 })));
    const expected = cli(site, query);
    assert.deepEqual(got.hits.map((h) => `/${h.url}`), expected.hits.map((h) => h.url), `order for ${query}`);
    assert.deepEqual(passagesOf(got.hits, '/'), passagesOf(expected.hits), `passages for ${query}`);
    // The sequence tests what it should: the first query left the later words' shards unloaded.
    if (i === 0) assert.deepEqual(['paste', 'psychologist', 'dying'].map((w) => engine.word(w)), [null, null, null]);
  }
  const marked = (await engine.query({ text: 'paste ', limit: 10 })).hits[0].excerpt;
  assert.match(marked, /<mark>paste<\/mark> the alerts, "word for word"/);
});

// Every keystroke of a query with a phrase asks for its stems' positions again: they are decoded
// once, and the answer is the same at every asking (the keystroke budget, BENCHMARKS.md).
test('a phrase typed again decodes no positions it has decoded before', async () => {
  const engine = loadEngine(buildSite(join(REPO, 'tests/sites/search')));
  const query = { text: '"care homes" deprescrib', limit: 10 };
  const first = JSON.stringify(await engine.query(query));
  const positions = engine.positions(engine.stem('care'));
  assert.ok(positions.length > 0, 'the phrase has positions');
  assert.equal(engine.positions(engine.stem('care')), positions);
  assert.equal(JSON.stringify(await engine.query(query)), first);
});

// A word matching nothing is corrected from the library's words of lengths within reach: the
// page loads those lengths' chunks alone (every word shard took 0.6 s on Digital.gov), and
// none for a word too short to correct (`ki` on the way to `kit`).
test('a word to correct loads the words of lengths within reach, a word too short none', async () => {
  const site = buildSite(join(REPO, 'tests/sites/search'));
  const engine = loadEngine(site);
  const loadedLengths = () => Array.from(engine.vocabByLength.flatMap((words, length) => (words ? [length] : [])));
  const answer = await engine.query({ text: 'care qx', limit: 10 });
  assert.deepEqual(loadedLengths(), [], 'no words for a two-letter word');
  assert.equal(answer.total, cli(site, 'care qx').total);
  const corrected = await engine.query({ text: 'care homez', limit: 10 });
  assert.deepEqual(loadedLengths(), [4, 5, 6], 'one edit from five letters');
  assert.equal(corrected.corrected.to, 'care homes');
  assert.deepEqual({ ...corrected.corrected }, cli(site, 'care homez').corrected);
  assert.deepEqual(JSON.parse(JSON.stringify(corrected.hits)).map((h) => `/${h.url}`),
    cli(site, 'care homez').hits.map((h) => h.url));
});
