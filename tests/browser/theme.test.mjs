// The default theme in Chromium: on every page type of the sample library and of a branded
// fixture site — zero axe-core WCAG 2.2 A/AA violations (light and dark), valid HTML, working
// keyboard navigation with visible focus, rendering from file:// under the CSP, no overflow at
// 320 px, a print stylesheet, and the branding from theme_options.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HtmlValidate } from 'html-validate';
import { buildSite, serve, fileUrl, launch, axeViolations, watchedPage } from './lib.mjs';
import { SITES, pageTypes, httpPath } from './pages.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const FOCUS_YELLOW = 'rgb(255, 221, 0)';
/** An href to the search page (and not, say, to research/index.html). */
const SEARCH_HREF = /(^|\/)search\/index\.html$/;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Tabs up to `max` times until `match(info)` holds for the focused element; returns the info seen. */
async function tabUntil(page, match, max = 80) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '', role: el.getAttribute('role') || '',
        text: (el.textContent || '').trim(), href: el.getAttribute('href') || '', id: el.id,
        background: style.backgroundColor, outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
        inMain: !!el.closest('main'),
      };
    });
    seen.push(info);
    if (match(info)) return { found: info, seen };
  }
  return { found: null, seen };
}

/**
 * The search page focuses its box on arrival (readers come to type); the keyboard checks then
 * start from the top of the page, as on every other page.
 */
async function startFromTop(page, p) {
  if (p.type !== 'search') return;
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q', 'the search page focuses its box');
  // Focus the body for a moment: the next Tab starts from the top of the document.
  await page.evaluate(() => { document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); });
}

function htmlFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) return htmlFiles(dir, rel);
    return e.name.endsWith('.html') ? [rel] : [];
  });
}

