// Bundles the client, the server and the CLI into dist/ (CommonJS, one file each, no node_modules
// needed at run time). Generated files that are committed (schema, README rule table) come from
// scripts/generate.mjs, and a test fails when they drift.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  // import.meta.url has no CJS equivalent in esbuild's output; give it one.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.cjs', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.cjs', banner: { js: '#!/usr/bin/env node\n' + common.banner.js } }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.cjs', banner: { js: '#!/usr/bin/env node\n' + common.banner.js } }),
]);
chmodSync(join(root, 'dist/cli.cjs'), 0o755);
chmodSync(join(root, 'dist/server.cjs'), 0o755);

