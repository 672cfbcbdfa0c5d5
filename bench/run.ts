/**
 * `npm run bench`: Readiness against its references, on the generated workspace of
 * ../shared/bench/gen-workspace.mjs (1,001 documents, one register of 4,000 rows). Every figure is the
 * median of several runs, with its reference measured in the same run, the ratio and the target.
 *
 *   node out/bench/run.js [--quick] [--only cli,engine,scaling,lsp] [--workspace DIR] [--reference-runs N]
 *
 * --quick: fewer runs and edits (a smoke test; the figures are noisier). --reference-runs: runs of
 * markdownlint-cli2 (default 1: on this workspace it takes minutes, super-linear in the rows of the big
 * register, and a whole bench run should stay near ten minutes). Results go to
 * bench/results/latest.json; docs/performance.md explains them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { defaultConfig, forgetDocument, lintText, WorkspaceIndex, buildModel, type LintOptions } from '../server/src/engine/index.js';
import { createFsWorkspace, toPosix } from '../server/src/node/fsWorkspace.js';
import { benchServer, type LspResult } from './lsp.js';
import { log, machine, median, quantile, REPO, round, run, runNode, type Machine } from './util.js';

const TODAY = '2026-06-01';


interface Figure {
  name: string;
  /** What was measured, in words. */
  what: string;
  value: number;
  unit: string;
  reference: number | undefined;
  referenceName: string | undefined;
  ratio: number | undefined;
  /** Human-readable target, and whether it holds. */
  target: string;
  pass: boolean;
  runs: number;
  extra?: Record<string, unknown>;
}

interface Args {
  quick: boolean;
  referenceRuns: number;
  only: Set<string> | undefined;
  workspace: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, referenceRuns: 1, only: undefined, workspace: join(REPO, '.bench-workspace') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') args.quick = true;
    else if (a === '--only') args.only = new Set(argv[++i]!.split(','));
    else if (a === '--workspace') args.workspace = resolve(argv[++i]!);
    else if (a === '--reference-runs') args.referenceRuns = Math.max(1, Number(argv[++i]) || 1);
    else {
      process.stderr.write(`unknown argument ${a}\nusage: node out/bench/run.js [--quick] [--only cli,engine,scaling,lsp] [--workspace DIR] [--reference-runs N]\n`);
      process.exit(2);
    }
  }
  return args;
}

const GENERATOR = join(REPO, '..', 'shared', 'bench', 'gen-workspace.mjs');

/** Makes the benchmark workspace when it is missing; false when the generator is not there. */
async function ensureWorkspace(dir: string, docs: number, rows: number): Promise<boolean> {
  const marker = join(dir, 'docs', 'BIG_GAP_REGISTER.md');
  if (!fs.existsSync(marker)) {
    if (!fs.existsSync(GENERATOR)) return false;
    log(`generating ${dir} (${docs} documents, ${rows} rows, big register ${rows * 100} rows)`);
    const r = await run(process.execPath, [GENERATOR, dir, '--docs', String(docs), '--rows', String(rows)], REPO);
    if (r.code !== 0) throw new Error(`gen-workspace failed: ${r.stderr}`);
  }
  // The repository's .gitignore lists .bench-workspace/, and the CLI honours .gitignore from the
  // nearest repository root: mark the workspace as a root of its own, as a real checkout would be.
  fs.mkdirSync(join(dir, '.git'), { recursive: true });
  return true;
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.md$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined || Number.isNaN(n) ? '—' : String(round(n, digits));
}

// ------------------------------------------------------------------------------------------ figures

