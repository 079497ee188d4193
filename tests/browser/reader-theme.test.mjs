// The reader pages of issue #12 in Chromium: the phone menu (at 390 px the "Menu" button folds
// the navigation and says so with aria-expanded, Escape closes it and returns focus; without
// JavaScript there is no button and every link shows; on a wide screen no button), and zero
// axe-core WCAG 2.2 A/AA violations, light and dark, plus valid HTML, on the pages this work
// changed — home (entry points, search box), a resource and listing with the contribute box,
// a toolkit without it, and the 404 page — of the sample library and tests/sites/reader.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HtmlValidate } from 'html-validate';
import { buildSite, serve, launch, axeViolations, REPO } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PHONE = { width: 390, height: 844 };

const SITES = [
  {
    name: 'reader fixture',
    root: join(REPO, 'tests/sites/reader'),
    pages: ['index.html', 'case-studies/shared-pharmacy-rota/index.html', 'case-studies/index.html',
      'toolkits/huddle-kit/index.html', 'no/such/page/'],
  },
  {
    name: 'sample',
    root: REPO,
    pages: ['index.html', 'case-studies/anticoagulation-dashboard/index.html', 'case-studies/index.html',
      'audiences/index.html', 'no/such/page/'],
  },
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The navigation's state: the button's visibility and aria-expanded, how many links show. */
async function menuState(page) {
  return page.evaluate(() => {
    const button = document.querySelector('.nav-toggle');
    const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const links = [...document.querySelectorAll('#site-nav-list a')];
    return {
      button: shown(button),
      expanded: button.getAttribute('aria-expanded'),
      linksShown: links.filter(shown).length,
      links: links.length,
    };
  });
}

for (const site of SITES) {
  describe(site.name, () => {
    let out, server;
    before(async () => {
      out = buildSite(site.root);
      server = await serve(out);
    });
    after(() => server?.close());

    test('at 390 px the menu button folds the navigation, says so, and Escape closes it', async () => {
      const page = await browser.newPage({ viewport: PHONE });
      await page.goto(server.url + site.pages[1]);
      const closed = await menuState(page);
      assert.equal(closed.button, true, 'the button shows');
      assert.equal(closed.expanded, 'false');
      assert.equal(closed.linksShown, 0, 'the list is folded');
      const button = page.locator('.nav-toggle');
      assert.equal(await button.getAttribute('aria-controls'), 'site-nav-list');
      await button.click();
      const open = await menuState(page);
      assert.equal(open.expanded, 'true');
      assert.equal(open.linksShown, open.links, 'every link shows once open');
      // Into the list, then Escape: closed, and focus back on the button.
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement.closest('#site-nav-list') !== null));
      await page.keyboard.press('Escape');
      assert.equal((await menuState(page)).expanded, 'false');
      assert.ok(await page.evaluate(() => document.activeElement.classList.contains('nav-toggle')));
      // The button toggles back shut as well.
      await button.click();
      await button.click();
      assert.equal((await menuState(page)).linksShown, 0);
      await page.close();
    });

    test('without JavaScript at 390 px there is no button and every link shows', async () => {
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(server.url + site.pages[0]);
      const state = await menuState(page);
      assert.equal(state.button, false);
      assert.equal(state.linksShown, state.links);
      await context.close();
    });

    test('on a wide screen there is no button and every link shows', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url + site.pages[0]);
      const state = await menuState(page);
      assert.equal(state.button, false);
      assert.equal(state.linksShown, state.links);
      await page.close();
    });

    for (const scheme of ['light', 'dark']) {
      test(`zero axe-core WCAG 2.2 A/AA violations on the changed pages, menu open and shut (${scheme})`, async () => {
        const failures = [];
        for (const path of site.pages) {
          for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
            const page = await browser.newPage({ colorScheme: scheme, viewport });
            await page.goto(server.url + path);
            if (viewport === PHONE) await page.locator('.nav-toggle').click();
            const v = await axeViolations(page);
            if (v.length) failures.push(`${path} at ${viewport.width} px:\n  ${v.join('\n  ')}`);
            await page.close();
          }
        }
        assert.deepEqual(failures, [], failures.join('\n'));
      });
    }

    test('the changed pages are valid HTML (html-validate)', async () => {
      const text = readFileSync(join(HERE, '.htmlvalidate.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
      const validator = new HtmlValidate(JSON.parse(text));
      const failures = [];
      for (const path of site.pages) {
        const file = path.endsWith('.html') ? path : '404.html';
        const report = await validator.validateString(readFileSync(join(out, file), 'utf8'), file);
        for (const r of report.results) {
          for (const m of r.messages) failures.push(`${file}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`);
        }
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });

    test('the 404 page searches the library and links every section from a deep address', async () => {
      const page = await browser.newPage();
      const response = await page.goto(server.url + 'no/such/page/');
      assert.equal(response.status(), 404);
      await page.fill('.search-box input[name="q"]', 'pharmacy');
      await Promise.all([page.waitForURL(/search\/index\.html\?q=pharmacy/), page.click('.search-box button')]);
      await page.goto(server.url + 'no/such/page/');
      const hrefs = await page.locator('nav[aria-labelledby="not-found-sections"] a').evaluateAll((as) => as.map((a) => a.href));
      assert.ok(hrefs.length >= 3, hrefs.join(' '));
      for (const href of hrefs) {
        const reply = await page.request.get(href);
        assert.equal(reply.status(), 200, href);
      }
      await page.close();
    });
  });
}