for (const site of SITES) {
  describe(`${site.name} site`, () => {
    let out, server, pages;
    before(async () => {
      out = buildSite(site.root);
      server = await serve(out);
      pages = pageTypes(out);
      console.log(`# ${site.name}: page types found: ${pages.map((p) => `${p.type} (${p.path})`).join(', ')}`);
    });
    after(() => server?.close());

    test('has every page type the theme must cover', () => {
      const types = pages.map((p) => p.type);
      for (const t of ['home', 'section', 'resource', 'taxonomy', 'term', '404']) assert.ok(types.includes(t), `missing ${t}`);
    });

    for (const scheme of ['light', 'dark']) {
      test(`zero axe-core WCAG 2.2 A/AA violations on every page type (${scheme})`, async () => {
        const failures = [];
        for (const p of pages) {
          const { page } = await watchedPage(browser, { colorScheme: scheme });
          await page.goto(server.url + httpPath(p));
          const v = await axeViolations(page);
          if (v.length) failures.push(`${p.type} (${p.path}):\n  ${v.join('\n  ')}`);
          await page.close();
        }
        assert.deepEqual(failures, [], failures.join('\n'));
      });
    }

    test('every HTML page is valid (html-validate)', async () => {
      // The config is JSON with // comments (html-validate's own loader accepts them).
      const text = readFileSync(join(HERE, '.htmlvalidate.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
      const validator = new HtmlValidate(JSON.parse(text));
      const failures = [];
      for (const file of htmlFiles(out)) {
        const report = await validator.validateString(readFileSync(join(out, file), 'utf8'), file);
        for (const r of report.results) {
          for (const m of r.messages) failures.push(`${file}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`);
        }
      }
      assert.deepEqual(failures, [], failures.slice(0, 30).join('\n'));
    });

    test('every page type renders from file:// with its styles, under the CSP, with working links', async () => {
      for (const p of pages) {
        const { page, problems } = await watchedPage(browser);
        await page.goto(fileUrl(out, p.path));
        await page.waitForLoadState('load');
        assert.ok(await page.locator('h1').first().isVisible(), `${p.type}: no visible h1`);
        if (p.type === '404') {
          // Servers show 404.html at any depth, so its links start at the site's path: see the http test.
          await page.close();
          continue;
        }
        const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
        assert.notEqual(styled, 'rgba(0, 0, 0, 0)', `${p.type}: site.css not applied from file://`);
        const broken = await page.evaluate(() => [...document.querySelectorAll('a[href], link[href], img[src], script[src]')]
          .map((e) => e.href || e.src).filter((u) => u.startsWith('file:')).map((u) => u.split('#')[0].split('?')[0]));
        for (const u of new Set(broken)) assert.ok(existsSync(fileURLToPath(u)), `${p.type}: link to missing ${u}`);
        assert.deepEqual(problems, [], `${p.type} from file://:\n${problems.join('\n')}`);
        await page.close();
      }
    });

    test('the 404 page is styled and links home from a deep missing address over http', async () => {
      const { page, problems } = await watchedPage(browser);
      const response = await page.goto(`${server.url}no/such/page/here/`);
      assert.equal(response.status(), 404);
      assert.equal(await page.locator('h1').textContent(), 'Page not found');
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor), 'rgba(0, 0, 0, 0)');
      assert.deepEqual(problems.filter((m) => !m.includes('404')), []);
      await page.getByRole('link', { name: 'go to the home page' }).click();
      assert.equal(new URL(page.url()).pathname, '/index.html');
      await page.close();
    });

    test('keyboard: skip link first, then every main navigation link, with a visible yellow focus', async () => {
      for (const p of pages) {
        const page = await browser.newPage();
        await page.goto(server.url + httpPath(p));
        await startFromTop(page, p);
        const nav = await page.locator('nav[aria-label="Main"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(nav.length >= 2, `${p.type}: a main navigation`);
        const { found: skip } = await tabUntil(page, () => true, 1);
        assert.equal(skip.text, 'Skip to main content', `${p.type}: first Tab reaches the skip link`);
        assert.equal(skip.background, FOCUS_YELLOW, `${p.type}: skip link focus is visible`);
        const { seen } = await tabUntil(page, (i) => i.href === nav[nav.length - 1], 40);
        const reached = seen.map((i) => i.href);
        for (const href of nav) assert.ok(reached.includes(href), `${p.type}: Tab reaches ${href}`);
        for (const i of seen.filter((i) => i.tag === 'a')) assert.equal(i.background, FOCUS_YELLOW, `${p.type}: focus visible on ${i.href}`);
        // The skip link moves focus to <main>, and the next Tab lands inside it.
        await page.goto(server.url + httpPath(p));
        await startFromTop(page, p);
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'main', `${p.type}: skip link focuses main`);
        const next = await tabUntil(page, () => true, 1);
        assert.ok(next.found.inMain, `${p.type}: Tab after skipping stays in main`);
        await page.close();
      }
    });

    test('keyboard: the search box and its results, when the site has a search page', async (t) => {
      const search = pages.find((p) => p.type === 'search');
      const page = await browser.newPage();
      await page.goto(server.url);
      if (!search) {
        t.diagnostic('no search/index.html in this build: checking that nothing links to one');
        const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(hrefs.filter((h) => SEARCH_HREF.test(h)), [], 'links to a search page the build does not have');
        await page.close();
        return;
      }
      const { found: link } = await tabUntil(page, (i) => i.tag === 'a' && SEARCH_HREF.test(i.href), 60);
      assert.ok(link, 'Tab reaches a Search link in the header');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => SEARCH_HREF.test(u.pathname));
      // The search page focuses its box on arrival.
      await page.waitForFunction(() => document.activeElement.matches('input[type="search"], [role="searchbox"]'));
      await page.keyboard.type('practices'); // a word both built sites use
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      await page.waitForTimeout(500);
      const isResult = (i) => i.tag === 'a' && i.inMain && /^(\.\.\/)*[^/]+\/[^/]+\/index\.html$/.test(i.href);
      const { found: result } = await tabUntil(page, isResult, 150);
      assert.ok(result, 'Tab reaches a search result link');
      await page.close();
    });

    test('no horizontal scrolling at 320 px on any page type', async () => {
      for (const p of pages) {
        const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
        await page.goto(server.url + httpPath(p));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `${p.type}: page is ${width}px wide at 320px`);
        await page.close();
      }
    });

    test('print hides the navigation and breadcrumbs and prints black on white', async () => {
      const resource = pages.find((p) => p.type === 'resource');
      const page = await browser.newPage();
      await page.goto(server.url + resource.path);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('nav[aria-label="Main"]').isVisible(), false);
      assert.equal(await page.locator('.breadcrumbs').isVisible(), false);
      assert.equal(await page.locator('.skip-link').isVisible(), false);
      const colours = await page.evaluate(() => [document.body, document.querySelector('.site-header')]
        .map((e) => getComputedStyle(e)).map((c) => [c.color, c.backgroundColor]));
      assert.deepEqual(colours, [['rgb(0, 0, 0)', 'rgb(255, 255, 255)'], ['rgb(0, 0, 0)', 'rgba(0, 0, 0, 0)']]);
      await page.close();
    });

    test('at 390 px the coverage table keeps its first column in view and wraps its caption', async (t) => {
      const coverage = pages.find((p) => p.type === 'coverage');
      if (!coverage) return t.skip('no coverage page');
      for (const scheme of ['light', 'dark']) {
        const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: scheme });
        await page.goto(server.url + coverage.path);
        const caption = await page.locator('.coverage caption').boundingBox();
        assert.ok(caption.x >= 0 && caption.x + caption.width <= 390, `caption inside the screen: ${JSON.stringify(caption)}`);
        const scrolled = await page.locator('.coverage-scroll').evaluate((s) => { s.scrollLeft = s.scrollWidth; return s.scrollLeft; });
        if (site.name === 'sample') assert.ok(scrolled > 0, 'the sample library\'s table is wider than the screen');
        const first = await page.locator('.coverage tbody th').first().boundingBox();
        assert.ok(first.x >= 0 && first.x < 40, `first column still in view after scrolling: ${JSON.stringify(first)}`);
        await page.close();
      }
    });
  });
}

