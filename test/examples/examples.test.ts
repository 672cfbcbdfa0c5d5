/**
 * The README's demo, `npx readiness lint examples`, must keep printing what the README says it prints.
 * examples/ holds a small readiness folder (a gap register, an FMEA, a summary, a runbook and evidence)
 * with a few deliberate mistakes; this test lints it the way the CLI does (one index over every document
 * first, then each document against it, configuration from examples/.readiness.yaml) and asserts that
 * exactly the planted findings come out — no more, no fewer — and that the correct rows stay clean.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { buildModel, lintModel, WorkspaceIndex, type DocumentModel, type Finding, type Config } from '../../server/src/engine/index.js';
import { ConfigLoader, createFsWorkspace, toPosix } from '../../server/src/node/fsWorkspace.js';
import { REPO_ROOT } from '../helpers/paths.js';

const EXAMPLES = join(REPO_ROOT, 'examples');

/** Every planted finding: `<file relative to examples/>:<1-based line> <RULE-ID>`, and why it is there. */
const PLANTED: Record<string, string> = {
  'FMEA.md:13 RD002': 'FM-003 states RPN 120, but 7 × 5 × 4 = 140',
  'FMEA.md:15 RD003': 'FM-005 scores Severity 11 on a 1–10 scale',
  'GAP_REGISTER.md:14 RD005': 'G-004 is open and its Owner cell is empty',
  'GAP_REGISTER.md:16 RD002': 'G-006 states RPN 64, but 5 × 4 × 3 = 60',
  'GAP_REGISTER.md:17 RD004': 'G-007 has RPN 36 (Low band) but says Medium',
  'GAP_REGISTER.md:18 RD006': 'G-008 is Done with an empty Evidence cell',
  'GAP_REGISTER.md:19 RD007': 'G-009 links evidence/burst-test-2026-10.md, which does not exist',
  'GAP_REGISTER.md:20 RD009': 'G-010 is Open and was due 2026-10-31, before the register was last reviewed',
  'README.md:16 RD011': 'the summary quotes RPN 105 for G-003; the register holds 140',
  'README.md:26 RD012': 'G-014 is mentioned but no register defines it',
};

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...markdownFiles(p));
    else if (/\.md$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

interface Linted {
  rel: string;
  model: DocumentModel;
  config: Config;
  findings: Finding[];
}

/** Lints examples/ as the CLI does from the repository root. */
function lintExamples(): Linted[] {
  const rootPosix = toPosix(REPO_ROOT);
  const workspace = createFsWorkspace(REPO_ROOT);
  const configs = new ConfigLoader(rootPosix);
  const index = new WorkspaceIndex();
  const docs: Linted[] = [];
  for (const file of markdownFiles(EXAMPLES)) {
    const posix = toPosix(file);
    const loaded = configs.forDocument(posix);
    assert.deepEqual(loaded.problems, [], `configuration problems for ${file}`);
    const model = buildModel(readFileSync(file, 'utf8'), posix, loaded.config);
    index.update(model);
    docs.push({ rel: relative(EXAMPLES, file).split(sep).join('/'), model, config: loaded.config, findings: [] });
  }
  for (const d of docs) d.findings = lintModel(d.model, { config: d.config, workspace, index });
  return docs;
}

describe('examples/ (the README demo)', () => {
  const docs = lintExamples();
  const all = docs.flatMap((d) => d.findings.map((f) => ({ rel: d.rel, f })));
  const key = (rel: string, f: Finding) => `${rel}:${f.range.start.line + 1} ${f.ruleId}`;

  it('pins today in examples/.readiness.yaml, so the output does not change with the calendar', () => {
    for (const d of docs) assert.equal(d.config.today, '2026-11-23', d.rel);
  });

  it('detects the kind of each document', () => {
    const kinds = Object.fromEntries(docs.map((d) => [d.rel, d.model.kind]));
    assert.equal(kinds['GAP_REGISTER.md'], 'gap-register');
    assert.equal(kinds['FMEA.md'], 'fmea');
    assert.equal(kinds['README.md'], 'summary');
    assert.equal(kinds['runbooks/rollback.md'], 'runbook');
  });

  it('reports exactly the planted findings', () => {
    const actual = all.map(({ rel, f }) => `${key(rel, f)}  (${f.message})`).sort();
    const got = all.map(({ rel, f }) => key(rel, f)).sort();
    assert.deepEqual(got, Object.keys(PLANTED).sort(), `actual findings:\n${actual.join('\n')}`);
  });

  it('keeps the correct rows, the runbook and the evidence files clean', () => {
    for (const rel of ['runbooks/rollback.md', 'evidence/failover-test-2026-09.md', 'evidence/backup-restore-2026-08.md']) {
      assert.deepEqual(docs.find((d) => d.rel === rel)?.findings.map((f) => f.message), [], rel);
    }
    const flaggedRows = new Set(all.filter(({ rel }) => rel === 'GAP_REGISTER.md').map(({ f }) => f.range.start.line + 1));
    // G-001, G-002, G-003, G-005 and G-011 (lines 11, 12, 13, 15 and 21) are right in every column.
    for (const line of [11, 12, 13, 15, 21]) assert.ok(!flaggedRows.has(line), `GAP_REGISTER.md:${line} should be clean`);
  });

  it('says what was found and what was expected', () => {
    const msg = (k: string) => all.find(({ rel, f }) => key(rel, f) === k)?.f.message ?? '';
    assert.match(msg('GAP_REGISTER.md:16 RD002'), /RPN 64 ≠ 5 × 4 × 3 = 60/);
    assert.match(msg('FMEA.md:13 RD002'), /RPN 120 ≠ 7 × 5 × 4 = 140/);
    assert.match(msg('README.md:16 RD011'), /RPN 105 for G-003.*RPN 140/);
    assert.match(msg('GAP_REGISTER.md:17 RD004'), /expected Low/);
    assert.match(msg('GAP_REGISTER.md:19 RD007'), /burst-test-2026-10\.md/);
  });

  it('has errors, so the demo command exits 1', () => {
    assert.ok(all.some(({ f }) => f.severity === 'error'));
  });
});
