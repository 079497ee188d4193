// Helpers shared by the search tests: the JS engine loaded as the page loads it, and the CLI.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { REPO } from './lib.mjs';

const BIN = process.env.CASEBOOK_BIN || join(REPO, 'target/debug/casebook');

/**
 * Loads the manifest and the engine scripts into a fresh context, as the page does; the
 * engine's further parts (chunks, documents, passages) are run in the same context when it
 * asks for them, and `loaded` counts their files and bytes.
 */
export function loadEngine(site) {
  const context = vm.createContext({ TextEncoder, URLSearchParams, atob, Blob, DecompressionStream, Response });
  const run = (path) => {
    const text = readFileSync(join(site, path), 'utf8');
    vm.runInContext(text, context, { filename: path });
    return text.length;
  };
  for (const file of ['search/index.js', 'js/porter2.js', 'js/search-engine.js']) run(file);
  const loaded = { files: 0, bytes: 0 };
  const engine = new context.CasebookSearch.Engine(context.CasebookIndex, (path) => {
    loaded.files++;
    loaded.bytes += run(path);
    return Promise.resolve();
  });
  engine.loaded = loaded;
  return engine;
}

/** `casebook search --json` for `query` with `filters` ({facet: [slugs]}). */
export function cli(site, query, filters = {}, limit = 10, extra = []) {
  const args = ['search', '--json', '--index', site, '--limit', String(limit), ...extra, '--', query];
  for (const [facet, values] of Object.entries(filters)) {
    for (const v of values) {
      if (facet === 'type') args.splice(1, 0, '--type', v);
      else if (facet === 'enablers') args.splice(1, 0, '--enabler', v);
      else args.splice(1, 0, '--facet', `${facet}=${v}`);
    }
  }
  return JSON.parse(execFileSync(BIN, args, { encoding: 'utf8' }));
}
