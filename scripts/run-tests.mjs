// Runs every compiled test file (out/test/**/*.test.js) with Node's built-in runner. Node 20's
// `node --test DIR` would also run every other .js file under a folder named test (helpers, the
// corpus script), so the list is made here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(join(root, 'out', 'test'));
if (!files.length) {
  console.error('no compiled tests under out/test: run `npm run build` first');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
