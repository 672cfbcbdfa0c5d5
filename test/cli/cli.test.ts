/**
 * The `readiness` CLI, run as a child process from the bundle (dist/cli.cjs). Each test works in its
 * own temporary folder, so paths in the output are short and relative, and nothing in the repository
 * is touched (or ignored by the repository's .gitignore).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Sarif from 'sarif';

// out/test/cli/cli.test.js → the repository root is three levels up.
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.cjs');
const FIXTURES = path.join(REPO, 'test', 'cli', 'fixtures');
const TODAY = ['--today', '2026-06-01'];
const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, timeoutMs = 10_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`readiness ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const temps: string[] = [];
after(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

/** A fresh temporary folder holding a copy of the named fixtures plus extra files. */
function workspace(fixtures: string[], extra: Record<string, string | Buffer> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-cli-')));
  temps.push(dir);
  for (const f of fixtures) fs.cpSync(path.join(FIXTURES, f), dir, { recursive: true });
  for (const [rel, content] of Object.entries(extra)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  rule: string;
  ruleName: string;
  message: string;
}

function parseJson(r: Run): JsonFinding[] {
  try {
    return JSON.parse(r.stdout) as JsonFinding[];
  } catch {
    assert.fail(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** 1-based line of the first line of `file` containing `needle`. */
function lineOf(file: string, needle: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file}`);
  return i + 1;
}

/** The text at a 1-based line/column of a file. */
function textAt(file: string, line: number, column: number, endColumn: number): string {
  return fs.readFileSync(file, 'utf8').split('\n')[line - 1]!.slice(column - 1, endColumn - 1);
}

const LINE = /^(.+?):(\d+):(\d+)  (error|warning|info)  (.+)  (RD\d{3})$/;

describe('readiness lint (text)', { concurrency: true }, () => {
  it('prints one located line per finding, a summary, and exits 1 on an error', async () => {
    const dir = workspace(['register']);
    const r = await run(['lint', ...TODAY], dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const findings = lines.slice(0, -1);
    for (const l of findings) assert.match(l, LINE);

    const rpn = findings.find((l) => l.endsWith('  RD002'));
    assert.ok(rpn, `no RD002 line in:\n${r.stdout}`);
    const [, file, line, col, sev] = LINE.exec(rpn)!;
    assert.equal(file, 'gaps.md');
    assert.equal(sev, 'error');
    assert.equal(Number(line), lineOf(path.join(dir, 'gaps.md'), 'G-002'));
    assert.ok(Number(col) > 1);

    const owner = findings.find((l) => l.endsWith('  RD005'));
    assert.ok(owner, `no RD005 line in:\n${r.stdout}`);
    assert.match(owner, /^gaps\.md:\d+:\d+  warning  /);
    assert.equal(Number(LINE.exec(owner)![2]), lineOf(path.join(dir, 'gaps.md'), 'G-003'));

    const summary = lines.at(-1)!;
    const m = /^✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?, (\d+) info\) in 1 file$/.exec(summary);
    assert.ok(m, `bad summary: ${summary}`);
    assert.equal(Number(m[1]), findings.length);
    assert.equal(Number(m[2]), findings.filter((l) => l.includes('  error  ')).length);
    assert.equal(Number(m[3]), findings.filter((l) => l.includes('  warning  ')).length);
  });

  it('prints paths relative to the current folder', async () => {
    const dir = workspace([], {});
    fs.cpSync(path.join(FIXTURES, 'register'), path.join(dir, 'docs', 'risk'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    const r = await run(['lint', ...TODAY, '../docs'], path.join(dir, 'elsewhere'));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^\.\.\/docs\/risk\/gaps\.md:\d+:\d+  error  .*  RD002$/m);
  });

  it('exits 0 and says so when there is nothing to report', async () => {
    const dir = workspace(['clean']);
    const r = await run(['lint', ...TODAY, '.'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'No problems found in 1 file.\n');
  });

  it('--quiet reports errors only', async () => {
    const dir = workspace(['register']);
    const r = await run(['lint', ...TODAY, '--quiet'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /  RD002$/m);
    assert.doesNotMatch(r.stdout, /  (warning|info)  /);
  });

  it('lints an explicitly named file whatever its extension', async () => {
    const dir = workspace([], { 'gaps.txt': fs.readFileSync(path.join(FIXTURES, 'register', 'gaps.md')) });
    const r = await run(['lint', ...TODAY, 'gaps.txt'], dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^gaps\.txt:\d+:\d+  error  .*  RD002$/m);
    // A folder walk does not pick it up.
    const walked = await run(['lint', ...TODAY, '.'], dir);
    assert.equal(walked.code, 0);
    assert.match(walked.stdout, /No problems found in 0 files\./);
  });

  it('reports a document above maxFileSize once instead of linting it', async () => {
    const dir = workspace(['register'], { '.readiness.yaml': 'maxFileSize: 100\n' });
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
    const findings = parseJson(r);
    assert.deepEqual(
      findings.map((f) => [f.file, f.rule, f.line, f.column]),
      [['gaps.md', 'RD091', 1, 1]],
    );
    assert.equal(r.code, 0);
  });
});

describe('readiness lint: bad usage exits 2', { concurrency: true }, () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['lint', '--frobnicate'], /unknown option '--frobnicate'/],
    ['an unknown format', ['lint', '--format', 'xml'], /xml/],
    ['a path that does not exist', ['lint', 'no-such-dir'], /no-such-dir/],
    ['a bad --today', ['lint', '--today', '2026-02-30'], /--today/],
    ['a bad --max-warnings', ['lint', '--max-warnings', 'many'], /--max-warnings/],
    ['an unknown command', ['frobnicate'], /frobnicate/],
    ['a missing --config file', ['lint', '--config', 'nope.yaml'], /nope\.yaml/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const dir = workspace(['register']);
      const r = await run(args, dir);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr.split('\n')[0]!, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace was printed');
      assert.equal(r.stdout, '', 'nothing is linted on bad usage');
    });
  }
});

describe('readiness lint --format json', { concurrency: true }, () => {
  it('prints an array of findings with 1-based positions', async () => {
    const dir = workspace(['register']);
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const findings = parseJson(r);
    assert.ok(Array.isArray(findings));
    for (const f of findings) {
      assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'ruleName', 'severity']);
      assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line);
    }
    const rpn = findings.filter((f) => f.rule === 'RD002');
    assert.equal(rpn.length, 1, JSON.stringify(findings, null, 2));
    const f = rpn[0]!;
    assert.equal(f.file, 'gaps.md');
    assert.equal(f.severity, 'error');
    assert.equal(f.ruleName, 'rpn-mismatch');
    const gaps = path.join(dir, 'gaps.md');
    assert.equal(f.line, lineOf(gaps, 'G-002'));
    // The range covers the wrong RPN cell: 1-based columns, end exclusive.
    assert.equal(f.endLine, f.line);
    assert.equal(textAt(gaps, f.line, f.column, f.endColumn), '100');

    const owner = findings.filter((x) => x.rule === 'RD005');
    assert.equal(owner.length, 1);
    assert.equal(owner[0]!.severity, 'warning');
    assert.equal(owner[0]!.ruleName, 'owner-missing');
    assert.equal(owner[0]!.line, lineOf(gaps, 'G-003'));
  });

  it('prints an empty array for a clean folder', async () => {
    const dir = workspace(['clean']);
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual(parseJson(r), []);
  });
});

describe('readiness lint --format sarif', () => {
  it('prints a SARIF 2.1.0 log whose results reference its rules', async () => {
    const dir = workspace(['register']);
    const r = await run(['lint', ...TODAY, '--format', 'sarif'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout) as Sarif.Log;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema ?? '', /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run0 = log.runs[0]!;
    const driver = run0.tool.driver;
    assert.equal(driver.name, 'readiness');
    assert.equal(driver.version, VERSION);
    assert.match(driver.informationUri ?? '', /^https:\/\//);
    const rules = driver.rules ?? [];
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      assert.match(rule.id, /^RD\d{3}$/);
      assert.ok(rule.name && rule.shortDescription?.text);
      assert.match(rule.helpUri ?? '', new RegExp(`^https://.*${rule.id}\\.md$`));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration?.level ?? ''));
    }
    assert.equal(new Set(rules.map((x) => x.id)).size, rules.length, 'rule ids are unique');
    assert.equal(rules.find((x) => x.id === 'RD002')?.defaultConfiguration?.level, 'error');

    const results = run0.results ?? [];
    assert.ok(results.length > 0);
    for (const res of results) {
      assert.equal(rules[res.ruleIndex!]!.id, res.ruleId, 'ruleIndex points at the rule');
      assert.ok(['error', 'warning', 'note'].includes(res.level!));
      const loc = res.locations![0]!.physicalLocation!;
      assert.equal(loc.artifactLocation!.uri, 'gaps.md');
      assert.ok(loc.region!.startLine! >= 1 && loc.region!.startColumn! >= 1);
    }
    const gaps = path.join(dir, 'gaps.md');
    const rpn = results.find((x) => x.ruleId === 'RD002')!;
    assert.ok(rpn, 'an RD002 result');
    assert.equal(rpn.level, 'error');
    assert.equal(rpn.locations![0]!.physicalLocation!.region!.startLine, lineOf(gaps, 'G-002'));
    const replacement = rpn.fixes?.[0]?.artifactChanges[0]?.replacements[0];
    assert.ok(replacement, 'the RD002 result carries its fix');
    assert.equal(replacement.insertedContent?.text, '120');
    const del = replacement.deletedRegion;
    assert.equal(textAt(gaps, del.startLine!, del.startColumn!, del.endColumn!), '100');
    assert.equal(results.find((x) => x.ruleId === 'RD005')?.level, 'warning');
  });
});

