/**
 * The corpus record: `npm run corpus -- [--update] [--today YYYY-MM-DD] [DIR…]`.
 *
 * Lints folders of real readiness documents with the engine (not the CLI) and compares the findings with
 * test/corpus/expected.txt, one line per finding:
 *
 *     <path>:<line>:<col> <RULE-ID> <message>  # <justification>
 *
 * so that a change in what the product says about real documents shows up as a diff to review, not as
 * an accident. The comparison ignores the `  # justification` part and the order of the lines. On a
 * difference it prints the lines only in the record (`- …`) and only in this run (`+ …`) and exits 1.
 * `--update` rewrites the record: unchanged lines keep their justification, new ones get `# TODO: justify`.
 *
 * - Folders default to ../shared/examples and ../shared/corpus beside the repository. A missing default
 *   folder is noted and skipped (exit 0 when none is there); a missing folder named on the command line is
 *   an error (exit 2).
 * - The workspace root is the common parent of the folders (../shared by default): links resolve inside
 *   it, and paths in the record are relative to it, so they read `corpus/fmea/….md`.
 * - Only the record lines under the folders linted are compared (and replaced by --update); the rest are
 *   kept, so `npm run corpus -- ../shared/corpus` checks the corpus alone.
 * - Today is 2026-11-23 unless --today says otherwise, so staleness findings do not drift with the clock.
 *
 * Under `node --test` (npm test runs every file under out/test/) the script does not lint anything — npm
 * test must not need ../shared — and runs self-checks of its record logic instead.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildModel,
  byteLength,
  lintModel,
  lintText,
  WorkspaceIndex,
  type Config,
  type DocumentModel,
  type Finding,
} from '../../server/src/engine/index.js';
import { ConfigLoader, createFsWorkspace, toPosix } from '../../server/src/node/fsWorkspace.js';
import { REPO_ROOT } from '../helpers/paths.js';

export const DEFAULT_TODAY = '2026-11-23';
export const EXPECTED_FILE = nodePath.join(REPO_ROOT, 'test', 'corpus', 'expected.txt');
const DEFAULT_DIRS = ['../shared/examples', '../shared/corpus'];
export const TODO = 'TODO: justify';
const SEP = '  # ';

export const HEADER = `# Corpus record: what Readiness says about real readiness documents (test/corpus/README.md).
#
# Written by \`npm run corpus -- --update\` (test/corpus/run.ts); checked by \`npm run corpus\` and by .ci/run,
# which lint ../shared/examples and ../shared/corpus with the engine, today fixed to ${DEFAULT_TODAY}.
#
# One line per finding:   <path>:<line>:<col> <RULE-ID> <message>  # <justification>
#   path    relative to the common parent of the linted folders (../shared), so corpus/… and examples/…
#   line    1-based, col 1-based (UTF-16 units, as editors count)
#   after "  # ": why the document's authors would agree with the finding. The comparison ignores it
#   and the order of the lines; --update keeps it for unchanged lines.
#   "# TODO: justify"          a new finding nobody has read yet: read the document, then justify it;
#   "# FALSE POSITIVE: <why>"  a finding the product should not make: a rule to fix, not to record.
# Lines that start with "#" and blank lines are not findings.
`;

/** One finding line of the record: its comparable key and its justification. */
export interface Entry {
  key: string;
  justification: string;
}

interface SortKey {
  path: string;
  line: number;
  col: number;
  rest: string;
}

function sortKey(key: string): SortKey {
  const m = /^(.+?):(\d+):(\d+) (.*)$/.exec(key);
  if (!m) return { path: key, line: 0, col: 0, rest: '' };
  return { path: m[1]!, line: Number(m[2]), col: Number(m[3]), rest: m[4]! };
}

/** Orders keys by path, then line and column as numbers, then rule and message. */
export function compareKeys(a: string, b: string): number {
  const x = sortKey(a);
  const y = sortKey(b);
  if (x.path !== y.path) return x.path < y.path ? -1 : 1;
  if (x.line !== y.line) return x.line - y.line;
  if (x.col !== y.col) return x.col - y.col;
  return x.rest < y.rest ? -1 : x.rest > y.rest ? 1 : 0;
}

/** The path part of a key. */
export function keyPath(key: string): string {
  return sortKey(key).path;
}

/** Parses the record's text: comments and blank lines skipped, each line split at the first "  # ". */
export function parseRecord(text: string): Entry[] {
  const out: Entry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const i = line.indexOf(SEP);
    out.push(i < 0 ? { key: line.trim(), justification: '' } : { key: line.slice(0, i).trim(), justification: line.slice(i + SEP.length).trim() });
  }
  return out;
}

