// A Welsh library (tests/sites/cymraeg, `language: cy`) in Chromium from file://: the search
// page's messages come from the theme's cy.yaml — the prompt, counts in their Welsh plural
// forms, no results with tips, Welsh dates on hits — under the page's CSP (the words are a
// JSON data block, never run), with zero axe-core WCAG 2.2 A/AA violations; the copy button
// says its message in Welsh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, fileUrl, launch, axeViolations, watchedPage, REPO } from './lib.mjs';

let browser;
let out;
before(async () => {
  out = buildSite(join(REPO, 'tests/sites/cymraeg'));
  browser = await launch();
});
after(async () => { await browser?.close(); });

const status = (page) => page.locator('#search-status').textContent();

test('the search page speaks Welsh from file://, with no CSP violation and axe-core 0', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(fileUrl(out, 'search/index.html'));
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('Teipiwch'));
  assert.equal(await status(page), 'Teipiwch i chwilio, neu dewiswch hidlwyr i bori.');

  await page.fill('#search-q', 'cyngor');
  await page.waitForFunction(() => /canlyniad/.test(document.getElementById('search-status').textContent));
  assert.equal(await status(page), '1 canlyniad ar gyfer “cyngor”.');
  // The hit's date in Welsh, as the resource pages write it.
  assert.equal(await page.locator('#search-results time').first().textContent(), '10 Chwefror 2023');

  await page.fill('#search-q', 'qqqzzz');
  await page.waitForFunction(() => /^Dim canlyniadau/.test(document.getElementById('search-status').textContent));
  assert.equal(await status(page), 'Dim canlyniadau ar gyfer “qqqzzz”.');
  const tips = await page.locator('.search-tips li').allTextContents();
  assert.deepEqual(tips, ['Gwiriwch sillafu eich geiriau.', 'Rhowch gynnig ar lai o eiriau, neu rai mwy cyffredinol.']);

  // A filter: the summary counts in Welsh, the matches say so.
  await page.fill('#search-q', '');
  await page.locator('#search-facets input[type=checkbox]').first().check();
  await page.waitForFunction(() => /hidlwyr hyn/.test(document.getElementById('search-status').textContent));
  assert.match(await status(page), /^\d+ adnodd yn cyfateb i'r hidlwyr hyn, y diweddaraf yn gyntaf\.$/);
  assert.equal(await page.locator('#search-filters summary').textContent(), "Hidlwyr (1 wedi'u dewis)");
  assert.equal(await page.locator('#search-clear').textContent(), "Clirio'r hidlwyr");

  // Before axe-core, whose own requests for the stylesheets file:// refuses.
  assert.deepEqual(problems, []);
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test('a resource page reads Welsh and its copy button answers in Welsh', async () => {
  const { page, problems } = await watchedPage(browser);
  await page.goto(fileUrl(out, 'astudiaethau-achos/fferyllfa-gymunedol/index.html'));
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  await page.click('button[data-copy]');
  // From file:// the clipboard may be refused: either message is the page's Welsh one.
  await page.waitForFunction(() => document.querySelector('.copy-status').textContent !== '');
  assert.match(await page.locator('.copy-status').textContent(), /^Cyfeirnod wedi'i (gopïo\.|ddewis: pwyswch Ctrl\+C \(neu Cmd\+C\) i'w gopïo\.)$/);
  // Before axe-core, whose own requests for the stylesheets file:// refuses.
  assert.deepEqual(problems, []);
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});
