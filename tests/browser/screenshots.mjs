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
    }
    server.close();
  }
} finally {
  await browser.close();
}
