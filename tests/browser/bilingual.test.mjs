// A bilingual site (tests/sites/bilingual: English and Welsh) in headless Chromium, from disk
// (file://): the language switch leads between a page and its translation (or the other
// language's home), every page says its language and links its versions with hreflang, a
// Welsh page has no axe-core WCAG 2.2 A/AA violation, and the Welsh search page searches the
// Welsh index, finding accented and mutated forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, fileUrl, launch, axeViolations, REPO } from './lib.mjs';

let site, browser;
before(async () => {
  site = buildSite(join(REPO, 'tests/sites/bilingual'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function open(path) {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(fileUrl(site, path));
  return page;
}

const lang = (page) => page.locator('html').getAttribute('lang');

test('the language switch leads from a page to its translation and back (file://)', async () => {
  const page = await open('case-studies/community-pharmacy-network/index.html');
  assert.equal(await lang(page), 'en-GB');
  await page.locator('.language-switch a[hreflang="cy"]').click();
  await page.waitForLoadState();
  assert.match(page.url(), /\/cy\/case-studies\/community-pharmacy-network\/index\.html$/);
  assert.equal(await lang(page), 'cy');
  assert.equal(await page.locator('h1').textContent(), 'Rhwydwaith fferylliaeth gymunedol yng Ngwynedd');
  const english = page.locator('.language-switch a');
  assert.equal(await english.textContent(), 'English');
  assert.equal(await english.getAttribute('lang'), 'en-GB');
  await english.click();
  await page.waitForLoadState();
  assert.match(page.url(), /\/case-studies\/community-pharmacy-network\/index\.html$/);
  assert.doesNotMatch(page.url(), /\/cy\//);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a page without a translation switches to the other language\'s home (file://)', async () => {
  const page = await open('reports/annual-review/index.html');
  await page.locator('.language-switch a', { hasText: 'Cymraeg' }).click();
  await page.waitForLoadState();
  assert.match(page.url(), /\/cy\/index\.html$/);
  assert.equal(await lang(page), 'cy');
  await page.close();
});

test('every translated page links its versions with hreflang, absolute from base_url', async () => {
  const page = await open('cy/toolkits/shared-rota/index.html');
  const links = await page.locator('link[rel="alternate"][hreflang]').evaluateAll((ls) =>
    ls.map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')]));
  assert.deepEqual(links, [
    ['en-GB', 'https://library.example.org/toolkits/shared-rota/'],
    ['cy', 'https://library.example.org/cy/toolkits/shared-rota/'],
    ['x-default', 'https://library.example.org/toolkits/shared-rota/'],
  ]);
  // The shared download works from the Welsh page too.
  const href = await page.locator('.downloads a').getAttribute('href');
  assert.equal(href, '../../../toolkits/shared-rota/rota.csv');
  await page.close();
});

for (const path of ['cy/index.html', 'cy/case-studies/community-pharmacy-network/index.html', 'cy/enablers/coverage/index.html']) {
  test(`zero axe-core violations on a Welsh page: ${path}`, async () => {
    const page = await open(path);
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });
}

async function search(page, text) {
  const box = page.locator('#search-q');
  await box.fill('');
  await box.pressSequentially(text, { delay: 5 });
  // The answer to the whole text, not to a prefix typed before it (data-query says which).
  await page.waitForFunction((t) => document.getElementById('search-status').dataset.query === t.trim(), text);
  return page.locator('#search-results li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-url')));
}

test('the Welsh search page searches the Welsh index, accents folded (file://)', async () => {
  const page = await open('cy/search/index.html');
  assert.equal(await lang(page), 'cy');
  assert.deepEqual(await search(page, 'dwr '), ['/guides/listening-to-patients/'], 'dwr finds dŵr');
  assert.deepEqual(await search(page, 'weekend '), [], 'English words are not in the Welsh index');
  assert.deepEqual(await search(page, 'fferyllwyr'),
    ['/research/trust-between-practices/', '/case-studies/cardiff-care-homes/'], 'the CLI\'s hits (casebook search --lang cy)');
  await page.locator('#search-results li a').first().click();
  await page.waitForLoadState();
  assert.match(page.url(), /\/cy\/(research|case-studies)\/[a-z-]+\/index\.html$/, 'a hit opens the Welsh page');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the Welsh search finds a soft-mutated form: gymuned finds cymuned (file://)', async () => {
  const page = await open('cy/search/index.html');
  const urls = await search(page, 'gymuned ');
  assert.ok(urls.includes('/case-studies/community-pharmacy-network/'), JSON.stringify(urls));
  await page.close();
});
