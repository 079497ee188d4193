// Helpers shared by the search tests: the JS engine loaded as the page loads it, and the CLI.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { REPO } from './lib.mjs';

const BIN = process.env.CASEBOOK_BIN || join(REPO, 'target/debug/casebook');

/** Loads the built index and the engine scripts into a fresh context, as the page does. */
export function loadEngine(site) {
  const context = vm.createContext({ TextEncoder, URLSearchParams });
  for (const file of [join(site, 'search/index.js'), join(site, 'js/porter2.js'), join(site, 'js/search-engine.js')]) {
    vm.runInContext(readFileSync(file, 'utf8'), context, { filename: file });
  }
  return new context.CasebookSearch.Engine(context.CasebookIndex);
}

/** `casebook search --json` for `query` with `filters` ({facet: [slugs]}). */
export function cli(site, query, filters = {}, limit = 10) {
  const args = ['search', '--json', '--index', site, '--limit', String(limit), query];
  for (const [facet, values] of Object.entries(filters)) {
    for (const v of values) {
      if (facet === 'type') args.push('--type', v);
      else if (facet === 'enablers') args.push('--enabler', v);
      else args.push('--facet', `${facet}=${v}`);
    }
  }
  return JSON.parse(execFileSync(BIN, args, { encoding: 'utf8' }));
}