describe('readiness lint --max-warnings', { concurrency: true }, () => {
  it('exits 1 only when the warnings exceed the maximum', async () => {
    const dir = workspace(['warn-only']);
    const base = await run(['lint', ...TODAY, '--format', 'json'], dir);
    const findings = parseJson(base);
    assert.equal(findings.filter((f) => f.severity === 'error').length, 0, JSON.stringify(findings, null, 2));
    assert.equal(base.code, 0, 'warnings alone do not fail');
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    assert.ok(findings.some((f) => f.rule === 'RD005' && f.severity === 'warning'));

    const atLimit = await run(['lint', ...TODAY, '--max-warnings', String(warnings)], dir);
    assert.equal(atLimit.code, 0, atLimit.stdout + atLimit.stderr);
    const over = await run(['lint', ...TODAY, '--max-warnings', String(warnings - 1)], dir);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /too many warnings/);
  });
});

describe('readiness lint --fix', () => {
  it('writes the fixed file and reports what remains', async () => {
    const dir = workspace(['register']);
    const gaps = path.join(dir, 'gaps.md');
    const before = fs.readFileSync(gaps, 'utf8');
    const r = await run(['lint', ...TODAY, '--fix', '--format', 'json'], dir);
    const after = fs.readFileSync(gaps, 'utf8');
    assert.notEqual(after, before);
    const row = after.split('\n').find((l) => l.includes('G-002'))!;
    assert.match(row, /\|\s*5\s*\|\s*120\s*\|\s*High\s*\|/);
    // Nothing else on the line changed, and the untouched rows are as they were.
    assert.equal(row, before.split('\n').find((l) => l.includes('G-002'))!.replace('| 100 |', '| 120 |'));
    assert.equal(after.split('\n').find((l) => l.includes('G-001')), before.split('\n').find((l) => l.includes('G-001')));

    const remaining = parseJson(r);
    assert.equal(remaining.filter((f) => f.rule === 'RD002').length, 0, 'the fixed finding is gone');
    assert.equal(remaining.filter((f) => f.rule === 'RD005').length, 1, 'the unfixable one remains');
    assert.equal(r.code, remaining.some((f) => f.severity === 'error') ? 1 : 0);
    assert.match(r.stderr, /fixed \d+ problems? in 1 file/);

    // A second run has nothing left to fix and leaves the file alone.
    const again = await run(['lint', ...TODAY, '--fix'], dir);
    assert.equal(fs.readFileSync(gaps, 'utf8'), after);
    assert.doesNotMatch(again.stdout, /RD002/);
  });

  it('without --fix leaves the file alone', async () => {
    const dir = workspace(['register']);
    const gaps = path.join(dir, 'gaps.md');
    const before = fs.readFileSync(gaps, 'utf8');
    await run(['lint', ...TODAY], dir);
    assert.equal(fs.readFileSync(gaps, 'utf8'), before);
  });
});

