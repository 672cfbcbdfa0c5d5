/**
 * `readiness`: the command-line face of the engine.
 *
 *   readiness lint [paths...]   lint Markdown files and folders (default: the current folder)
 *   readiness rules             list the rules
 *   readiness --version
 *
 * Exit codes: 0 no errors; 1 error findings (or more warnings than --max-warnings); 2 bad usage, an
 * invalid configuration file, or an internal error on some document.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import ignore, { type Ignore } from 'ignore';
import pkg from '../../package.json' with { type: 'json' };
import {
  applyFixes,
  buildModel,
  dirname as posixDirname,
  lintModel,
  lintText,
  parseConfig,
  RULE_META,
  CONFIG_INVALID_RULE,
  tooLargeFinding,
  WorkspaceIndex,
  type Config,
  type DocumentModel,
  type Finding,
  type LintOptions,
} from './engine/index.js';
import { ConfigLoader, createFsWorkspace, fromPosix, toPosix, type FsWorkspace, type LoadedConfig } from './node/fsWorkspace.js';
import { formatJson, formatSarif, formatText, countFindings, type Reported } from './node/format.js';
import { toRel, walkFiles, type WalkInput } from './node/walk.js';

export const VERSION: string = (pkg as { version: string }).version;

/** Bytes read to decide whether a file is binary (a NUL byte in them). */
const BINARY_SNIFF = 8 * 1024;
/** Above this size a too-large document is not even read: its finding is made from its size alone. */
const NEVER_READ_ABOVE = 64 * 1024 * 1024;
/** Re-lint passes of --fix after the first lint. */
const FIX_PASSES = 3;

type Format = 'text' | 'json' | 'sarif';

export interface LintCommandOptions {
  format: Format;
  maxWarnings?: number;
  today?: string;
  fix?: boolean;
  quiet?: boolean;
  color?: boolean;
  config?: string;
}

/** Bad usage: printed as one line, exit code 2. */
class UsageError extends Error {}

interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
}

const defaultIo: Io = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  cwd: process.cwd(),
};

/** Runs the CLI with argv (without the node and script entries); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode = 0;
  const program = new Command();
  program
    .name('readiness')
    .description('Lint production-readiness Markdown documents: gap registers, FMEA tables, SLOs, checklists, postmortems.')
    .version(VERSION, '-v, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError(true);

  program
    .command('lint')
    .description('lint Markdown files and folders')
    .argument('[paths...]', 'files and folders to lint', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', parseMaxWarnings)
    .option('--today <date>', 'pretend today is this ISO date (YYYY-MM-DD); overrides `today` in .readiness.yaml', parseToday)
    .option('--fix', 'apply the fixes the rules offer and write the files back')
    .option('-q, --quiet', 'report errors only')
    .option('--no-color', 'plain output (the output is always plain)')
    .option('-c, --config <file>', 'use this configuration file for every document instead of looking for .readiness.yaml')
    .action(async (paths: string[], opts: LintCommandOptions) => {
      exitCode = await runLint(paths.length ? paths : ['.'], opts, io);
    });

  program
    .command('rules')
    .description('list the rules: id, name, default severity and description')
    .action(() => {
      io.out(formatRuleTable());
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version end with code 0; every parse error is bad usage.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.err(`readiness: ${e.message}\n`);
      return 2;
    }
    io.err(`readiness: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    return 2;
  }
  return exitCode;
}

function parseMaxWarnings(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number of warnings, such as 0 or 10.');
  return Number(value.trim());
}

function parseToday(value: string): string {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD, such as 2026-01-31.');
  }
  return v;
}

export function formatRuleTable(): string {
  const rows = RULE_META.map((m) => [m.id, m.name, m.defaultSeverity, m.description + (m.fixable ? ' (fixable)' : '')]);
  const header = ['ID', 'NAME', 'SEVERITY', 'DESCRIPTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Where the configuration of a document or folder comes from: discovery, or one --config file. */
interface ConfigSource {
  forDocument(posixPath: string): LoadedConfig;
  forDir(posixDir: string): LoadedConfig;
}

