// The search page's drawing and messages, and search from every page, in headless Chromium.
// What the page draws from parts of the engine's contract the engine may not fill yet (dates,
// sub-results, a corrected query, browsing by filter alone) is checked against a tiny fake
// engine served in place of js/search-engine.js; the rest runs on the real engine.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, serve, fileUrl, launch, axeViolations, REPO } from './lib.mjs';

let site, server, browser;
before(async () => {
  site = buildSite(join(REPO, 'tests/sites/search'));
  server = await serve(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * A fake engine answering by the contract at `Engine.prototype.query`: "dashbord" is corrected
 * to "dashboard" (one hit with a date and a sub-result) unless asked `exact`; an empty text
 * with `type=toolkit` lists two resources. Every request is kept in `window.asked`.
 */
const FAKE_ENGINE = `(function () {
  var facets = [
    { key: 'type', name: 'Type', values: [['case-study', 'Case study'], ['toolkit', 'Toolkit']] },
    { key: 'enablers', name: 'Enablers', values: [['shared-data', 'Shared data'], ['citizen-voice', 'Citizen voice']] }];
  var dashboard = { url: 'case-studies/anticoagulation-dashboard/', title: 'An <anticoagulation> dashboard', type: 'case-study',
    typeName: 'Case study', date: '2024-03-01', excerpt: 'A shared <mark>dashboard</mark> for practices',
    sub: [{ url: 'case-studies/anticoagulation-dashboard/#what-we-built', title: 'What we built',
      excerpt: 'The <mark>dashboard</mark> shows each patient' },
    { url: 'case-studies/anticoagulation-dashboard/#background', title: 'Background',
      excerpt: 'A shared <mark>dashboard</mark> for practices' }] };
  var toolkits = [
    { url: 'toolkits/newer/', title: 'Newer toolkit', type: 'toolkit', typeName: 'Toolkit', date: '2025-01-02', excerpt: 'Newest first', sub: [] },
    { url: 'toolkits/older/', title: 'Older toolkit', type: 'toolkit', typeName: 'Toolkit', date: '2019', excerpt: 'Then older', sub: [] }];
  window.asked = [];
  function answer(r) {
    var text = (r.text || '').trim(), types = (r.filters && r.filters.type) || [];
    var none = { total: 0, hits: [], counts: { type: {}, enablers: {} }, facets: facets, corrected: null };
    if (text === 'dashbord' && !r.exact) {
      return { total: 1, hits: [dashboard], counts: { type: { 'case-study': 1 }, enablers: { 'shared-data': 1 } },
        facets: facets, corrected: { from: 'dashbord', to: 'dashboard' } };
    }
    if (text === '' && types.indexOf('toolkit') >= 0) {
      return { total: 2, hits: toolkits, counts: { type: { 'case-study': 3, toolkit: 2 }, enablers: { 'shared-data': 1 } },
        facets: facets, corrected: null };
    }
    return none;
  }
  var engine = { facets: facets, query: function (r) { window.asked.push(r); return Promise.resolve(answer(r)); } };
  window.CasebookSearch = { open: function () { return Promise.resolve(engine); } };
})();`;

/** A page whose js/search-engine.js is the fake engine. */
async function fakePage(query, options = {}) {
  const page = await browser.newPage(options);
  await page.route('**/js/search-engine.js', (route) => route.fulfill({ contentType: 'text/javascript', body: FAKE_ENGINE }));
  await page.goto(`${server.url}search/index.html${query}`);
  await page.waitForFunction(() => document.getElementById('search-status').dataset.total !== undefined);
  return page;
}

const status = (page) => page.locator('#search-status').textContent();

describe('drawing the engine\'s answer (fake engine)', () => {
  test('each hit is one li: its own link first, type and date, the excerpt, then its sub-results', async () => {
    const page = await fakePage('?q=dashbord');
    assert.equal(await page.locator('#search-results > li').count(), 1);
    const li = page.locator('#search-results > li').first();
    assert.equal(await li.getAttribute('data-url'), '/case-studies/anticoagulation-dashboard/');
    const children = await li.evaluate((el) => [...el.children].map((c) => `${c.tagName.toLowerCase()}.${c.className}`));
    assert.deepEqual(children, ['a.search-hit', 'p.search-meta', 'p.search-excerpt', 'div.search-sub', 'div.search-sub']);
    const links = await li.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.deepEqual(links, [
      ['../case-studies/anticoagulation-dashboard/index.html', 'An <anticoagulation> dashboard'],
      ['../case-studies/anticoagulation-dashboard/index.html#what-we-built', 'What we built'],
      ['../case-studies/anticoagulation-dashboard/index.html#background', 'Background'],
    ]);
    assert.equal(await li.locator('.search-type').textContent(), 'Case study');
    assert.equal(await li.locator('time').getAttribute('datetime'), '2024-03-01');
    assert.match(await li.locator('time').textContent(), /2024/);
    assert.equal(await li.locator('.search-excerpt').innerHTML(), 'A shared <mark>dashboard</mark> for practices');
    // A sub-result whose passage is the hit's own links its heading without repeating it.
    assert.deepEqual(await li.locator('.search-sub p').evaluateAll((ps) => ps.map((p) => p.innerHTML)),
      ['The <mark>dashboard</mark> shows each patient']);
    await page.close();
  });

  test('a corrected query says what was searched and offers the words as typed', async () => {
    const page = await fakePage('?q=dashbord');
    assert.equal(await status(page), '1 result for \u201cdashboard\u201d.');
    assert.equal(await page.locator('.search-corrected').textContent(), 'Showing results for dashboard. Search instead for dashbord');
    await page.getByRole('button', { name: 'Search instead for dashbord' }).click();
    await page.waitForFunction(() => document.getElementById('search-status').dataset.total === '0');
    const last = await page.evaluate(() => window.asked[window.asked.length - 1]);
    assert.equal(last.text, 'dashbord');
    assert.equal(last.exact, true);
    assert.equal(await status(page), 'No results for \u201cdashbord\u201d.');
    assert.equal(await page.locator('.search-corrected').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
    // Typing again searches with the typo fallback once more.
    await page.locator('#search-q').press('End');
    await page.keyboard.type(' ');
    await page.waitForFunction(() => window.asked[window.asked.length - 1].exact === false);
    await page.close();
  });

  test('an empty query with a filter lists every matching resource, newest first', async () => {
    const page = await fakePage('?type=toolkit');
    assert.equal(await status(page), '2 resources match these filters, newest first.');
    assert.doesNotMatch(await status(page), /Type to search/);
    const urls = await page.locator('#search-results > li').evaluateAll((lis) => lis.map((li) => li.dataset.url));
    assert.deepEqual(urls, ['/toolkits/newer/', '/toolkits/older/']);
    assert.equal(await page.locator('#search-results time').nth(1).getAttribute('datetime'), '2019');
    assert.equal(await page.locator('#search-filters summary').textContent(), 'Filters (1 selected)');
    await page.close();
  });

  test('with nothing asked the page invites typing or browsing, with every option tickable', async () => {
    const page = await fakePage('');
    assert.equal(await status(page), 'Type to search, or choose filters to browse.');
    const boxes = page.locator('#search-facets input[type="checkbox"]');
    assert.equal(await boxes.count(), 4);
    for (const disabled of await boxes.evaluateAll((bs) => bs.map((b) => b.disabled))) assert.equal(disabled, false);
    assert.ok(await page.locator('#search-clear').isHidden());
    await page.getByRole('checkbox', { name: /Toolkit/ }).check();
    await page.waitForFunction(() => document.getElementById('search-status').dataset.total === '2');
    assert.ok(await page.getByRole('button', { name: 'Clear filters' }).isVisible());
    await page.close();
  });
});

describe('messages and filters (real engine)', () => {
  test('no results says so, with tips and a Clear filters control when filters are on', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}search/index.html?q=qwxyzzy&type=toolkit`);
    await page.waitForFunction(() => document.getElementById('search-status').dataset.total === '0');
    assert.equal(await status(page), 'No results for \u201cqwxyzzy\u201d.');
    const tips = await page.locator('.search-tips li').allTextContents();
    assert.equal(tips.length, 3);
    assert.match(tips[0], /spelling/);
    assert.match(tips[1], /fewer words/);
    await page.locator('.search-tips').getByRole('button', { name: 'clear all filters' }).click();
    await page.waitForFunction(() => !window.location.search.includes('type='));
    assert.equal(await page.getByRole('checkbox', { name: /Toolkit/ }).isChecked(), false);
    assert.equal(await page.locator('.search-tips li').count(), 2, 'no filter tip once the filters are off');
    await page.close();
  });

  test('an option with no hits stays in place with count 0, untickable unless ticked', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}search/index.html?q=care`);
    await page.waitForFunction(() => document.getElementById('search-status').dataset.total !== undefined);
    const boxes = page.locator('#search-facets input[type="checkbox"]');
    const all = await boxes.count();
    await page.locator('#search-q').fill('inhaler');
    await page.waitForFunction(() => /inhaler/.test(document.getElementById('search-status').textContent));
    assert.equal(await boxes.count(), all, 'every option stays');
    const empty = page.locator('#search-facets label.search-option-empty');
    assert.ok(await empty.count() > 0, 'some option has no hits for "inhaler"');
    assert.match(await empty.first().textContent(), /\(0\)/);
    assert.ok(await empty.first().locator('input').isDisabled());
    // Ticked from the address, an empty option can still be unticked.
    const slug = await empty.first().locator('input').getAttribute('value');
    const key = await empty.first().locator('input').getAttribute('name');
    await page.goto(`${server.url}search/index.html?q=inhaler&${key}=${slug}`);
    await page.waitForFunction(() => document.getElementById('search-status').dataset.total !== undefined);
    const ticked = page.locator(`#search-facets input[name="${key}"][value="${slug}"]`);
    assert.ok(await ticked.isChecked());
    assert.ok(await ticked.isEnabled());
    await ticked.uncheck();
    await page.waitForFunction((s) => !window.location.search.includes(s), `=${slug}`);
    await page.close();
  });
});

describe('the address', () => {
  test('typing writes the query into the address once the reader pauses, or at once on reaching for a result', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}search/index.html`);
    await page.waitForFunction(() => document.getElementById('search-status').dataset.query === '');
    await page.locator('#search-q').pressSequentially('care');
    await page.waitForFunction(() => document.getElementById('search-status').dataset.query === 'care');
    assert.equal(await page.evaluate(() => window.location.search), '', 'not a write per keystroke');
    await page.waitForFunction(() => window.location.search === '?q=care');
    // Typing on, then pressing a result before the pause: the address holds what was typed.
    const search = await page.evaluate(async () => {
      const input = document.getElementById('search-q'), status = document.getElementById('search-status');
      input.value = 'care homes';
      input.dispatchEvent(new Event('input'));
      while (status.dataset.query !== 'care homes') await new Promise((r) => setTimeout(r, 5));
      const before = window.location.search;
      document.querySelector('#search-results a').dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      return [before, window.location.search];
    });
    assert.deepEqual(search, ['?q=care', '?q=care+homes']);
    await page.close();
  });
});

describe('search from every page', () => {
  for (const [how, url] of [['http', (p) => server.url + p], ['file', (p) => fileUrl(site, p)]]) {
    test(`the header's box searches from a resource page and the search page focuses its box (${how})`, async () => {
      const page = await browser.newPage();
      await page.goto(url('toolkits/deprescribing-care-homes/index.html'));
      await page.getByRole('search').getByLabel('Search the library').fill('deprescribing');
      await page.keyboard.press('Enter');
      await page.waitForURL(/search\/index\.html\?q=deprescribing$/);
      await page.waitForFunction(() => Number(document.getElementById('search-status').dataset.total) > 0);
      assert.equal(await page.locator('#search-q').inputValue(), 'deprescribing');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
      assert.equal(await page.locator('.site-search').count(), 0, 'one search box on the search page');
      assert.equal(await page.locator('#search-results > li').first().getAttribute('data-url'), '/toolkits/deprescribing-care-homes/');
      await page.close();
    });
  }

  test('"/" focuses the search box, but types a slash where the reader is already typing', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}index.html`);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search-q');
    await page.keyboard.type('a/b');
    assert.equal(await page.locator('#site-search-q').inputValue(), 'a/b');
    await page.goto(`${server.url}search/index.html?q=care`);
    await page.locator('#search-results a').first().focus();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
    await page.close();
  });

  test('at 390 px the results come before the filters, which are folded; at 1280 px beside them, open', async () => {
    for (const [width, open] of [[390, false], [1280, true]]) {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
      await page.goto(`${server.url}search/index.html?q=care`);
      await page.waitForSelector('#search-results li');
      const box = (sel) => page.locator(sel).boundingBox();
      const [results, filters] = [await box('#search-results'), await box('#search-filters')];
      assert.equal(await page.locator('#search-filters').evaluate((d) => d.open), open, `${width}px`);
      if (width === 390) assert.ok(filters.y > results.y, 'filters under the results');
      else assert.ok(filters.x > results.x && Math.abs(filters.y - results.y) < 200, 'filters beside the results');
      assert.equal(await page.locator('#search-facets input').first().isVisible(), open);
      await page.close();
    }
  });
});

test('zero axe-core violations with results, sub-results, a correction, tips, filters and "Show more results" drawn', async () => {
  const failures = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [390, 1280]) {
      const options = { colorScheme, viewport: { width, height: 844 } };
      const states = [['?q=dashbord', await fakePage('?q=dashbord', options)], ['?type=toolkit', await fakePage('?type=toolkit', options)]];
      const real = await browser.newPage(options);
      await real.goto(`${server.url}search/index.html?q=qwxyzzy&type=toolkit`);
      await real.waitForSelector('.search-tips');
      states.push(['no results', real]);
      const more = await browser.newPage(options);
      await more.goto(`${server.url}search/index.html?q=the`);
      await more.waitForFunction(() => document.getElementById('search-status').dataset.query === 'the');
      assert.ok(await more.locator('#search-more').isVisible(), '"Show more results" is drawn');
      states.push(['more results', more]);
      for (const [name, page] of states) {
        await page.locator('#search-filters').evaluate((d) => { d.open = true; });
        const v = await axeViolations(page);
        if (v.length) failures.push(`${name} (${colorScheme}, ${width}px):\n  ${v.join('\n  ')}`);
        await page.close();
      }
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
