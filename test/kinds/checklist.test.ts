/** Checklist and scorecard rules (RD040–RD043). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixes } from '../../server/src/engine/index.js';
import { lintMemory, only } from '../helpers/lint.js';

const PATH = 'docs/readiness-checklist.md';

const SCORES = (overall: string) =>
  [
    '# Progress',
    '',
    '| Category | Score |',
    '|----------|-------|',
    '| Functional | 95% |',
    '| Test Coverage | 90% |',
    '| Documentation | 95% |',
    '| SLO/SLA | 10% |',
    '| Performance Validation | 20% |',
    '| Operational | 70% |',
    '| Security | 60% |',
    '| Deployment | 50% |',
    `| **Overall** | **${overall}** |`,
    '',
  ].join('\n');

describe('RD041 overall-score-mismatch', () => {
  it('accepts ~60% for a mean of 61.25 (within the default tolerance)', () => {
    assert.deepEqual(only(lintMemory(SCORES('~60%'), PATH), 'RD041'), []);
  });

  it('reports both figures and fixes the stated one, keeping ~, % and bold', () => {
    const text = SCORES('~75%');
    const f = only(lintMemory(text, PATH), 'RD041');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /~75%.*61\.25%.*±5/);
    const fixed = applyFixes(text, f).text;
    assert.match(fixed, /\| \*\*Overall\*\* \| \*\*~61%\*\* \|/);
    assert.deepEqual(only(lintMemory(fixed, PATH), 'RD041'), []);
  });

  it('uses scoreTolerance and scoreWeights from the configuration', () => {
    assert.equal(only(lintMemory(SCORES('~60%'), PATH, { config: 'scoreTolerance: 1\n' }), 'RD041').length, 1);
    // Weighting Functional ×5 moves the mean to (95×5 + 395)/12 = 72.5.
    const weighted = lintMemory(SCORES('~72%'), PATH, { config: 'scoreWeights:\n  Functional: 5\n' });
    assert.deepEqual(only(weighted, 'RD041'), []);
  });

  it('reads a prose overall beside a table with a Max column', () => {
    const doc = [
      '# Readiness Gap Analysis',
      '',
      '## Current Readiness Score',
      '',
      '| Category | Score | Max |',
      '|----------|-------|-----|',
      '| Build | 12 | 20 |',
      '| Runtime | 8 | 20 |',
      '',
      '**Overall Production Readiness: ~80%**',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, 'docs/gap-analysis.md'), 'RD041');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /~80%.*50%/);
  });
});

describe('RD040 checklist-status-contradiction', () => {
  const doc = (status: string, extra = '') =>
    ['# Launch Checklist', '', `Status: ${status}`, '', '## Reliability', '', '- [x] Health checks', '- [ ] Restore drill', extra, ''].join('\n');

  it('counts the unchecked boxes under a completion claim', () => {
    const f = only(lintMemory(doc('COMPLETE'), PATH), 'RD040');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.message.startsWith('Status says COMPLETE but 1 of 2 boxes are unchecked'), true);
  });

  it('reads Ready and ✅ Done as claims, but not Ready for review or In progress', () => {
    assert.equal(only(lintMemory(doc('Ready'), PATH), 'RD040').length, 1);
    assert.equal(only(lintMemory(doc('✅ Done'), PATH), 'RD040').length, 1);
    assert.equal(only(lintMemory(doc('Ready for review'), PATH), 'RD040').length, 0);
    assert.equal(only(lintMemory(doc('In progress'), PATH), 'RD040').length, 0);
  });

  it('does not count follow-ups, roadmaps or deferred boxes against the claim', () => {
    const text = ['# Launch Checklist', '', 'Status: COMPLETE', '', '- [x] Health checks', '- [ ] Chaos test (deferred)', '', '## Roadmap', '', '- [ ] Multi-region', ''].join('\n');
    assert.deepEqual(only(lintMemory(text, PATH), 'RD040'), []);
  });
});

describe('RD042 level-claim-unsupported', () => {
  it('finds nothing where the levels are described but no criteria are required', () => {
    const doc = [
      '# Readiness Checklist',
      '',
      '- **L1 (Desk-Soak)**: safe enough for a supervised soak.',
      '- **L2 (Semi-Pro)**: reproducible builds + alerts + recovery procedures.',
      '',
      '| Service | Current Level | Evidence |',
      '|---|---:|---|',
      '| risk-service | L1.5 |  |',
      '| gates | L2 |  |',
      '',
      'Current desk stack readiness: **L1.5 overall (Desk-Soak+)**.',
      '',
    ].join('\n');
    assert.deepEqual(only(lintMemory(doc, PATH), 'RD042'), []);
  });

  it('applies an evidence requirement to the level and those above it', () => {
    const doc = [
      '# Readiness Checklist',
      '',
      'L2 and above require an evidence link.',
      '',
      '| Service | Current Level | Target Level | Evidence |',
      '|---|---|---|---|',
      '| a | L1.5 | L3 |  |',
      '| b | L3 | L3 |  |',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH), 'RD042');
    assert.deepEqual(
      f.map((x) => x.range.start.line),
      [7],
    );
  });
});

describe('RD043 checklist-evidence-broken', () => {
  const files = { 'evidence/gate-0/README.md': '# Gate 0\n', 'reports/a.json': '{}' };
  it('accepts folders, repo-root paths and paths the document says are missing', () => {
    const doc = [
      '# Readiness Checklist',
      '',
      '| Gate | Status | Evidence |',
      '|---|---|---|',
      '| 0 | GO | `evidence/gate-0/` |',
      '| 1 | GO | `reports/a.json`, `reports/b.json` |',
      '| 2 | NO-GO | Missing: `reports/c.json` |',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH, { files }), 'RD043');
    assert.deepEqual(
      f.map((x) => [x.range.start.line, /reports\/b\.json/.test(x.message)]),
      [[5, true]],
    );
  });
});
