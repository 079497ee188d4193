// Browser search latency: node bench-search.mjs BUILT_SITE_DIR
// Opens search/index.html from disk in headless Chromium, reports how long the index takes to
// load, then types query words one character at a time and times each keystroke's search and
// render (the synchronous `input` handler), printing p50 / p95 / max in milliseconds.
import { launch, fileUrl } from './lib.mjs';

const site = process.argv[2];
if (!site) { console.error('usage: node bench-search.mjs BUILT_SITE_DIR'); process.exit(2); }
const WORDS = ['leadership system', 'pharmacy review', 'care homes deprescribing', 'collaborating partners',
  'community health outcome', 'dashbord', 'governance budget', 'frailty pathway', 'trust shared purpose',
  'hospital discharge carer'];

const browser = await launch();
const page = await browser.newPage();
const start = Date.now();
await page.goto(fileUrl(site, 'search/index.html'));
await page.waitForFunction(() => document.getElementById('search-status').dataset.total !== undefined);
const loadMs = Date.now() - start;
const times = await page.evaluate((queries) => {
  const input = document.getElementById('search-q');
  const out = [];
  for (let round = 0; round < 3; round++) {
    for (const q of queries) {
      for (let i = 1; i <= q.length; i++) {
        input.value = q.slice(0, i);
        const t0 = performance.now();
        input.dispatchEvent(new Event('input'));
        out.push(performance.now() - t0);
      }
    }
  }
  return out;
}, WORDS);
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
console.log(`page load + index parse: ${loadMs} ms`);
console.log(`keystrokes: ${times.length}; per keystroke p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
await browser.close();