/** The nearest folder holding `.git` above the first path (or above cwd when no path is given). */
export function findWorkspaceRoot(cwd: string, firstPath: string | undefined): string | undefined {
  const starts: string[] = [];
  if (firstPath !== undefined) {
    const abs = nodePath.resolve(cwd, firstPath);
    let dir = abs;
    try {
      if (!fs.statSync(abs).isDirectory()) dir = nodePath.dirname(abs);
    } catch {
      dir = nodePath.dirname(abs);
    }
    starts.push(dir);
  } else starts.push(cwd);
  for (const start of starts) {
    for (let d = start; ; d = nodePath.dirname(d)) {
      if (fs.existsSync(nodePath.join(d, '.git'))) return d;
      if (nodePath.dirname(d) === d) break;
    }
  }
  return undefined;
}

/**
 * Without a `.git`, the root is the current folder; when some input lies outside it, the deepest
 * folder holding every input instead (so links between the linted documents stay inside the root).
 */
function fallbackRoot(cwd: string, inputs: readonly WalkInput[]): string {
  const dirs = inputs.map((i) => (i.isDir ? i.path : nodePath.dirname(i.path)));
  if (dirs.every((d) => d === cwd || toRel(cwd, d) !== undefined)) return cwd;
  let common = dirs[0] ?? cwd;
  while (!dirs.every((d) => d === common || toRel(common, d) !== undefined)) {
    const up = nodePath.dirname(common);
    if (up === common) break;
    common = up;
  }
  return common;
}

interface Doc {
  abs: string;
  posix: string;
  display: string;
  config: Config;
  model: DocumentModel | undefined;
  findings: Finding[];
  /** False when the bytes are not valid UTF-8: --fix would not write them back unchanged, so it leaves the file alone. */
  utf8: boolean;
}

