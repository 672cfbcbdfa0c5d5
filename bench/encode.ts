/**
 * Measures the encoding of the 4,000-row register's publishDiagnostics message as the server writes it
 * over --stdio: vscode-jsonrpc's default (JSON.stringify + Buffer.from) against the diagnostics encoder
 * of server/src/lsp/encode.ts on a first publication (every diagnostic new), a second one (the cache
 * fills), warm (every diagnostic cached) and after a one-line edit (a few new diagnostic objects among
 * the cached ones); and the client's JSON.parse, with and without the fixes in `data` as before. Not
 * part of `npm run bench`:
 *
 *   npm run build && node out/bench/encode.js [--workspace DIR] [--runs N] [--count N]
 *
 * The workspace is the one `npm run bench` generates (../shared/bench/gen-workspace.mjs); the register is
 * linted with the whole workspace indexed, as the server does.
 */
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildModel, defaultConfig, lintModel, WorkspaceIndex, type Finding, type LintOptions } from '../server/src/engine/index.js';
import { createFsWorkspace, toPosix } from '../server/src/node/fsWorkspace.js';
import { DiagnosticConverter } from '../server/src/lsp/convert.js';
import { createDiagnosticsEncoder } from '../server/src/lsp/encode.js';
import { median, quantile, REPO } from './util.js';


const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ws = resolve(arg('--workspace') ?? join(REPO, '.bench-workspace'));
const RUNS = Number(arg('--runs') ?? 40);

const docsDir = join(ws, 'docs');
const registerPath = join(docsDir, 'BIG_GAP_REGISTER.md');
if (!fs.existsSync(registerPath)) {
  process.stderr.write(`no ${registerPath}: run \`npm run bench\` once, or pass --workspace DIR\n`);
  process.exit(2);
}

// Lint the register as the server does: the workspace indexed, the config of the workspace.
const config = defaultConfig();
const index = new WorkspaceIndex();
for (const name of fs.readdirSync(docsDir, { recursive: true, encoding: 'utf8' })) {
  if (!name.endsWith('.md')) continue;
  const p = join(docsDir, name);
  index.update(buildModel(fs.readFileSync(p, 'utf8'), toPosix(p), config));
}
const options: LintOptions = { config, today: '2026-06-01', workspace: createFsWorkspace(ws), index };
const text = fs.readFileSync(registerPath, 'utf8');
const findings: Finding[] = lintModel(buildModel(text, toPosix(registerPath), config), options);
const uri = pathToFileURL(registerPath).href;
const converter = new DiagnosticConverter({ uri });
const real = converter.diagnostics(findings);
// --count N: as many diagnostics as a register with more findings would have (distinct frozen copies of the real ones).
const count = Number(arg('--count') ?? real.length);
const diagnostics = Array.from({ length: count }, (_, i) => (i < real.length ? real[i]! : Object.freeze({ ...real[i % real.length]! })));

const message = (version: number, ds: unknown[]) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics: ds } });
const msg = message(2, diagnostics);

// What the same message weighed when every diagnostic carried its fixes and the version in data.
const old = message(
  2,
  diagnostics.map((d, i) => {
    const f = findings[i % findings.length]!;
    return { ...d, data: { rule: f.ruleName, version: 2, fixes: f.fixes ?? [] } };
  }),
);

interface Case {
  name: string;
  /** Prepares a run (not timed). */
  before?: () => void;
  run: () => unknown;
}

const expected = Buffer.from(JSON.stringify(msg), 'utf8');
const oldBytes = Buffer.from(JSON.stringify(old), 'utf8');
const cases: Case[] = [
  { name: 'client: JSON.parse of the message', run: () => JSON.parse(expected.toString('utf8')) },
  { name: '  the same, old message (fixes + version in data)', run: () => JSON.parse(oldBytes.toString('utf8')) },
  { name: 'JSON.stringify + Buffer.from (vscode-jsonrpc default)', run: () => Buffer.from(JSON.stringify(msg), 'utf8') },
  { name: '  the same, old message (fixes + version in data)', run: () => Buffer.from(JSON.stringify(old), 'utf8') },
];
{
  // A document just opened: every diagnostic is new (also every lint while the engine makes new findings each time).
  let fresh = createDiagnosticsEncoder();
  cases.push({ name: 'encoder: first publication (every diagnostic new)', before: () => (fresh = createDiagnosticsEncoder()), run: () => fresh.encodeSync(msg) });
  // The same diagnostic objects published a second time: each is stringified and cached (once per document).
  let second = createDiagnosticsEncoder();
  cases.push({
    name: 'encoder: second publication (fills the cache)',
    before: () => {
      second = createDiagnosticsEncoder();
      second.encodeSync(msg);
    },
    run: () => second.encodeSync(msg),
  });
  // Warm: every diagnostic of the message is cached.
  const warm = createDiagnosticsEncoder();
  warm.encodeSync(msg);
  warm.encodeSync(msg);
  cases.push({ name: 'encoder: warm (every diagnostic cached)', run: () => warm.encodeSync(msg) });
  // After a one-line edit: the engine returns the same Finding objects for the unchanged rows, so all
  // but the edited row's diagnostics are cached objects; say 3 new diagnostic objects.
  let version = 3;
  let edited = msg;
  cases.push({
    name: 'encoder: after a one-line edit (3 new, the rest cached)',
    before: () => {
      const ds = diagnostics.slice();
      for (const i of [10, 11, 12]) ds[i] = Object.freeze({ ...ds[i]! });
      edited = message(version++, ds);
    },
    run: () => warm.encodeSync(edited),
  });
  for (const m of [msg, message(9, [...diagnostics.slice(0, 5).map((d) => Object.freeze({ ...d })), ...diagnostics.slice(5)])]) {
    const got = Buffer.from(warm.encodeSync(m));
    if (!got.equals(Buffer.from(JSON.stringify(m), 'utf8'))) throw new Error("the encoder's bytes differ from JSON.stringify");
  }
}

// Every round runs every case once, in a rotating order, so a busy machine disturbs them alike; the
// CPU time of the process (user + system) is less disturbed by other work than the wall time.
const wall = cases.map(() => [] as number[]);
const cpu = cases.map(() => [] as number[]);
for (let round = -5; round < RUNS; round++) {
  for (let k = 0; k < cases.length; k++) {
    const j = (k + Math.max(0, round)) % cases.length;
    const c = cases[j]!;
    c.before?.();
    const u = process.cpuUsage();
    const t = performance.now();
    c.run();
    const w = performance.now() - t;
    const du = process.cpuUsage(u);
    if (round >= 0) {
      wall[j]!.push(w);
      cpu[j]!.push((du.user + du.system) / 1000);
    }
  }
}

const ms = (x: number) => x.toFixed(2).padStart(6);
console.log(`register: ${findings.length} findings; message of ${diagnostics.length} diagnostics, ${(expected.length / 1024).toFixed(0)} KiB (${(oldBytes.length / 1024).toFixed(0)} KiB with fixes and version in data)`);
console.log(`${RUNS} runs each, interleaved; ms: wall median, wall p90 | CPU median`);
cases.forEach((c, j) => console.log(`${c.name.padEnd(58)} ${ms(median(wall[j]!))} ${ms(quantile(wall[j]!, 0.9))} | ${ms(median(cpu[j]!))}`));
