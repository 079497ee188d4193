// Search relevance benchmark (issue #11): scores judged queries against a built Casebook site.
//
//   node benches/search_eval/run.mjs --site PUBLIC --queries FILE.tsv [--casebook BIN]
//        [--pagefind PAGEFIND_DIR] [--engines cli,page,pagefind] [--out RESULTS.json]
//
// Engines, each scored on the same queries (hit = one of the expected URLs):
//   cli       `casebook search QUERY --index PUBLIC --json --limit 10`
//   page      the search page opened from disk, file://PUBLIC/search/index.html?q=QUERY, in
//             headless Chromium; relies only on the page contract: `#search-status`, and one
//             `#search-results > li` per hit whose first link is the hit
//   pagefind  Pagefind's JS API (`pagefind.search(q)`, then each result's `data().url`) over
//             http://127.0.0.1 (Pagefind cannot work from file://), from a bundle built by
//             `pagefind --site PUBLIC --output-path PAGEFIND_DIR` (run.sh does it)
// Also: agreement of the ordered top 10 between cli and page; bytes loaded until a query's
// results settle on a fresh page; bytes a further query loads on a page already open; and the
// time per keystroke while typing each query one character at a time (input event -> the
// last update of the results). Prints a markdown report; --out keeps every ranked list.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const QUIET_MS = 300; // settled once this long passes with no change and no request in flight or ended
const KEY_QUIET_MS = 60; // after a keystroke's first update, this long with no change ends it
const KEY_WAIT_MS = 1000; // a keystroke that changes nothing for this long changed nothing

const args = parseArgs(process.argv.slice(2));
const site = resolve(args.site || usage());
const queries = readQueries(args.queries || usage());
const engines = (args.engines || 'cli,page,pagefind').split(',');
const casebook = args.casebook || process.env.CASEBOOK_BIN || join(REPO, 'target/debug/casebook');

function usage() {
  console.error('usage: node run.mjs --site PUBLIC --queries FILE.tsv [--casebook BIN] [--pagefind DIR] [--engines cli,page,pagefind] [--out FILE.json]');
  process.exit(2);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) usage();
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

/** Rows of `kind<TAB>query<TAB>expected URLs (space-separated)<TAB>tags`; `#` starts a comment. */
function readQueries(file) {
  return readFileSync(file, 'utf8').split('\n')
    .filter((line) => line.trim() && !line.startsWith('#') && !line.startsWith('kind\t'))
    .map((line, i) => {
      const [kind, query, expected, tags = ''] = line.split('\t');
      if (!query || !expected) throw new Error(`${file}: row ${i + 1} needs kind, query and expected URL(s)`);
      return { kind, query, expected: expected.trim().split(/\s+/).map(normalise), tags: tags.split(/[ ,]+/).filter(Boolean) };
    });
}

