import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from a compiled test file under out/test/… */
export const REPO_ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (d.endsWith('/out') || d.endsWith('\\out')) return dirname(d);
    d = dirname(d);
  }
  return process.cwd();
})();

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