async function runLint(paths: string[], opts: LintCommandOptions, io: Io): Promise<number> {
  const cwd = io.cwd;
  const warn = (msg: string) => io.err(`readiness: warning: ${msg}\n`);
  const display = (abs: string) => {
    const rel = nodePath.relative(cwd, abs);
    return (rel || '.').split(nodePath.sep).join('/');
  };
  const displayPosix = (p: string) => display(fromPosix(p));

  // Inputs: every path must exist (checked before anything is linted).
  const inputs: WalkInput[] = [];
  for (const p of paths) {
    const abs = nodePath.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException)?.code;
      throw new UsageError(code === 'ENOENT' || code === 'ENOTDIR' ? `no such file or folder: ${p}` : `cannot access ${p} (${code ?? 'error'}).`);
    }
    inputs.push({ path: abs, isDir: st.isDirectory() });
  }

  // The repository of the first path, when it holds every input; else the folder that holds them all.
  const gitRoot = findWorkspaceRoot(cwd, paths[0]);
  const holdsAll = (r: string) => inputs.every((i) => i.path === r || toRel(r, i.path) !== undefined);
  const root = realpathOr(gitRoot && holdsAll(gitRoot) ? gitRoot : fallbackRoot(cwd, inputs));
  const rootPosix = toPosix(root);
  const workspace: FsWorkspace = createFsWorkspace(root);
  const source = makeConfigSource(rootPosix, opts.config, cwd);

  // The configuration's `ignore` globs, relative to the folder of the file that declares them.
  const ignoreByConfig = new WeakMap<Config, Ignore | null>();
  const configIgnores = (abs: string, isDir: boolean): boolean => {
    const posix = toPosix(abs);
    const { config } = isDir ? source.forDir(posixDirname(posix)) : source.forDocument(posix);
    if (!config.ignore.length || !config.baseDir) return false;
    let m = ignoreByConfig.get(config);
    if (m === undefined) {
      m = ignore().add(config.ignore);
      ignoreByConfig.set(config, m);
    }
    if (!m) return false;
    const rel = toRel(fromPosix(config.baseDir), abs);
    if (rel === undefined) return false;
    try {
      return m.ignores(isDir ? `${rel}/` : rel);
    } catch {
      return false;
    }
  };

  const files = walkFiles(inputs, { root, isIgnored: configIgnores, onWarning: warn, display });
  const explicit = new Set(inputs.filter((i) => !i.isDir).map((i) => i.path));

  let internalErrors = 0;
  const internalError = (abs: string, e: unknown) => {
    internalErrors++;
    io.err(`${display(abs)}: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  };

  // Configuration problems, once per config file that applies to a linted document.
  const configProblems: Reported[] = [];
  const reportedConfigs = new Set<string>();
  const noteConfig = (loaded: LoadedConfig) => {
    if (!loaded.path || reportedConfigs.has(loaded.path)) return;
    reportedConfigs.add(loaded.path);
    for (const problem of loaded.problems) {
      configProblems.push({
        file: displayPosix(loaded.path),
        finding: { ruleId: CONFIG_INVALID_RULE.id, ruleName: CONFIG_INVALID_RULE.name, severity: 'error', message: problem.message, range: problem.range },
      });
    }
  };
  if (opts.config) noteConfig(source.forDocument(rootPosix + '/x.md'));

  // Pass 1: read every file once, build its model and index it.
  const index = new WorkspaceIndex();
  const docs: Doc[] = [];
  for (const abs of files) {
    try {
      const posix = toPosix(abs);
      const loaded = source.forDocument(posix);
      noteConfig(loaded);
      const { config } = loaded;
      const read = readDocument(abs, config.maxFileSize, !!opts.fix);
      if (read.kind === 'binary') {
        warn(`${display(abs)}: binary file (it has a NUL byte); skipped.`);
        continue;
      }
      const doc: Doc = { abs, posix, display: display(abs), config, model: undefined, findings: [], utf8: read.kind === 'text' ? read.utf8 : true };
      if (read.kind === 'too-large') {
        doc.findings = [tooLargeFinding(read.size, config.maxFileSize)];
      } else if (Buffer.byteLength(read.text, 'utf8') > config.maxFileSize) {
        doc.findings = lintText(read.text, posix, lintOptions(config)).findings;
      } else {
        doc.model = buildModel(read.text, posix, config);
        index.update(doc.model);
      }
      docs.push(doc);
    } catch (e) {
      if (explicit.has(abs) && (e as NodeJS.ErrnoException)?.code) {
        // A named file that cannot be read is the user's problem, not an internal error.
        io.err(`${display(abs)}: cannot read the file (${(e as NodeJS.ErrnoException).code}).\n`);
        internalErrors++;
      } else internalError(abs, e);
    }
  }

  function lintOptions(config: Config): LintOptions {
    return { config, workspace, index, ...(opts.today ? { today: opts.today } : {}) };
  }

  // Pass 2: lint (and fix) every document against the complete index.
  let fixedProblems = 0;
  let fixedFiles = 0;
  const failed = new Set<Doc>();
  for (const doc of docs) {
    if (!doc.model) continue;
    try {
      doc.findings = lintModel(doc.model, lintOptions(doc.config));
      if (opts.fix && !doc.utf8 && doc.findings.some((f) => f.fixes?.length)) {
        warn(`${doc.display}: not valid UTF-8; not fixed, so that its bytes are not changed.`);
      } else if (opts.fix) {
        const original = doc.model.text;
        let text = original;
        for (let pass = 0; pass < FIX_PASSES; pass++) {
          const r = applyFixes(text, doc.findings);
          if (r.fixed === 0 || r.text === text) break;
          fixedProblems += r.fixed;
          text = r.text;
          doc.model = buildModel(text, doc.posix, doc.config);
          index.update(doc.model);
          workspace.invalidate(doc.posix);
          doc.findings = lintModel(doc.model, lintOptions(doc.config));
        }
        if (text !== original) {
          fs.writeFileSync(doc.abs, text, 'utf8');
          workspace.invalidate(doc.posix);
          fixedFiles++;
        }
      }
    } catch (e) {
      failed.add(doc);
      doc.findings = [];
      internalError(doc.abs, e);
    }
  }
  // Fixes change what other documents see (ids, figures): lint everything once more against the result.
  if (fixedFiles > 0) {
    for (const doc of docs) {
      if (!doc.model || failed.has(doc)) continue;
      try {
        doc.findings = lintModel(doc.model, lintOptions(doc.config));
      } catch (e) {
        doc.findings = [];
        internalError(doc.abs, e);
      }
    }
  }

  // Report.
  const all: Reported[] = [...configProblems];
  for (const doc of docs) for (const finding of doc.findings) all.push({ file: doc.display, finding });
  const shown = opts.quiet ? all.filter((r) => r.finding.severity === 'error') : all;

  if (opts.format === 'json') io.out(formatJson(shown));
  else if (opts.format === 'sarif') io.out(formatSarif(shown, { version: VERSION, rules: RULE_META, baseDir: cwd, displayPath: displayPosix }));
  else {
    let text = formatText(shown, docs.length);
    if (opts.fix && fixedProblems > 0) text = `Fixed ${fixedProblems} ${fixedProblems === 1 ? 'problem' : 'problems'} in ${fixedFiles} ${fixedFiles === 1 ? 'file' : 'files'}.\n` + text;
    io.out(text);
  }
  if (opts.fix && fixedProblems > 0 && opts.format !== 'text') {
    io.err(`readiness: fixed ${fixedProblems} ${fixedProblems === 1 ? 'problem' : 'problems'} in ${fixedFiles} ${fixedFiles === 1 ? 'file' : 'files'}.\n`);
  }
  if (docs.length === 0 && files.length === 0) warn('no Markdown files found.');

  const counts = countFindings(all);
  const tooManyWarnings = opts.maxWarnings !== undefined && counts.warnings > opts.maxWarnings;
  if (tooManyWarnings) io.err(`readiness: too many warnings (${counts.warnings}); the maximum is ${opts.maxWarnings}.\n`);
  if (configProblems.length) io.err(`readiness: the configuration is invalid; the defaults apply where it is wrong.\n`);

  if (configProblems.length || internalErrors) return 2;
  if (counts.errors > 0 || tooManyWarnings) return 1;
  return 0;
}

function makeConfigSource(rootPosix: string, configFile: string | undefined, cwd: string): ConfigSource {
  if (configFile === undefined) {
    const loader = new ConfigLoader(rootPosix);
    return { forDocument: (p) => loader.forDocument(p), forDir: (d) => loader.forDir(d) };
  }
  const abs = nodePath.resolve(cwd, configFile);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the configuration file ${configFile} (${(e as NodeJS.ErrnoException)?.code ?? 'error'}).`);
  }
  const posix = toPosix(abs);
  const parsed = parseConfig(text, posixDirname(posix));
  const loaded: LoadedConfig = { config: parsed.config, path: posix, problems: parsed.problems };
  return { forDocument: () => loaded, forDir: () => loaded };
}

