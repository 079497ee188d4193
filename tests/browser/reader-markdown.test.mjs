// Call-outs and the glossary in Chromium (issue #12, item 7): on the pages that use them —
// every call-out kind and the glossary's abbreviations (tests/sites/valid/reader-markdown),
// the sample library's tip, warning and glossary — zero axe-core WCAG 2.2 A/AA violations in
// light and dark, valid HTML, call-outs exposed as titled notes, and abbreviations written out
// when printed.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HtmlValidate } from 'html-validate';
import { buildSite, serve, launch, axeViolations, REPO } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const SITES = [
  {
    name: 'call-out fixture',
    root: join(REPO, 'tests/sites/valid/reader-markdown'),
    pages: ['toolkits/call-outs/index.html', 'toolkits/second-page/index.html', 'glossary/index.html'],
  },
  {
    name: 'sample',
    root: REPO,
    pages: [
      'toolkits/joint-huddle-starter-kit/index.html',
      'toolkits/deprescribing-in-care-homes/index.html',
      'glossary/index.html',
    ],
  },
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const site of SITES) {
  describe(`${site.name}`, () => {
    let out, server;
    before(async () => {
      out = buildSite(site.root);
      server = await serve(out);
    });
    after(() => server?.close());

    for (const scheme of ['light', 'dark']) {
      test(`zero axe-core WCAG 2.2 A/AA violations on call-out and glossary pages (${scheme})`, async () => {
        const failures = [];
        for (const path of site.pages) {
          const page = await browser.newPage({ colorScheme: scheme });
          await page.goto(server.url + path);
          const v = await axeViolations(page);
          if (v.length) failures.push(`${path}:\n  ${v.join('\n  ')}`);
          await page.close();
        }
        assert.deepEqual(failures, [], failures.join('\n'));
      });
    }

    test('the pages are valid HTML (html-validate)', async () => {
      const text = readFileSync(join(HERE, '.htmlvalidate.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
      const validator = new HtmlValidate(JSON.parse(text));
      const failures = [];
      for (const path of site.pages) {
        const report = await validator.validateString(readFileSync(join(out, path), 'utf8'), path);
        for (const r of report.results) {
          for (const m of r.messages) failures.push(`${path}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`);
        }
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  });
}

describe('call-out fixture in use', () => {
  let out, server;
  before(async () => {
    out = buildSite(SITES[0].root);
    server = await serve(out);
  });
  after(() => server?.close());

  test('each call-out is a note whose text starts with its visible title', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + 'toolkits/call-outs/index.html');
    const notes = await page.getByRole('note').allInnerTexts();
    assert.deepEqual(notes.map((t) => t.split('\n')[0]), ['Note', 'Tip', 'Important', 'Warning', 'Caution']);
    // Each kind is told apart by more than colour, and its title colour differs from the body text.
    const colours = await page.locator('.callout-title').evaluateAll((ps) => ps.map((p) => getComputedStyle(p).color));
    assert.equal(new Set(colours).size, 5, `one title colour per kind: ${colours}`);
    await page.close();
  });

  test('printed, an abbreviation is followed by what it stands for', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + 'toolkits/call-outs/index.html');
    const screen = await page.locator('main abbr').first().evaluate((a) => getComputedStyle(a, '::after').content);
    assert.equal(screen, 'none');
    await page.emulateMedia({ media: 'print' });
    const printed = await page.locator('main abbr').first().evaluate((a) => getComputedStyle(a, '::after').content);
    assert.equal(printed, '" (primary care network)"');
    await page.close();
  });
});