/** A URL as `/path/`: no origin, no site folder, no `index.html`, no fragment or query. */
function normalise(url, base = '') {
  let path = url.replace(/[#?].*$/, '');
  if (base && path.startsWith(base)) path = path.slice(base.length);
  path = path.replace(/^[a-z]+:\/\/[^/]*/, '').replace(/index\.html$/, '');
  path = decodeURIComponent(path);
  if (!path.startsWith('/')) path = '/' + path;
  return path.endsWith('/') ? path : path + '/';
}

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// ---------------------------------------------------------------- engines

function cliSearch(query) {
  try {
    const out = execFileSync(casebook, ['search', query, '--index', site, '--json', '--limit', '10'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out).hits.map((hit) => normalise(hit.url));
  } catch (err) {
    return { error: String(err.stderr || err.message).trim().split('\n')[0] };
  }
}

async function loadPlaywright() {
  const places = [process.env.PLAYWRIGHT_CORE, join(REPO, 'tests/browser/node_modules/playwright-core')];
  for (const place of places.filter(Boolean)) {
    if (existsSync(join(place, 'package.json'))) {
      const require = createRequire(join(place, 'package.json'));
      return require(place);
    }
  }
  console.error('playwright-core not found: run `npm ci` in tests/browser, or set PLAYWRIGHT_CORE=/path/to/node_modules/playwright-core');
  process.exit(2);
}

/** Counts what a page loads: bytes of finished requests, how many are still in flight and
 * when the last one ended (Date.now()). */
function trackRequests(page) {
  const state = { bytes: 0, inFlight: 0, urls: [], lastEnd: Date.now() };
  page.on('request', () => { state.inFlight++; });
  page.on('requestfailed', () => { state.inFlight--; state.lastEnd = Date.now(); });
  page.on('requestfinished', async (request) => {
    state.bytes += await requestBytes(request);
    state.urls.push(request.url());
    state.inFlight--;
    state.lastEnd = Date.now();
  });
  return state;
}

async function requestBytes(request) {
  const url = request.url();
  if (url.startsWith('file:')) {
    try { return statSync(fileURLToPath(url)).size; } catch { return 0; }
  }
  try { return (await request.sizes()).responseBodySize; } catch { return 0; }
}

/** Waits until the results and status stop changing and no request is in flight or has just
 * ended: the page draws only once the last part of the index it asked for has arrived and been
 * searched, so a DOM quiet since before that load says nothing (results were read as empty). */
async function settle(page, requests, quietMs = QUIET_MS, limitMs = 30000) {
  const start = Date.now();
  await page.evaluate(() => {
    window.__evalLastChange = performance.now();
    const observer = new MutationObserver(() => { window.__evalLastChange = performance.now(); });
    for (const id of ['search-results', 'search-status']) {
      const el = document.getElementById(id);
      if (el) observer.observe(el, { childList: true, subtree: true, characterData: true, attributes: true });
    }
  });
  for (;;) {
    const idle = await page.evaluate(() => performance.now() - window.__evalLastChange);
    const loaded = requests.inFlight <= 0 && Date.now() - requests.lastEnd >= quietMs;
    if ((idle >= quietMs && loaded) || Date.now() - start > limitMs) return;
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

/** The hits the page shows: the first link of each `#search-results > li`, as `/path/`. */
async function pageHits(page, base) {
  const hrefs = await page.$$eval('#search-results > li', (items) =>
    items.map((li) => li.querySelector('a[href]')?.href || ''));
  return hrefs.slice(0, 10).map((href) => normalise(href, base));
}

async function pageSearch(browser, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = trackRequests(page);
  const url = pathToFileURL(join(site, 'search/index.html')).href + '?q=' + encodeURIComponent(query);
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await settle(page, requests);
  const hits = await pageHits(page, pathToFileURL(site).href);
  const status = (await page.textContent('#search-status').catch(() => '') || '').trim();
  const result = { hits, bytes: requests.bytes, ms: Date.now() - t0, status };
  await context.close();
  return result;
}

/** Types each query one character at a time into one open page: time per keystroke, and the
 * bytes each query loads once the page and its first query are loaded. */
async function pageKeystrokes(browser, queries) {
  const page = await browser.newPage();
  const requests = trackRequests(page);
  await page.goto(pathToFileURL(join(site, 'search/index.html')).href + '?q=' + encodeURIComponent(queries[0]), { waitUntil: 'load' });
  await settle(page, requests);
  const times = [];
  const furtherBytes = [];
  let unchanged = 0;
  for (const query of queries.slice(1)) {
    const before = requests.bytes;
    for (let i = 1; i <= query.length; i++) {
      const ms = await page.evaluate(([text, quiet, wait]) => new Promise((done) => {
        const input = document.getElementById('search-q');
        let last = null;
        const observer = new MutationObserver(() => { last = performance.now(); });
        for (const id of ['search-results', 'search-status']) {
          observer.observe(document.getElementById(id), { childList: true, subtree: true, characterData: true, attributes: true });
        }
        input.value = text;
        const t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const sync = performance.now() - t0;
        const check = () => {
          const now = performance.now();
          if ((last !== null && now - last >= quiet) || (last === null && now - t0 >= wait)) {
            observer.disconnect();
            done(last === null ? -sync - 1e-9 : Math.max(sync, last - t0));
          } else setTimeout(check, 5);
        };
        setTimeout(check, 0);
      }), [query.slice(0, i), KEY_QUIET_MS, KEY_WAIT_MS]);
      if (ms < 0) unchanged++;
      times.push(Math.abs(ms));
    }
    await settle(page, requests, 100);
    furtherBytes.push(requests.bytes - before);
  }
  await page.close();
  return { times, furtherBytes, unchanged };
}

// ---------------------------------------------------------------- Pagefind

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves the site, with the Pagefind bundle at /pagefind/ and a blank page at /__eval.html. */
function servePagefind(bundle) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/__eval.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end('<!DOCTYPE html><title>eval</title>');
      return;
    }
    const file = path.startsWith('/pagefind/') ? join(bundle, path.slice('/pagefind/'.length)) : join(site, path);
    if (!file.startsWith(bundle) && !file.startsWith(site)) { res.writeHead(403).end(); return; }
    if (!existsSync(file) || statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

async function pagefindPage(context, origin) {
  const page = await context.newPage();
  const requests = trackRequests(page);
  await page.goto(origin + '/__eval.html');
  requests.bytes = 0; // count Pagefind's own files, not the blank host page
  await page.evaluate(async () => {
    window.pagefind = await import('/pagefind/pagefind.js');
    await window.pagefind.init();
  });
  return { page, requests };
}

/** One query through Pagefind's API: the top 10 URLs, and the milliseconds it took. */
function pagefindQuery(page, query) {
  return page.evaluate(async (q) => {
    const t0 = performance.now();
    const search = await window.pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    return { urls: data.map((d) => d.url), ms: performance.now() - t0 };
  }, query);
}

async function pagefindRun(browser, bundle, queries) {
  const server = await servePagefind(bundle);
  const out = { hits: [], bytes: [], times: [] };
  for (const q of queries) {
    const context = await browser.newContext();
    const { page, requests } = await pagefindPage(context, server.origin);
    const { urls } = await pagefindQuery(page, q.query);
    out.hits.push(urls.map((u) => normalise(u)));
    out.bytes.push(requests.bytes);
    await context.close();
  }
  const context = await browser.newContext();
  const { page } = await pagefindPage(context, server.origin);
  for (const q of queries) {
    for (let i = 1; i <= q.query.length; i++) out.times.push((await pagefindQuery(page, q.query.slice(0, i))).ms);
  }
  await context.close();
  server.close();
  return out;
}

// ---------------------------------------------------------------- scoring and report

function rank(hits, expected) {
  if (!Array.isArray(hits)) return Infinity;
  const i = hits.findIndex((h) => expected.includes(h));
  return i === -1 ? Infinity : i + 1;
}

function score(rows, engine) {
  const ranks = rows.map((row) => rank(row[engine], row.expected));
  return { top1: ranks.filter((r) => r <= 1).length, top5: ranks.filter((r) => r <= 5).length, ranks };
}

function kb(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${Math.round(bytes / 1e3)} KB`;
}

function report(rows, extra) {
  const n = rows.length;
  const lines = [];
  const names = { page: 'Casebook search page (file://)', cli: '`casebook search`', pagefind: 'Pagefind (article only, http://)' };
  lines.push(`${n} queries (${countBy(rows, (r) => r.kind)}); tags: ${countBy(rows.flatMap((r) => r.tags.map((t) => ({ t }))), (x) => x.t)}`);
  lines.push('');
  lines.push('| | top-1 | top-5 | bytes before results (median / max) | further query (median / max) | per keystroke p50 / p95 | from `file://` |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const engine of ['page', 'cli', 'pagefind'].filter((e) => engines.includes(e))) {
    const s = score(rows, engine);
    const e = extra[engine] || {};
    const bytes = e.bytes ? `${kb(percentile(e.bytes, 0.5))} / ${kb(Math.max(...e.bytes))}` : '–';
    const further = e.furtherBytes ? `${kb(percentile(e.furtherBytes, 0.5))} / ${kb(Math.max(...e.furtherBytes))}` : '–';
    const keys = e.times ? `${percentile(e.times, 0.5).toFixed(1)} / ${percentile(e.times, 0.95).toFixed(1)} ms` : '–';
    const disk = engine === 'page' ? 'yes' : engine === 'pagefind' ? '**no**' : '–';
    lines.push(`| ${names[engine]} | ${s.top1}/${n} | ${s.top5}/${n} | ${bytes} | ${further} | ${keys} | ${disk} |`);
  }
  if (engines.includes('cli') && engines.includes('page')) {
    const same10 = rows.filter((r) => JSON.stringify(r.cli) === JSON.stringify(r.page)).length;
    const same1 = rows.filter((r) => Array.isArray(r.cli) && r.cli[0] === r.page[0]).length;
    lines.push('');
    lines.push(`Page and CLI agree: same ordered top 10 for ${same10}/${n} queries, same top hit for ${same1}/${n}.`);
  }
  lines.push('');
  lines.push('By kind and tag, top-1 / top-5:');
  lines.push('');
  const groups = [...new Set(rows.map((r) => r.kind)), ...new Set(rows.flatMap((r) => r.tags))];
  const active = ['page', 'cli', 'pagefind'].filter((e) => engines.includes(e));
  lines.push(`| group | n | ${active.join(' | ')} |`);
  lines.push(`|---|---|${active.map(() => '---').join('|')}|`);
  for (const g of groups) {
    const sub = rows.filter((r) => r.kind === g || r.tags.includes(g));
    lines.push(`| ${g} | ${sub.length} | ${active.map((e) => { const s = score(sub, e); return `${s.top1} / ${s.top5}`; }).join(' | ')} |`);
  }
  lines.push('');
  lines.push('Misses (rank of the first right answer; – = not in the top 10):');
  lines.push('');
  lines.push(`| kind | query | ${active.join(' | ')} |`);
  lines.push(`|---|---|${active.map(() => '---').join('|')}|`);
  for (const r of rows) {
    const ranks = active.map((e) => rank(r[e], r.expected));
    if (ranks.some((x) => x > 1)) lines.push(`| ${r.kind} | ${r.query.replace(/\|/g, '\\|')} | ${ranks.map((x) => (x === Infinity ? '–' : x)).join(' | ')} |`);
  }
  if (extra.page?.unchanged !== undefined) {
    lines.push('');
    lines.push(`Keystrokes: ${extra.page.times.length} on the page (${extra.page.unchanged} changed nothing within ${KEY_WAIT_MS} ms; counted at their handler time)` +
      (extra.pagefind?.times ? `, ${extra.pagefind.times.length} through Pagefind (search + data() of the top 10).` : '.'));
  }
  return lines.join('\n');
}

function countBy(items, key) {
  const counts = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] || 0) + 1;
  return Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
}

// ---------------------------------------------------------------- main

const rows = queries.map((q) => ({ ...q }));
const extra = {};
if (engines.includes('cli')) {
  for (const row of rows) row.cli = cliSearch(row.query);
  const errors = rows.filter((r) => !Array.isArray(r.cli));
  if (errors.length) console.error(`cli: ${errors.length} queries failed, e.g. ${errors[0].query}: ${errors[0].cli.error}`);
}
if (engines.includes('page') || engines.includes('pagefind')) {
  const { chromium } = await loadPlaywright();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  if (engines.includes('page')) {
    const bytes = [];
    for (const row of rows) {
      const r = await pageSearch(browser, row.query);
      row.page = r.hits;
      row.pageStatus = r.status;
      bytes.push(r.bytes);
    }
    extra.page = { bytes, ...(await pageKeystrokes(browser, rows.map((r) => r.query))) };
  }
  if (engines.includes('pagefind')) {
    if (!args.pagefind) usage();
    const pf = await pagefindRun(browser, resolve(args.pagefind), rows);
    rows.forEach((row, i) => { row.pagefind = pf.hits[i]; });
    extra.pagefind = { bytes: pf.bytes, times: pf.times };
  }
  await browser.close();
}
console.log(report(rows, extra));
if (args.out) writeFileSync(args.out, JSON.stringify({ site, engines, rows, extra }, null, 1));
