// The page types of a built site, found from its output: the theme's tests and screenshots
// visit one page of each type; a build missing any of the eight types fails them.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './lib.mjs';

/**
 * The sites the browser tests build: the sample library, the branded fixture, and a fixture
 * whose listings are split into pages (no screenshots of its own).
 */
export const SITES = [
  { name: 'sample', root: REPO },
  { name: 'theme-fixture', root: join(REPO, 'tests/sites/theme') },
  { name: 'paged-fixture', root: join(REPO, 'tests/sites/paged'), screenshots: false },
];

const subdirs = (dir) => readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).sort();

/**
 * One page of each type in the output folder `out`: [{ type, path }], path relative to `out`.
 * `section` and `taxonomy` name the folders to take the section, resource, taxonomy and term from.
 */
export function pageTypes(out, { section = 'case-studies', taxonomy = 'enablers' } = {}) {
  const page = (p) => (existsSync(join(out, p)) ? p : null);
  const resource = subdirs(join(out, section)).map((d) => `${section}/${d}/index.html`).find(page);
  const term = subdirs(join(out, taxonomy)).filter((d) => d !== 'coverage').map((d) => `${taxonomy}/${d}/index.html`).find(page);
  const all = [
    { type: 'home', path: 'index.html' },
    { type: 'section', path: `${section}/index.html` },
    { type: 'resource', path: resource },
    { type: 'taxonomy', path: `${taxonomy}/index.html` },
    { type: 'term', path: term },
    { type: 'coverage', path: page(`${taxonomy}/coverage/index.html`) },
    { type: 'search', path: page('search/index.html') },
    { type: '404', path: '404.html' },
  ];
  // Page 2 of a listing (its page navigation), when the build splits listings into pages.
  const later = [
    { type: 'section page 2', path: page(`${section}/page/2/index.html`) },
    { type: 'term page 2', path: page(term.replace(/index\.html$/, 'page/2/index.html')) },
  ].filter((p) => p.path);
  const missing = all.filter((p) => !p.path || !existsSync(join(out, p.path))).map((p) => p.type);
  if (missing.length > 0) throw new Error(`the build in ${out} has no ${missing.join(', ')} page`);
  return [...all, ...later];
}

/** Where a page type is visited over http: the 404 page at a missing, deep address. */
export function httpPath(p) {
  return p.type === '404' ? 'no/such/page/here/' : p.path;
}