describe('readiness lint: which files', { concurrency: true }, () => {
  const register = fs.readFileSync(path.join(FIXTURES, 'register', 'gaps.md'));
  // With a tiny maxFileSize every linted document gets exactly one RD091 finding, so the findings list
  // the files that were linted, whatever the rules say about their content.
  const TINY = 'maxFileSize: 10\n';
  const lintedFiles = (r: Run) => {
    const findings = parseJson(r);
    assert.ok(findings.every((f) => f.rule === 'RD091'), JSON.stringify(findings, null, 2));
    return findings.map((f) => f.file).sort();
  };

  it('skips git-ignored files, nested .gitignore files and node_modules', async () => {
    const dir = workspace([], {
      '.readiness.yaml': TINY,
      '.gitignore': 'drafts/\n*.local.md\n',
      'docs/gaps.md': register,
      'docs/.gitignore': 'private/\n',
      'docs/private/gaps.md': register,
      'docs/mine.local.md': register,
      'drafts/gaps.md': register,
      'node_modules/pkg/gaps.md': register,
      'other/private/gaps.md': register,
    });
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
    // docs/.gitignore applies below docs/ only, so other/private is linted.
    assert.deepEqual(lintedFiles(r), ['docs/gaps.md', 'other/private/gaps.md']);
    // Naming an ignored folder says why nothing is linted there.
    const named = await run(['lint', ...TODAY, '--format', 'json', 'drafts'], dir);
    assert.deepEqual(lintedFiles(named), []);
    assert.match(named.stderr, /drafts.*ignored/);
  });

  it('skips the globs of the configuration ignore list', async () => {
    const dir = workspace([], {
      '.readiness.yaml': TINY + 'ignore:\n  - archive/\n  - "*.draft.md"\n',
      'gaps.md': register,
      'archive/gaps.md': register,
      'docs/next.draft.md': register,
      'docs/gaps.markdown': register,
    });
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
    assert.deepEqual(lintedFiles(r), ['docs/gaps.markdown', 'gaps.md']);
  });

  it('skips a binary file', async () => {
    const binary = Buffer.concat([register, Buffer.from([0, 1, 2, 0])]);
    const dir = workspace(['clean'], { 'blob.md': binary });
    const r = await run(['lint', ...TODAY], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'No problems found in 1 file.\n');
    assert.match(r.stderr, /blob\.md: binary/);
  });

  it('finishes on a symbolic link loop and lints each file once', { skip: process.platform === 'win32' }, async () => {
    const dir = workspace([], { '.readiness.yaml': TINY, 'docs/gaps.md': register });
    fs.symlinkSync('..', path.join(dir, 'docs', 'up'));
    fs.symlinkSync('.', path.join(dir, 'docs', 'self'));
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir, 5_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /loop/);
    assert.deepEqual(lintedFiles(r), ['docs/gaps.md']);
  });

  it('warns about an unreadable folder and lints the rest', { skip: process.platform === 'win32' || process.getuid?.() === 0 }, async () => {
    const dir = workspace([], { '.readiness.yaml': TINY, 'a/gaps.md': register, 'b/gaps.md': register });
    fs.chmodSync(path.join(dir, 'a'), 0o000);
    try {
      const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
      assert.match(r.stderr, /cannot read the folder/);
      assert.deepEqual(lintedFiles(r), ['b/gaps.md']);
    } finally {
      fs.chmodSync(path.join(dir, 'a'), 0o755);
    }
  });
});

