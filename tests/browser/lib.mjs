// Shared helpers for the browser tests: build a site, serve it on 127.0.0.1, launch Chromium.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.CASEBOOK_BIN || join(REPO, 'target/debug/casebook');

/** Builds the site at `root` into a fresh temporary folder and returns that folder. */
export function buildSite(root = REPO, extraArgs = []) {
  // Into `public/` inside a fresh temporary folder, removed on exit with the staging folder and
  // manifest a build keeps beside its output for the next one: nothing is left behind.
  const dir = mkdtempSync(join(tmpdir(), 'casebook-browser-'));
  const out = join(dir, 'public');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync(BIN, ['build', '--quiet', '--root', root, '--output', out, ...extraArgs], { stdio: 'inherit' });
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml', '.txt': 'text/plain',
  '.json': 'application/json',
};

/** Serves `dir` on 127.0.0.1 (a random port); resolves to { url, close }. */
export function serve(dir) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = join(dir, path);
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] }).end(readFileSync(join(dir, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
  }));
}

/** The file:// URL of `relative` inside `dir`. */
export function fileUrl(dir, relative) {
  return pathToFileURL(join(dir, relative)).href;
}

/** Launches Debian's Chromium headless, with no network chatter. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A new page of `browser` that records failed requests, console errors, page errors and
 * CSP violations in `problems`. */
export async function watchedPage(browser, options = {}) {
  const page = await browser.newPage(options);
  const problems = [];
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { page, problems };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe-core's WCAG 2.2 A and AA violations on the loaded page, as readable lines. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const violations = await page.evaluate((tags) => window.axe
    .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)), WCAG);
  return violations;
}
