/**
 * Summary drift (RD050), gap-row contradictions (RD051) and "missing" claims about files that exist (RD060):
 * what a reader of a gap analysis would notice, checked on small in-memory documents.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixes } from '../../server/src/engine/index.js';
import { countMentions } from '../../server/src/rules/rd050-summary-count-mismatch.js';
import { gapMark, stateMark } from '../../server/src/rules/rd051-gap-status-contradiction.js';
import { lintMemory, only } from '../helpers/lint.js';

const GA = 'docs/gap-analysis.md';

function matrix(countLine: string): string {
  return [
    '# Router gap analysis',
    '',
    '## Mandatory gaps',
    '',
    '| # | Gap | Category |',
    '|---|-----|----------|',
    '| 1 | Rollback script missing | Deployment |',
    '| 2 | Alerts not fire-tested | Observability |',
    '',
    countLine,
    '',
  ].join('\n');
}

describe('RD050 summary-count-mismatch: reading counts', () => {
  it('reads digits, number words, qualifiers and nouns', () => {
    const ms = countMentions('**Count: 8 mandatory gaps** and four primary alerts', 0);
    assert.deepEqual(
      ms.map((m) => [m.n, m.qualifiers, m.noun, m.phrase]),
      [
        [8, ['mandatory'], 'gap', '8 mandatory gaps'],
        [4, ['primary'], 'alert', 'four primary alerts'],
      ],
    );
  });

  it('reads "3 open / 2 closed" as two status counts', () => {
    const ms = countMentions('Status: 3 open / 2 closed', 0);
    assert.deepEqual(ms.map((m) => [m.n, m.qualifiers[0]]), [[3, 'open'], [2, 'closed']]);
  });

  it('reads counts written after their label', () => {
    const ms = countMentions('**Open gaps:** 4 · Mandatory: 8 · Total: 12', 0);
    assert.deepEqual(
      ms.map((m) => [m.n, m.qualifiers, m.noun, m.phrase]),
      [
        [4, ['open'], 'gap', 'Open gaps: 4'],
        [8, ['mandatory'], undefined, 'Mandatory: 8'],
        [12, [], undefined, 'Total: 12'],
      ],
    );
    assert.deepEqual(countMentions('Version: 3, Reviewed: 2026, Duration: 30 minutes, Severity: 2', 0), []);
  });

  it('does not read approximate counts, selections, ranges or counts of other things', () => {
    for (const t of ['~9 BLOCKERs self-healed', 'about 9 gaps', 'the top 3 gaps', '3 of 8 gaps', '1-2 weeks', '11 Variables', '3 open questions', 'over 10 gaps', '4 projects', 'we closed 5 gaps last sprint']) {
      assert.deepEqual(countMentions(t, 0), [], t);
    }
  });
});

describe('RD050 summary-count-mismatch: against the rows', () => {
  it('reports a count that disagrees with the table above, with both figures, and fixes the number', () => {
    const text = matrix('**Count: 3 mandatory gaps**');
    const fs = only(lintMemory(text, GA), 'RD050');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.message, 'States 3 mandatory gaps; the table above lists 2 rows.');
    assert.equal(fs[0]!.range.start.line, 9);
    const fixed = applyFixes(text, fs).text;
    assert.match(fixed, /Count: 2 mandatory gaps/);
    assert.equal(only(lintMemory(fixed, GA), 'RD050').length, 0);
  });

  it('accepts a count that matches', () => {
    assert.equal(only(lintMemory(matrix('**Count: 2 mandatory gaps**'), GA), 'RD050').length, 0);
  });

  it('counts only the rows carrying the priority it names', () => {
    const text = [
      '# Gap analysis',
      '',
      '## Gaps',
      '',
      'Three mandatory gaps block the launch:',
      '',
      '| Gap | Priority |',
      '|-----|----------|',
      '| Rollback | 🔴 Mandatory |',
      '| SLOs | 🔴 Mandatory |',
      '| Dashboards | 🟡 Recommended |',
    ].join('\n');
    const fs = only(lintMemory(text, GA), 'RD050');
    assert.equal(fs.length, 1);
    assert.match(fs[0]!.message, /States Three mandatory gaps; the table below lists 2 rows marked Mandatory/);
    assert.match(applyFixes(text, fs).text, /^Two mandatory gaps block/m);
  });

  it('does not compare a count with a table in another section (a conclusion restating a consolidated summary)', () => {
    const text = matrix('**Count: 2 mandatory gaps**') + ['', '## Conclusion', '', '**9 mandatory gaps** must be addressed before production.', ''].join('\n');
    assert.equal(only(lintMemory(text, GA), 'RD050').length, 0);
  });

  it('does not read a priority word it cannot find in the rows or the heading', () => {
    const text = ['# Gap analysis', '', '## Gaps', '', '| Gap | Category |', '|-----|----------|', '| Rollback | Deployment |', '', 'Count: 5 critical gaps', ''].join('\n');
    assert.equal(only(lintMemory(text, GA), 'RD050').length, 0);
  });

  it('checks a summary table of counts against the detail rows, including its total', () => {
    const text = [
      '# Gap register',
      '',
      '| Priority | Count |',
      '|----------|-------|',
      '| High | 1 |',
      '| Low | 1 |',
      '| Total | 2 |',
      '',
      '## Gaps',
      '',
      '| ID | Gap | Priority | Owner | Status |',
      '|----|-----|----------|-------|--------|',
      '| G-1 | A | High | SRE | Open |',
      '| G-2 | B | High | SRE | Open |',
      '| G-3 | C | Low | SRE | Open |',
    ].join('\n');
    const fs = only(lintMemory(text, 'docs/GAP_REGISTER.md'), 'RD050');
    assert.deepEqual(fs.map((f) => f.range.start.line), [4, 6]);
    assert.match(fs[0]!.message, /Summary states 1 for "High"; the detail table lists 2 rows with priority "High"/);
  });

  it('adds up a table of counts for a total written under it', () => {
    const text = ['# Gap register', '', '## Summary', '', '| Priority | Count |', '|---|---|', '| High | 2 |', '| Low | 3 |', '', '**Total: 6 gaps**', ''].join('\n');
    const fs = only(lintMemory(text, 'docs/GAP_REGISTER.md'), 'RD050');
    assert.deepEqual(fs.map((f) => f.message), ['States 6 gaps; the table above gives counts adding up to 5.']);
  });

  it('counts a list introduced by a colon', () => {
    const text = ['# Checkout gap analysis', '', '## Open gaps', '', 'The following four gaps remain:', '', '- A', '- B', '- C', ''].join('\n');
    const fs = only(lintMemory(text, GA), 'RD050');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.message, 'States four gaps; the list below has 3 items.');
  });

  it('reads mojibake priorities and headings', () => {
    const text = [
      '# Gap analysis',
      '',
      '### ğŸ”´ Mandatory (Blockers)',
      '',
      '| # | Gap |',
      '|---|-----|',
      '| 1 | A |',
      '',
      '**Count: 2 mandatory gaps**',
    ].join('\n');
    const fs = only(lintMemory(text, GA), 'RD050');
    assert.equal(fs.length, 1);
  });
});

describe('RD051 gap-status-contradiction', () => {
  it('classifies gap and state cells the way a reader does', () => {
    assert.equal(gapMark('None'), 'none');
    assert.equal(gapMark('**Gap**'.replace(/\*/g, '')), 'gap');
    assert.equal(gapMark('Minor gap'), 'minor');
    assert.equal(gapMark('Need admin controls to freeze'), 'text');
    assert.equal(stateMark('✅ Exists (OPERATIONAL_RUNBOOK.md)'), 'met');
    assert.equal(stateMark('⚠️ Defined, not validated'), 'unknown');
    assert.equal(stateMark('❌ Not found'), 'unmet');
  });

  it('reports a Minor gap rated Mandatory only when other minor gaps are rated lower', () => {
    const table = (rows: string[]) =>
      ['# Gap analysis', '', '| Aspect | Current State | Gap | Priority |', '|---|---|---|---|', ...rows].join('\n');
    const one = only(lintMemory(table(['| TLS | âš ï¸ Configurable | Minor gap | ğŸ”´ Mandatory |', '| Logs | ⚠️ Partial | Minor gap | 🟡 Recommended |']), GA), 'RD051');
    assert.equal(one.length, 1);
    assert.match(one[0]!.message, /"TLS" is a "Minor gap" but is rated "🔴 Mandatory"/);
    const alone = only(lintMemory(table(['| TLS | ⚠️ Configurable | Minor gap | 🔴 Mandatory |']), GA), 'RD051');
    assert.equal(alone.length, 0);
  });

  it('does not judge a register where remediated rows keep their severity', () => {
    const text = ['# Gap register', '', '| # | Gap | Severity | Status |', '|---|---|---|---|', '| 1 | Config | BLOCKER | ✅ |'].join('\n');
    assert.equal(only(lintMemory(text, 'docs/GAP_REGISTER.md'), 'RD051').length, 0);
  });
});

describe('RD060 missing-file-claim-wrong', () => {
  const files = { 'scripts/rollback.sh': '#!/bin/sh\n', 'deploy/app.yaml': 'a: 1\n' };

  it('reports a path said to be missing that exists, doc-relative or from the root', () => {
    const text = ['# Release gap analysis', '', '- Missing entire `deploy/` directory', '- `scripts/rollback.sh` is missing', '- `scripts/canary.sh` is missing', ''].join('\n');
    const fs = only(lintMemory(text, GA, { files }), 'RD060');
    assert.deepEqual(fs.map((f) => f.range.start.line), [2, 3]);
    assert.match(fs[0]!.message, /folder deploy\/ exists/);
  });

  it('does not read fenced trees, past claims or other paths on the line', () => {
    const text = [
      '# Release gap analysis',
      '',
      '```',
      'deploy/   (missing)',
      '```',
      '',
      '- `scripts/rollback.sh` was missing; added in PR #12',
      '- `deploy/` exists; `scripts/canary.sh` does not exist',
      '',
    ].join('\n');
    assert.equal(only(lintMemory(text, GA, { files }), 'RD060').length, 0);
  });
});