type ReadResult = { kind: 'text'; text: string; utf8: boolean } | { kind: 'binary' } | { kind: 'too-large'; size: number };

/** Reads a file once: binary (a NUL in the first 8 KB), text, or too large to be worth reading at all. */
function readDocument(abs: string, maxFileSize: number, checkUtf8: boolean): ReadResult {
  const fd = fs.openSync(abs, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxFileSize && size > NEVER_READ_ABOVE) {
      const head = Buffer.alloc(BINARY_SNIFF);
      const n = fs.readSync(fd, head, 0, BINARY_SNIFF, 0);
      return head.subarray(0, n).includes(0) ? { kind: 'binary' } : { kind: 'too-large', size };
    }
    const buf = fs.readFileSync(fd);
    if (buf.subarray(0, BINARY_SNIFF).includes(0)) return { kind: 'binary' };
    const text = buf.toString('utf8');
    return { kind: 'text', text, utf8: !checkUtf8 || Buffer.from(text, 'utf8').equals(buf) };
  } finally {
    fs.closeSync(fd);
  }
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** True when this module is the program node was asked to run (through the npm bin link or not). */
function isMainModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(fs.realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

// Run when executed (dist/cli.cjs, or out/server/src/cli.js), not when imported.
if (isMainModule()) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`readiness: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
