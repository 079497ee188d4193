// Writes docs/screenshots/<site>-<page type>-<width>.png for each page type of the sample
// library (and the branded fixture's home page), at 390 px and 1280 px wide.
// Run: cargo build && node tests/browser/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, serve, launch, REPO } from './lib.mjs';
import { SITES, pageTypes, httpPath } from './pages.mjs';

const WIDTHS = [390, 1280];
const DIR = join(REPO, 'docs/screenshots');

async function shoot(browser, server, pages, prefix) {
  for (const p of pages) {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 }, deviceScaleFactor: 1 });
      // The search page is shown answering a query, as readers see it.
      const query = p.type === 'search' ? '?q=care+homes+medicines' : '';
      await page.goto(server.url + httpPath(p) + query);
      if (query) await page.waitForSelector('#search-results li', { timeout: 5000 });
      const file = join(DIR, `${prefix}${p.type}-${width}.png`);
      await page.screenshot({ path: file, fullPage: false });
      console.log(`wrote ${file}`);
      await page.close();
    }
  }
}

mkdirSync(DIR, { recursive: true });
const browser = await launch();
try {
  for (const site of SITES.filter((s) => s.screenshots !== false)) {
    const out = buildSite(site.root);
    const server = await serve(out);
    const all = pageTypes(out);
    const pages = site.name === 'sample' ? all : all.filter((p) => ['home', 'resource'].includes(p.type));
    await shoot(browser, server, pages, site.name === 'sample' ? '' : 'branded-');
    if (site.name === 'sample') {
      const dark = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
      await dark.goto(server.url + all.find((p) => p.type === 'resource').path);
      await dark.screenshot({ path: join(DIR, 'resource-dark-1280.png') });
      await dark.close();
      const coverage = all.find((p) => p.type === 'coverage');
      if (coverage) {
        const narrow = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
        await narrow.goto(server.url + coverage.path);
        await narrow.screenshot({ path: join(DIR, 'coverage-dark-390.png') });
        await narrow.close();
      }
      await shootPaths(browser, server, [
        ['glossary-1280', 'glossary/index.html', 1280],
        ['callout-1280', 'toolkits/joint-huddle-starter-kit/index.html', 1280, '.callout'],
        ['contribute-1280', all.find((p) => p.type === 'resource').path, 1280, '#contribute-heading'],
      ]);
      const menu = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
      await menu.goto(server.url + 'index.html');
      await menu.getByRole('button', { name: 'Menu' }).click();
      await menu.screenshot({ path: join(DIR, 'home-menu-open-390.png') });
      await menu.close();
    }
    server.close();
  }
  // Both languages of a bilingual library (tests/sites/bilingual): English at the root, Welsh
  // under cy/, each page with its language switch.
  const bilingual = buildSite(join(REPO, 'tests/sites/bilingual'));
  const server = await serve(bilingual);
  await shootPaths(browser, server, [
    ['bilingual-en-resource-1280', 'case-studies/cardiff-care-homes/index.html', 1280],
    ['bilingual-cy-resource-1280', 'cy/case-studies/cardiff-care-homes/index.html', 1280],
    ['bilingual-cy-home-390', 'cy/index.html', 390],
    ['bilingual-cy-search-1280', 'cy/search/index.html?q=gymuned', 1280],
  ]);
  server.close();
} finally {
  await browser.close();
}

/** Shoots each [name, path (with its query), width, element to scroll to] of `server`'s site. */
async function shootPaths(browser, server, shots) {
  for (const [name, path, width, element] of shots) {
    const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 }, deviceScaleFactor: 1 });
    await page.goto(server.url + path);
    if (element) await page.locator(element).first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(DIR, `${name}.png`), fullPage: false });
    await page.close();
  }
}