/** The record line of a finding, before its justification. Messages are kept on one line. */
export function findingKey(relPath: string, f: Finding, replacements: readonly [string, string][] = []): string {
  let message = f.message;
  for (const [from, to] of replacements) if (from) message = message.split(from).join(to);
  message = message.replace(/\s+/g, ' ').trim();
  return `${relPath}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} ${message}`;
}

export interface Comparison {
  onlyExpected: string[];
  onlyActual: string[];
}

/** Multiset difference of the keys, each side sorted. */
export function compareRecords(expected: readonly string[], actual: readonly string[]): Comparison {
  const count = new Map<string, number>();
  for (const k of expected) count.set(k, (count.get(k) ?? 0) + 1);
  const onlyActual: string[] = [];
  for (const k of actual) {
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else onlyActual.push(k);
  }
  const onlyExpected: string[] = [];
  for (const [k, n] of count) for (let i = 0; i < n; i++) onlyExpected.push(k);
  return { onlyExpected: onlyExpected.sort(compareKeys), onlyActual: onlyActual.sort(compareKeys) };
}

/**
 * The new record: the entries outside the linted scope as they were, and the actual keys, each with the
 * justification an identical old line had (repeats matched in order), or TODO.
 */
export function mergeRecord(old: readonly Entry[], actual: readonly string[], inScope: (path: string) => boolean): Entry[] {
  const kept = old.filter((e) => !inScope(keyPath(e.key)));
  const reasons = new Map<string, string[]>();
  for (const e of old) {
    if (!inScope(keyPath(e.key))) continue;
    const list = reasons.get(e.key) ?? [];
    list.push(e.justification);
    reasons.set(e.key, list);
  }
  const fresh = actual.map((key) => {
    const j = reasons.get(key)?.shift();
    return { key, justification: j || TODO };
  });
  return [...kept, ...fresh].sort((a, b) => compareKeys(a.key, b.key));
}

/** The record's text: the header, then the entries grouped by file. */
export function renderRecord(entries: readonly Entry[]): string {
  const lines: string[] = [HEADER.trimEnd()];
  let last: string | undefined;
  for (const e of entries) {
    const p = keyPath(e.key);
    if (p !== last) {
      lines.push('');
      last = p;
    }
    lines.push(`${e.key}${SEP}${e.justification || TODO}`);
  }
  return lines.join('\n') + '\n';
}

/** A scope test: the path is one of the linted folders' relative paths or lies below one. */
export function scopeOf(relDirs: readonly string[]): (path: string) => boolean {
  return (p) => relDirs.some((d) => d === '.' || d === '' || p === d || p.startsWith(d.endsWith('/') ? d : d + '/'));
}

/** The deepest folder that holds every path (absolute OS paths). */
export function commonParent(paths: readonly string[]): string {
  let common = paths[0]!;
  const holds = (dir: string, p: string) => {
    const rel = nodePath.relative(dir, p);
    return rel === '' || (!rel.startsWith('..') && !nodePath.isAbsolute(rel));
  };
  while (!paths.every((p) => holds(common, p))) {
    const up = nodePath.dirname(common);
    if (up === common) break;
    common = up;
  }
  return common;
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = nodePath.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      out.push(...markdownFiles(p));
    } else if (e.isFile() && /\.(?:md|markdown)$/i.test(e.name)) out.push(p);
  }
  return out;
}

