// The built sample site opens in Chromium over http:// and file://.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serve, fileUrl, launch } from './lib.mjs';

let out, server, browser;
before(async () => {
  out = buildSite();
  server = await serve(out);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test('home page renders over http and from disk, with a working section link', async () => {
  for (const url of [server.url, fileUrl(out, 'index.html')]) {
    const page = await browser.newPage();
    await page.goto(url);
    assert.match(await page.title(), /System Leadership Library/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Case studies' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Case studies');
    await page.close();
  }
});
