// The browser engine's budgets without a browser: node bench-engine.mjs BUILT_SITE_DIR
// Loads search/index.js and the engine as the page does, then types queries one character at
// a time through engine.query() (limit 10, as a page of results shows), counting the bytes of
// every part of the index it loads on demand. Prints the bytes before the first results, per
// further query (typed, and submitted whole), and the time per keystroke once the parts a query needs are loaded (the
// same keystrokes again), p50 / p95 / max.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine } from './search-lib.mjs';

const site = process.argv[2];
if (!site) { console.error('usage: node bench-engine.mjs BUILT_SITE_DIR'); process.exit(2); }
const QUERIES = ['leadership system', 'pharmacy review', 'care homes deprescribing', 'collaborating partners',
  'community health outcome', 'dashbord', 'governance budget', 'frailty pathway', 'trust shared purpose',
  'hospital discharge carer', '"shared data" governance', 'antimicrobial stewardship pilot'];
const size = (p) => statSync(join(site, p)).size;
const eager = ['search/index.js', 'js/search-engine.js', 'js/porter2.js'].reduce((n, p) => n + size(p), 0);
const engine = loadEngine(site);
const perQuery = [];
let first = null;
for (const q of QUERIES) {
  const before = engine.loaded.bytes;
  for (let i = 1; i <= q.length; i++) await engine.query({ text: q.slice(0, i), limit: 10 });
  perQuery.push(engine.loaded.bytes - before);
  if (first === null) {
    const fresh = loadEngine(site);
    await fresh.query({ text: q.split(' ')[0].slice(0, 4), limit: 10 });
    first = eager + fresh.loaded.bytes;
  }
}
// A whole query at once (a link with ?q=, or Enter) after a first one: what it adds.
const submitted = [];
for (const q of QUERIES) {
  const fresh = loadEngine(site);
  await fresh.query({ text: 'care', limit: 10 });
  const before = fresh.loaded.bytes;
  await fresh.query({ text: q, limit: 10 });
  submitted.push(fresh.loaded.bytes - before);
}
const times = [];
for (let round = 0; round < 3; round++) {
  for (const q of QUERIES) {
    for (let i = 1; i <= q.length; i++) {
      const t0 = performance.now();
      await engine.query({ text: q.slice(0, i), limit: 10 });
      times.push(performance.now() - t0);
    }
  }
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const sorted = [...perQuery].sort((a, b) => a - b);
console.log(`eager (index.js + engine + stemmer): ${kb(eager)}; before the first results (4 letters typed): ${kb(first)}`);
console.log(`typed query by query, bytes loaded: median ${kb(sorted[sorted.length >> 1])}, max ${kb(sorted[sorted.length - 1])} (${perQuery.map(kb).join(', ')})`);
const sub = [...submitted].sort((a, b) => a - b);
console.log(`a further query submitted whole, bytes loaded: median ${kb(sub[sub.length >> 1])}, max ${kb(sub[sub.length - 1])} (${submitted.map(kb).join(', ')})`);
console.log(`per keystroke once loaded: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${times[times.length - 1].toFixed(2)} ms (${times.length} keystrokes)`);
