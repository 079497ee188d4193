// Per keystroke on the search page, to the results laid out: every query of a judged .tsv
// typed one letter at a time into one page opened from file:// in headless Chromium.
//   node benches/search_eval/keys-page.mjs PUBLIC QUERIES.tsv
// A keystroke is timed from its `input` event to the moment `#search-status` says which query
// its results answer (`data-query`, set after the results are drawn), plus the layout the
// browser would do before painting them (forced by reading a size, and shown on its own).
// `engine.query` is timed too (the engine's share: searching, and loading new chunks). With
// PROF=FILE.cpuprofile the page's JS is profiled (CDP) for chrome://inspect or `node --cpu-prof`
// tools. With LOG=1 each keystroke's time, text and files loaded go to stderr (sort -rn for the
// slowest). run.mjs's per-keystroke pass stops at the last DOM change, before layout; this one
// is the reader's: until the results can be painted.
// Needs playwright-core (tests/browser: npm ci, or PLAYWRIGHT_CORE) and /usr/bin/chromium.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [site, tsv] = process.argv.slice(2);
if (!site || !tsv) {
  console.error('usage: node keys-page.mjs PUBLIC QUERIES.tsv');
  process.exit(2);
}
const place = process.env.PLAYWRIGHT_CORE || join(REPO, 'tests/browser/node_modules/playwright-core');
if (!existsSync(join(place, 'package.json'))) {
  console.error('playwright-core not found: run `npm ci` in tests/browser, or set PLAYWRIGHT_CORE');
  process.exit(2);
}
const { chromium } = createRequire(join(place, 'package.json'))(place);
const queries = readFileSync(tsv, 'utf8').split('\n')
  .filter((line) => line.trim() && !line.startsWith('#') && !line.startsWith('kind\t'))
  .map((line) => line.split('\t')[1]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
let loads = 0;
const paths = [];
page.on('request', (request) => { loads++; paths.push(request.url().split('/search/').pop()); });
await page.goto('file://' + resolve(site) + '/search/index.html');
await page.waitForFunction(() => document.getElementById('search-status').dataset.query !== undefined);
await page.evaluate(() => {
  const proto = CasebookSearch.Engine.prototype, query = proto.query;
  window.engineTimes = [];
  proto.query = async function (request) {
    const t = performance.now(), out = await query.call(this, request);
    window.engineTimes.push(performance.now() - t);
    return out;
  };
});
const cdp = process.env.PROF ? await page.context().newCDPSession(page) : null;
if (cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
}

const total = [], layout = [];
let keystrokes = 0, timeouts = 0, loaded = 0;
for (const query of queries) {
  await page.evaluate(() => { const i = document.getElementById('search-q'); i.value = ''; i.dispatchEvent(new Event('input')); });
  await page.waitForFunction(() => document.getElementById('search-status').dataset.query === '');
  for (let k = 1; k <= query.length; k++) {
    const before = loads;
    const [ms, laid] = await page.evaluate((text) => new Promise((done) => {
      const status = document.getElementById('search-status'), input = document.getElementById('search-q');
      const t0 = performance.now();
      const watch = new MutationObserver(() => {
        if (status.dataset.query !== text.trim()) return;
        watch.disconnect();
        const t1 = performance.now();
        void document.body.offsetHeight; // the layout the next paint would do
        const t2 = performance.now();
        done([t2 - t0, t2 - t1]);
      });
      watch.observe(status, { attributes: true });
      input.value = text;
      input.dispatchEvent(new Event('input'));
      setTimeout(() => { watch.disconnect(); done([-1, -1]); }, 3000);
    }), query.slice(0, k));
    keystrokes++;
    const files = paths.splice(0);
    if (process.env.LOG) console.error(ms.toFixed(1), JSON.stringify(query.slice(0, k)), files.join(' '));
    loaded += loads - before;
    if (ms < 0) timeouts++;
    else { total.push(ms); layout.push(laid); }
  }
}
if (cdp) writeFileSync(process.env.PROF, JSON.stringify((await cdp.send('Profiler.stop')).profile));
const engine = await page.evaluate(() => window.engineTimes);
await browser.close();

const pct = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];
const line = (name, values) => `${name} p50 ${pct(values, 0.5).toFixed(1)} ms, p95 ${pct(values, 0.95).toFixed(1)} ms`;
console.log(`${keystrokes} keystrokes over ${queries.length} queries (${timeouts} timed out), ${(loaded / keystrokes).toFixed(2)} files loaded per keystroke`);
console.log(line('per keystroke, to the results laid out:', total));
console.log(line('  of which layout:', layout));
console.log(line('engine.query:', engine));