async function benchCli(ws: string, quick: boolean, referenceRuns: number): Promise<Figure[]> {
  const cli = join(REPO, 'dist', 'cli.cjs');
  const cliArgs = ['lint', '--today', TODAY, '--format', 'json', '.'];
  const require = createRequire(join(REPO, 'package.json'));
  let mdlBin: string | undefined;
  try {
    // Its package.json is not in its exports: find the folder beside the module it exports.
    const pkgPath = [join(REPO, 'node_modules', 'markdownlint-cli2', 'package.json'), join(dirname(require.resolve('markdownlint-cli2')), 'package.json')].find((p) => fs.existsSync(p))!;
    const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { bin: Record<string, string> };
    mdlBin = join(dirname(pkgPath), pkg.bin['markdownlint-cli2']!);
  } catch {
    mdlBin = undefined;
  }
  const cliRuns = quick ? 2 : 5;
  const mdlRuns = referenceRuns;
  const cliMs: number[] = [];
  const cliCpu: number[] = [];
  const cliRss: number[] = [];
  const mdlMs: number[] = [];
  const mdlCpu: number[] = [];
  const mdlRss: number[] = [];
  let files = 0;
  let findings = 0;
  // Interleaved, so a change of load on the machine touches both: the reference runs are spread
  // between the runs of the CLI (with one reference run, half the CLI runs come before it).
  const order: ('cli' | 'ref')[] = [];
  let refs = 0;
  for (let i = 0; i < cliRuns; i++) {
    order.push('cli');
    while (refs < mdlRuns && i + 1 >= Math.round(((refs + 1) * cliRuns) / (mdlRuns + 1))) {
      order.push('ref');
      refs++;
    }
  }
  while (refs++ < mdlRuns) order.push('ref');
  for (const which of order) {
    if (which === 'cli') {
      const i = cliMs.length;
      const r = await runNode(cli, cliArgs, ws, i === 0);
      if (r.code !== 0 && r.code !== 1) throw new Error(`readiness lint exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      if (i === 0) {
        const list = JSON.parse(r.stdout) as { file: string }[];
        findings = list.length;
        files = new Set(list.map((f) => f.file)).size;
      }
      cliMs.push(r.ms);
      if (r.cpuMs !== undefined) cliCpu.push(r.cpuMs);
      if (r.maxRssKb) cliRss.push(r.maxRssKb / 1024);
      log(`readiness lint: ${Math.round(r.ms)} ms (CPU ${Math.round(r.cpuMs ?? NaN)} ms)`);
    } else if (mdlBin) {
      log('markdownlint-cli2 on the same files (minutes)…');
      const r = await runNode(mdlBin, ['docs/**/*.md'], ws);
      if (r.code !== 0 && r.code !== 1) throw new Error(`markdownlint-cli2 exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      mdlMs.push(r.ms);
      if (r.cpuMs !== undefined) mdlCpu.push(r.cpuMs);
      if (r.maxRssKb) mdlRss.push(r.maxRssKb / 1024);
      log(`markdownlint-cli2: ${Math.round(r.ms)} ms (CPU ${Math.round(r.cpuMs ?? NaN)} ms)`);
    }
  }
  const value = median(cliMs);
  const reference = mdlBin ? median(mdlMs) : undefined;
  const ratio = reference ? value / reference : undefined;
  return [
    {
      name: 'cli-workspace',
      what: 'CLI lint of the whole workspace (process start to exit)',
      value,
      unit: 'ms',
      reference,
      referenceName: mdlBin ? 'markdownlint-cli2 0.20 on the same files' : 'markdownlint-cli2 not installed',
      ratio,
      target: 'ratio ≤ 0.05 (≥ 20x faster)',
      pass: ratio !== undefined && ratio <= 0.05,
      runs: cliMs.length,
      extra: {
        referenceRuns: mdlMs.length,
        allMs: cliMs.map((x) => round(x)),
        referenceAllMs: mdlMs.map((x) => round(x)),
        cpuMs: cliCpu.length ? round(median(cliCpu)) : undefined,
        referenceCpuMs: mdlCpu.length ? round(median(mdlCpu)) : undefined,
        cpuRatio: cliCpu.length && mdlCpu.length ? round(median(cliCpu) / median(mdlCpu), 4) : undefined,
        peakRssMb: cliRss.length ? round(median(cliRss)) : undefined,
        referencePeakRssMb: mdlRss.length ? round(median(mdlRss)) : undefined,
        findings,
        filesWithFindings: files,
      },
    },
  ];
}

async function benchEngine(ws: string, quick: boolean): Promise<Figure[]> {
  const files = markdownFiles(join(ws, 'docs'));
  const docs = files.map((f) => ({ path: toPosix(f), text: fs.readFileSync(f, 'utf8') }));
  const config = defaultConfig();
  const workspace = createFsWorkspace(ws);
  const index = new WorkspaceIndex();
  for (const d of docs) index.update(buildModel(d.text, d.path, config));
  const options: LintOptions = { config, today: TODAY, workspace, index };
  const processor = unified().use(remarkParse).freeze();
  const rounds = quick ? 2 : 3;
  const engineMs: number[] = [];
  const remarkMs: number[] = [];
  // The first round warms both up (JIT, the file-system cache of the workspace view) and is dropped.
  for (let r = 0; r <= rounds; r++) {
    forgetDocument();
    let t = performance.now();
    for (const d of docs) lintText(d.text, d.path, options);
    const e = performance.now() - t;
    t = performance.now();
    for (const d of docs) processor.parse(d.text);
    const m = performance.now() - t;
    if (r > 0) {
      engineMs.push(e);
      remarkMs.push(m);
    }
    log(`engine ${Math.round(e)} ms, remark-parse ${Math.round(m)} ms for ${docs.length} documents${r === 0 ? ' (warm-up)' : ''}`);
  }
  const value = median(engineMs) / docs.length;
  const reference = median(remarkMs) / docs.length;
  return [
    {
      name: 'engine-per-document',
      what: `engine time per document (build the model + every rule), mean over the ${docs.length} documents`,
      value,
      unit: 'ms',
      reference,
      referenceName: 'unified + remark-parse (no GFM) parse of the same text',
      ratio: value / reference,
      target: 'ratio ≤ 2',
      pass: value / reference <= 2,
      runs: engineMs.length,
      extra: { documents: docs.length, bytes: docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0) },
    },
  ];
}