describe('branding through theme_options', () => {
  let out, server;
  before(async () => {
    out = buildSite(join(SITES[1].root));
    server = await serve(out);
  });
  after(() => server?.close());

  test('the logo, the primary colour and the footer links show, in light and dark mode', async () => {
    for (const scheme of ['light', 'dark']) {
      const page = await browser.newPage({ colorScheme: scheme });
      await page.goto(`${server.url}case-studies/index.html`);
      const logo = page.locator('.site-title img');
      assert.equal(await logo.getAttribute('src'), '../images/logo.svg');
      assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'logo loads');
      const header = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
      assert.equal(header, scheme === 'light' ? 'rgb(138, 21, 56)' : 'rgb(90, 14, 36)');
      const footer = page.getByRole('navigation', { name: 'Footer' }).getByRole('link');
      assert.deepEqual(await footer.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), [
        '../case-studies/index.html', 'https://academy.example.org/accessibility', 'mailto:library@academy.example.org',
      ]);
      await page.close();
    }
  });

  test('print writes internal links as absolute URLs from base_url, and the page address in the footer', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}case-studies/riverside-hub/index.html`);
    await page.emulateMedia({ media: 'print' });
    const after = await page.locator('.prose a[data-path]').first().evaluate((a) => getComputedStyle(a, '::after').content);
    assert.equal(after, '" (https://academy.example.org/toolkits/callback-audit/)"');
    const footer = page.locator('.site-footer .print-only');
    assert.ok(await footer.isVisible(), 'the page address prints');
    assert.match(await footer.textContent(), /^https:\/\/academy\.example\.org\/case-studies\/riverside-hub\/ · Published 12 March 2024 · Last updated 1 September 2024$/);
    const width = await page.evaluate(() => [document.querySelector('.prose').getBoundingClientRect().width, document.querySelector('main').getBoundingClientRect().width]);
    assert.ok(width[0] >= width[1] - 1, `the body is full width in print: ${width}`);
    await page.close();
  });

  test('print writes out the address of an external link', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}toolkits/callback-audit/index.html`);
    await page.emulateMedia({ media: 'print' });
    const after = await page.locator('main a[href^="http"]').first().evaluate((a) => getComputedStyle(a, '::after').content);
    assert.match(after, /academy\.example\.org\/toolkits\/callback-audit\.pdf/);
    await page.close();
  });
});
