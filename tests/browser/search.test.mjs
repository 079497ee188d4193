// The search page in headless Chromium, over http:// and from disk (file://): typed queries
// show the same top hit as `casebook search`, facets filter with counts, ?q= is read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, serve, fileUrl, launch, REPO } from './lib.mjs';
import { cli } from './search-lib.mjs';

const QUERIES = ['deprescribing', 'collaborating', 'café', 'dashbord', 'huddles', 'inhaler', 'care homes medicines', '"care homes" audit'];

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

const topUrl = (page) => page.locator('#search-results li').first().getAttribute('data-url');

async function typeQuery(page, text) {
  const box = page.getByLabel('Search the library');
  await box.fill('');
  await box.pressSequentially(text, { delay: 5 });
  // The results shown are for the whole text, not a prefix of it still being answered.
  await page.waitForFunction((t) => document.getElementById('search-status').dataset.query === t, text);
}

for (const [how, url] of [['http', () => `${server.url}search/index.html`], ['file', () => fileUrl(site, 'search/index.html')]]) {
  test(`typing shows the CLI's top hit (${how})`, async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url());
    for (const q of QUERIES) {
      await typeQuery(page, q);
      const expected = cli(site, q);
      assert.equal(await topUrl(page), expected.hits[0].url, `top hit for ${q}`);
      assert.equal(await page.locator('#search-status').getAttribute('data-total'), String(expected.total), `total for ${q}`);
    }
    assert.match(await page.locator('#search-results li').first().innerHTML(), /<mark>/);
    await page.locator('#search-results li a').first().click();
    await page.waitForLoadState();
    assert.match(await page.locator('h1').textContent(), /Running shared respiratory clinics|care homes/i);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`a facet filters the results and shows counts (${how})`, async () => {
    const page = await browser.newPage();
    await page.goto(url());
    await typeQuery(page, 'care');
    const all = Number(await page.locator('#search-status').getAttribute('data-total'));
    const toolkit = page.getByRole('checkbox', { name: /Toolkit/ });
    const label = await page.locator('label', { has: toolkit }).textContent();
    const shown = Number(label.match(/\((\d+)\)/)[1]);
    await toolkit.check();
    await page.waitForFunction((n) => document.getElementById('search-status').dataset.total === String(n), shown);
    const expected = cli(site, 'care', { type: ['toolkit'] });
    assert.equal(expected.total, shown);
    assert.ok(shown < all, `${shown} of ${all}`);
    assert.equal(await page.locator('#search-results li').count(), shown);
    assert.equal(await topUrl(page), expected.hits[0].url);
    assert.match(page.url(), /type=toolkit/);
    await page.close();
  });

  test(`?q= and facet parameters in the address are searched at once (${how})`, async () => {
    const page = await browser.newPage();
    await page.goto(`${url()}?q=medicines&type=report`);
    assert.equal(await page.getByLabel('Search the library').inputValue(), 'medicines');
    const expected = cli(site, 'medicines', { type: ['report'] });
    await page.waitForFunction(() => document.getElementById('search-status').dataset.total !== undefined);
    assert.equal(await page.locator('#search-status').getAttribute('data-total'), String(expected.total));
    assert.equal(await topUrl(page), expected.hits[0].url);
    assert.ok(await page.getByRole('checkbox', { name: /Report/ }).isChecked());
    await page.keyboard.press('Tab');
    await page.getByLabel('Search the library').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.closest('li')?.dataset.url), expected.hits[0].url);
    await page.close();
  });
}

// A query shows its first ten results, as the CLI ranks them; "Show more results" adds the next
// ten each time, moves the focus to the first it added and goes once all are shown; a new query
// starts again at ten. (Each hit shown loads what it shows: fifty at once cost a third of the
// bytes before the first results at 10,000 resources.)
test('results come ten at a time, "Show more results" adding the next ten', async () => {
  const sample = buildSite(REPO);
  const expected = cli(sample, 'care', {}, 30).hits.map((h) => h.url);
  assert.ok(expected.length > 20 && expected.length < 30, `${expected.length} hits for care`);
  const page = await browser.newPage();
  await page.goto(fileUrl(sample, 'search/index.html') + '?q=care');
  await page.waitForFunction(() => document.getElementById('search-status').dataset.query === 'care');
  const shown = () => page.locator('#search-results > li').evaluateAll((lis) => lis.map((li) => li.dataset.url));
  const more = page.getByRole('button', { name: 'Show more results' });
  assert.deepEqual(await shown(), expected.slice(0, 10));
  for (const [count, added] of [[20, 10], [expected.length, 20]]) {
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length === n, count);
    assert.deepEqual(await shown(), expected.slice(0, count));
    assert.equal(await page.evaluate(() => document.activeElement.closest('li')?.dataset.url), expected[added]);
  }
  assert.equal(await more.isVisible(), false, 'no more to show');
  await page.locator('#search-q').fill('medicines');
  await page.waitForFunction(() => document.getElementById('search-status').dataset.query === 'medicines');
  assert.deepEqual(await shown(), cli(sample, 'medicines').hits.map((h) => h.url));
  assert.equal(await more.isVisible(), cli(sample, 'medicines', {}, 11).hits.length > 10);
  await page.close();
});