async function benchScaling(ws: string, quick: boolean): Promise<Figure[]> {
  const bigPath = join(ws, 'docs', 'BIG_GAP_REGISTER.md');
  // The 400-row register comes from the same generator: its big register is 100 × --rows.
  const tmp = fs.mkdtempSync(join(os.tmpdir(), 'readiness-bench-'));
  let small: string;
  try {
    const r = await run(process.execPath, [GENERATOR, tmp, '--docs', '0', '--rows', '4'], REPO);
    if (r.code !== 0) throw new Error(`gen-workspace failed: ${r.stderr}`);
    small = fs.readFileSync(join(tmp, 'docs', 'BIG_GAP_REGISTER.md'), 'utf8');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const big = fs.readFileSync(bigPath, 'utf8');
  const config = defaultConfig();
  const workspace = createFsWorkspace(ws);
  const options = (): LintOptions => ({ config, today: TODAY, workspace, index: new WorkspaceIndex() });
  const rows = (t: string) => t.split('\n').filter((l) => /^\| G-/.test(l)).length;
  const runs = quick ? 5 : 15;
  const bigMs: number[] = [];
  const smallMs: number[] = [];
  const smallPath = toPosix(join(ws, 'docs', 'SMALL_GAP_REGISTER.md'));
  const bigPosix = toPosix(bigPath);
  for (let i = 0; i <= runs; i++) {
    // A full lint each time: nothing kept from the previous build of the same document.
    forgetDocument();
    let t = performance.now();
    lintText(big, bigPosix, options());
    const b = performance.now() - t;
    forgetDocument();
    t = performance.now();
    lintText(small, smallPath, options());
    const s = performance.now() - t;
    if (i > 0) {
      bigMs.push(b);
      smallMs.push(s);
    }
  }
  const value = median(bigMs);
  const reference = median(smallMs);
  log(`lint ${rows(big)} rows: ${value.toFixed(1)} ms; ${rows(small)} rows: ${reference.toFixed(1)} ms`);
  return [
    {
      name: 'scaling',
      what: `lint time (full build + rules) of the ${rows(big)}-row register`,
      value,
      unit: 'ms',
      reference,
      referenceName: `the same for a ${rows(small)}-row register`,
      ratio: value / reference,
      target: 'ratio ≤ 12 (10 is linear)',
      pass: value / reference <= 12,
      runs,
    },
  ];
}

async function benchLsp(ws: string, quick: boolean): Promise<{ figures: Figure[]; raw: LspResult[] }> {
  // Several server sessions (each: start, index, open, edit): the latencies are pooled, and each memory
  // figure is the median over sessions, its ratio the median of each session's own ratio. RSS varies by
  // several MB from one server process to the next (malloc, page faults), more than within a session.
  const sessions = Number(process.env.BENCH_LSP_SESSIONS) || (quick ? 1 : 5);
  const all: LspResult[] = [];
  for (let i = 0; i < sessions; i++) {
    if (sessions > 1) log(`server session ${i + 1} of ${sessions}`);
    all.push(
      await benchServer({
        serverBin: join(REPO, 'dist', 'server.cjs'),
        root: ws,
        docPath: join(ws, 'docs', 'BIG_GAP_REGISTER.md'),
        today: TODAY,
        edits: quick ? 15 : 40,
        memoryEdits: Number(process.env.BENCH_MEMORY_EDITS) || (quick ? 1000 : 10_000),
        pauseMs: 200,
        pausedEdits: quick ? 5 : 10,
        longPauseMs: 1500,
      }),
    );
  }
  const med = (f: (x: LspResult) => number) => median(all.map(f));
  const r = {
    indexedFiles: all[0]!.indexedFiles,
    memoryEdits: all[0]!.memoryEdits,
    diagnosticsMs: all.flatMap((x) => x.diagnosticsMs),
    lensMs: all.flatMap((x) => x.lensMs),
    afterPauseMs: all.flatMap((x) => x.afterPauseMs),
    rssAfterIndexMb: med((x) => x.rssAfterIndexMb),
    rssAfterOpenMb: med((x) => x.rssAfterOpenMb),
    rssAfterEditsMb: med((x) => x.rssAfterEditsMb),
    editsOverIndex: med((x) => x.rssAfterEditsMb / x.rssAfterIndexMb),
    editsOverOpen: med((x) => x.rssAfterEditsMb / x.rssAfterOpenMb),
    indexMs: med((x) => x.indexMs),
    openToDiagnosticsMs: med((x) => x.openToDiagnosticsMs),
    diagnosticsCount: all[0]!.diagnosticsCount,
    memoryRunMs: med((x) => x.memoryRunMs),
    rssSamplesMb: all[all.length - 1]!.rssSamplesMb,
    perSession: all.map((x) => ({
      indexMb: round(x.rssAfterIndexMb),
      openMb: round(x.rssAfterOpenMb),
      editsMb: round(x.rssAfterEditsMb),
      anonymousMb: x.residentAfterIndex && x.residentAfterEdits ? [round(x.residentAfterIndex.anonMb), round(x.residentAfterEdits.anonMb)] : undefined,
      mappedFilesMb: x.residentAfterIndex && x.residentAfterEdits ? [round(x.residentAfterIndex.fileMb), round(x.residentAfterEdits.fileMb)] : undefined,
    })),
  };
  const latency = (name: string, what: string, xs: number[]): Figure => {
    const med = median(xs);
    const p95 = quantile(xs, 0.95);
    return {
      name,
      what,
      value: med,
      unit: 'ms',
      reference: undefined,
      referenceName: undefined,
      ratio: undefined,
      target: 'median ≤ 50 ms, p95 ≤ 100 ms',
      pass: med <= 50 && p95 <= 100,
      runs: xs.length,
      extra: { p95: round(p95), min: round(Math.min(...xs)), max: round(Math.max(...xs)) },
    };
  };
  const figures: Figure[] = [
    latency('lsp-edit-to-diagnostics', 'language server: one-line edit in the 4,000-row register → its publishDiagnostics', r.diagnosticsMs),
    latency('lsp-edit-to-code-lenses', 'language server: one-line edit in the 4,000-row register → its codeLens answer', r.lensMs),
    latency('lsp-edit-after-pause', 'language server: one-line edit 1.5 s after the last (the server released its cells, cached JSON and diagnostics) → its publishDiagnostics', r.afterPauseMs),
    {
      name: 'lsp-memory-indexed',
      what: `language server RSS after indexing the ${r.indexedFiles}-document workspace`,
      value: r.rssAfterIndexMb,
      unit: 'MB',
      reference: undefined,
      referenceName: undefined,
      ratio: undefined,
      target: '≤ 300 MB',
      pass: r.rssAfterIndexMb <= 300,
      runs: sessions,
      extra: { indexMs: round(r.indexMs), rssAfterOpenMb: round(r.rssAfterOpenMb), openToDiagnosticsMs: round(r.openToDiagnosticsMs), diagnostics: r.diagnosticsCount },
    },
    {
      name: 'lsp-memory-after-edits',
      what: `language server RSS after ${r.memoryEdits} edits of the register`,
      value: r.rssAfterEditsMb,
      unit: 'MB',
      reference: r.rssAfterIndexMb,
      referenceName: 'RSS after indexing',
      ratio: r.editsOverIndex,
      target: 'ratio ≤ 1.10',
      pass: r.editsOverIndex <= 1.1,
      runs: sessions,
      extra: { memoryRunMs: round(r.memoryRunMs), rssSamplesMb: r.rssSamplesMb, perSession: r.perSession },
    },
    {
      name: 'lsp-memory-steady',
      what: `language server RSS after ${r.memoryEdits} edits, against RSS with the register open and linted (no leak: a plateau)`,
      value: r.rssAfterEditsMb,
      unit: 'MB',
      reference: r.rssAfterOpenMb,
      referenceName: 'RSS after opening the register (first lint)',
      ratio: r.editsOverOpen,
      target: 'ratio ≤ 1.10 (informative)',
      pass: r.editsOverOpen <= 1.1,
      runs: sessions,
      extra: { rssSamplesMb: r.rssSamplesMb },
    },
  ];
  return { figures, raw: all };
}

// ------------------------------------------------------------------------------------------ main

function printTable(figures: Figure[], m: Machine): void {
  const rows = figures.map((f) => [
    f.name,
    `${fmt(f.value)} ${f.unit}` + (f.extra && 'p95' in f.extra ? ` (p95 ${fmt(f.extra.p95 as number)})` : ''),
    f.reference === undefined ? '—' : `${fmt(f.reference)} ${f.unit}`,
    (f.ratio === undefined ? '—' : fmt(f.ratio, 3)) + (f.extra && typeof f.extra.cpuRatio === 'number' ? ` (CPU ${fmt(f.extra.cpuRatio, 3)})` : ''),
    f.target,
    f.pass ? 'PASS' : 'MISS',
  ]);
  const head = ['figure', 'value (median)', 'reference (median)', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\nReadiness benchmark — ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, load ${m.loadAverage.join(' ')}\n\n`);
  process.stdout.write(line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const r of rows) process.stdout.write(line(r) + '\n');
  for (const f of figures) {
    process.stdout.write(`\n${f.name}: ${f.what}` + (f.referenceName ? `; reference: ${f.referenceName}` : '') + ` (${f.runs} runs)`);
  }
  process.stdout.write('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const want = (s: string) => !args.only || args.only.has(s);
  const started = Date.now();
  const m = machine();
  if (!(await ensureWorkspace(args.workspace, 1000, 40))) {
    process.stdout.write(
      `bench: skipped. The benchmark workspace ${args.workspace} is missing and its generator ${GENERATOR} is not there ` +
        `(../shared sits beside the repository in the project's checkout). Generate a workspace with ` +
        `gen-workspace.mjs and pass --workspace DIR.\n`,
    );
    return;
  }
  for (const bin of ['cli.cjs', 'server.cjs']) {
    if (!fs.existsSync(join(REPO, 'dist', bin))) throw new Error(`dist/${bin} is missing: run npm run build first`);
  }
  const figures: Figure[] = [];
  let lspRaw: LspResult[] | undefined;
  // Scaling first: it measures single documents, best on a fresh heap.
  if (want('scaling')) figures.push(...(await benchScaling(args.workspace, args.quick)));
  if (want('engine')) figures.push(...(await benchEngine(args.workspace, args.quick)));
  if (want('lsp')) {
    const r = await benchLsp(args.workspace, args.quick);
    figures.push(...r.figures);
    lspRaw = r.raw;
  }
  if (want('cli')) figures.push(...(await benchCli(args.workspace, args.quick, args.referenceRuns)));
  printTable(figures, m);
  const result = {
    date: new Date().toISOString(),
    quick: args.quick,
    machine: { ...m, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)) },
    durationS: round((Date.now() - started) / 1000),
    figures: figures.map((f) => ({ ...f, value: round(f.value, 2), reference: f.reference === undefined ? undefined : round(f.reference, 2), ratio: f.ratio === undefined ? undefined : round(f.ratio, 4) })),
    lsp: lspRaw?.map((x) => ({ ...x, diagnosticsMs: x.diagnosticsMs.map((v) => round(v)), lensMs: x.lensMs.map((v) => round(v)) })),
  };
  const outDir = join(REPO, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, args.quick || args.only ? 'partial.json.tmp' : 'latest.json');
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`\nSaved ${outFile.slice(REPO.length + 1)} (${result.durationS} s).\n`);
  if (figures.some((f) => !f.pass)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(2);
});