interface Args {
  dirs: string[];
  explicit: boolean;
  update: boolean;
  today: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const dirs: string[] = [];
  let update = false;
  let today = DEFAULT_TODAY;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--update' || a === '-u') update = true;
    else if (a === '--today' || a.startsWith('--today=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError('--today expects a date as YYYY-MM-DD, such as 2026-11-23.');
      today = v;
    } else if (a === '--help' || a === '-h') {
      throw new UsageError('usage: npm run corpus -- [--update] [--today YYYY-MM-DD] [DIR…]  (default DIRs: ../shared/examples ../shared/corpus)');
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}; expected --update, --today or folders.`);
    else dirs.push(a);
  }
  return { dirs: dirs.length ? dirs : DEFAULT_DIRS, explicit: dirs.length > 0, update, today };
}

/** Lints the folders; returns the record keys of their findings and the number of files linted. */
export function lintFolders(rootAbs: string, inputs: readonly string[], today: string): { keys: string[]; files: number } {
  const rootPosix = toPosix(rootAbs);
  const workspace = createFsWorkspace(rootAbs);
  const configs = new ConfigLoader(rootPosix);
  const index = new WorkspaceIndex();
  const files = [...new Set(inputs.flatMap((d) => (fs.statSync(d).isDirectory() ? markdownFiles(d) : [d])))];
  const docs: { rel: string; config: Config; model?: DocumentModel; findings: Finding[] }[] = [];
  const rel = (abs: string) => nodePath.relative(rootAbs, abs).split(nodePath.sep).join('/');
  for (const abs of files) {
    const posix = toPosix(abs);
    const { config } = configs.forDocument(posix);
    const text = fs.readFileSync(abs, 'utf8');
    if (byteLength(text) > config.maxFileSize) {
      docs.push({ rel: rel(abs), config, findings: lintText(text, posix, { config, workspace, index, today }).findings });
      continue;
    }
    const model = buildModel(text, posix, config);
    index.update(model);
    docs.push({ rel: rel(abs), config, model, findings: [] });
  }
  // Absolute paths in messages (the workspace root) would tie the record to one machine.
  const replacements: [string, string][] = [
    [rootPosix, '<root>'],
    [toPosix(REPO_ROOT), '<repo>'],
  ];
  const keys: string[] = [];
  for (const d of docs) {
    if (d.model) d.findings = lintModel(d.model, { config: d.config, workspace, index, today });
    for (const f of d.findings) keys.push(findingKey(d.rel, f, replacements));
  }
  return { keys: keys.sort(compareKeys), files: files.length };
}

export function main(argv: readonly string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`corpus: ${(e as Error).message}\n`);
    return 2;
  }
  const base = process.env.INIT_CWD ?? process.cwd();
  const resolved = args.dirs.map((d) => (args.explicit ? nodePath.resolve(base, d) : nodePath.resolve(REPO_ROOT, d)));
  const present: string[] = [];
  for (let i = 0; i < resolved.length; i++) {
    if (fs.existsSync(resolved[i]!)) present.push(fs.realpathSync(resolved[i]!));
    else if (args.explicit) {
      process.stderr.write(`corpus: no such folder: ${args.dirs[i]}\n`);
      return 2;
    } else process.stdout.write(`corpus: note: ${args.dirs[i]} (${resolved[i]}) is not there; skipped. The corpus lives beside the repository, in ../shared.\n`);
  }
  if (!present.length) {
    process.stdout.write('corpus: nothing to lint; no comparison made.\n');
    return 0;
  }

  // Root: the common parent of the folders (a lone folder's parent, so its name stays in the paths).
  const root = commonParent(present.map((p) => nodePath.dirname(p)));
  const relDirs = present.map((p) => nodePath.relative(root, p).split(nodePath.sep).join('/'));
  const inScope = scopeOf(relDirs);
  const { keys, files } = lintFolders(root, present, args.today);

  const oldText = fs.existsSync(EXPECTED_FILE) ? fs.readFileSync(EXPECTED_FILE, 'utf8') : '';
  const old = parseRecord(oldText);
  const expected = old.filter((e) => inScope(keyPath(e.key))).map((e) => e.key);
  const { onlyExpected, onlyActual } = compareRecords(expected, keys);
  const differences = onlyExpected.length + onlyActual.length;

  if (args.update) {
    const merged = mergeRecord(old, keys, inScope);
    fs.writeFileSync(EXPECTED_FILE, renderRecord(merged));
    const todo = merged.filter((e) => e.justification === TODO || !e.justification).length;
    process.stdout.write(`corpus: ${keys.length} findings in ${files} files, ${differences} differences; wrote ${nodePath.relative(process.cwd(), EXPECTED_FILE) || EXPECTED_FILE}${todo ? ` (${todo} to justify)` : ''}.\n`);
    return 0;
  }

  if (differences) {
    process.stdout.write(`--- ${nodePath.relative(process.cwd(), EXPECTED_FILE)} (recorded)\n+++ this run (${relDirs.join(', ')} under ${root}, today ${args.today})\n`);
    const marked = [...onlyExpected.map((k) => ({ k, s: '-' })), ...onlyActual.map((k) => ({ k, s: '+' }))].sort((a, b) => compareKeys(a.k, b.k) || (a.s < b.s ? -1 : 1));
    for (const { k, s } of marked) process.stdout.write(`${s} ${k}\n`);
    process.stdout.write('Review the difference; if the new findings are right, run `npm run corpus -- --update` and justify the new lines.\n');
  }
  process.stdout.write(`corpus: ${keys.length} findings in ${files} files, ${differences} differences\n`);
  return differences ? 1 : 0;
}

if (process.argv[1] && nodePath.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