describe('readiness lint: configuration', { concurrency: true }, () => {
  it('reports a malformed .readiness.yaml at its location, still lints with the defaults, and exits 2', async () => {
    const dir = workspace(['register'], { '.readiness.yaml': 'staleAfterDays: 30\nrulez:\n  RD005: off\n' });
    const r = await run(['lint', ...TODAY], dir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /^\.readiness\.yaml:2:1  error  .*rulez.*  RD090$/m);
    // The misspelt setting did not turn RD005 off; the findings are printed.
    assert.match(r.stdout, /^gaps\.md:\d+:\d+  error  .*  RD002$/m);
    assert.match(r.stdout, /^gaps\.md:\d+:\d+  warning  .*  RD005$/m);
  });

  it('reports invalid YAML the same way', async () => {
    const dir = workspace(['register'], { '.readiness.yaml': 'rules:\n  RD005: [off\n' });
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
    assert.equal(r.code, 2);
    const findings = parseJson(r);
    const config = findings.filter((f) => f.rule === 'RD090');
    assert.ok(config.length >= 1);
    assert.equal(config[0]!.file, '.readiness.yaml');
    assert.equal(config[0]!.severity, 'error');
    assert.ok(findings.some((f) => f.rule === 'RD002'));
  });

  it('applies a valid configuration (rule severities)', async () => {
    const dir = workspace(['register'], { '.readiness.yaml': 'rules:\n  owner-missing: off\n  RD002: warning\n' });
    const r = await run(['lint', ...TODAY, '--format', 'json'], dir);
    const findings = parseJson(r);
    assert.equal(findings.filter((f) => f.rule === 'RD005').length, 0);
    assert.equal(findings.find((f) => f.rule === 'RD002')?.severity, 'warning');
    assert.equal(r.code, findings.some((f) => f.severity === 'error') ? 1 : 0);
  });

  it('--config uses the given file instead of discovery', async () => {
    const dir = workspace(['register'], {
      '.readiness.yaml': 'rules:\n  RD002: off\n',
      'ci/strict.yaml': 'rules:\n  RD005: off\n',
    });
    const r = await run(['lint', ...TODAY, '--format', 'json', '--config', 'ci/strict.yaml'], dir);
    const rules = new Set(parseJson(r).map((f) => f.rule));
    assert.ok(rules.has('RD002'), 'the discovered file is not used');
    assert.ok(!rules.has('RD005'), 'the given file is used');
  });
});

describe('readiness rules and --version', { concurrency: true }, () => {
  it('lists the rules', async () => {
    const r = await run(['rules'], REPO);
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+NAME\s+SEVERITY\s+DESCRIPTION$/);
    assert.match(r.stdout, /^RD002\s+rpn-mismatch\s+error\s+\S/m);
    assert.match(r.stdout, /^RD005\s+owner-missing\s+warning\s+\S/m);
    assert.match(r.stdout, /^RD090\s+config-invalid\s+error\s+\S/m);
  });

  it('prints the version', async () => {
    const r = await run(['--version'], REPO);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), VERSION);
  });
});
