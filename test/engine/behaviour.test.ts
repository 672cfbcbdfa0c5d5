import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, defaultConfig, lintModel, parseConfig } from '../../server/src/engine/index.js';
import { lintMemory, only } from '../helpers/lint.js';

describe('section-per-gap registers get the same rules as table registers', () => {
  const table = `# Gap register

| ID | Gap | S | O | D | RPN | Priority | Owner | Status | Evidence | Due |
|----|-----|---|---|---|-----|----------|-------|--------|----------|-----|
| G-1 | Failover untested | 7 | 3 | 2 | 50 | Medium | @sre | Open | - | 2026-03-01 |
| G-2 | Backups not restored | 5 | 2 | 2 | 20 | High |  | Open | - | 2026-09-01 |
| G-3 | Load test | 4 | 4 | 4 | 64 | Medium | @perf | Done |  | 2026-09-01 |
| G-1 | Duplicate | 2 | 2 | 2 | 8 | Low | @x | Open | - | 2026-09-01 |
`;
  const sections = `# Gap register

### G-1: Failover untested
- **Severity:** 7
- **Occurrence:** 3
- **Detection:** 2
- **RPN:** 50
- **Priority:** Medium
- **Owner:** @sre
- **Status:** Open
- **Evidence:** -
- **Due:** 2026-03-01

### G-2: Backups not restored
- **Severity:** 5
- **Occurrence:** 2
- **Detection:** 2
- **RPN:** 20
- **Priority:** High
- **Owner:**
- **Status:** Open
- **Evidence:** -
- **Due:** 2026-09-01

### G-3: Load test
Severity: 4
Occurrence: 4
Detection: 4
RPN: 64
Priority: Medium
Owner: @perf
Status: Done
Evidence:
Due: 2026-09-01

### G-1: Duplicate
- Severity: 2
- Occurrence: 2
- Detection: 2
- RPN: 8
- Priority: Low
- Owner: @x
- Status: Open
- Evidence: -
- Due: 2026-09-01
`;
  it('reports the same rules with the same figures', () => {
    const a = lintMemory(table);
    const b = lintMemory(sections);
    const summary = (fs: typeof a) => fs.map((f) => `${f.ruleId} ${f.message.replace(/line \d+/g, 'line N')}`).sort();
    assert.deepEqual(summary(b), summary(a));
    assert.deepEqual([...new Set(a.map((f) => f.ruleId))].sort(), ['RD002', 'RD004', 'RD005', 'RD006', 'RD009', 'RD010']);
  });
  it('points at the field line in the section form', () => {
    const f = only(lintMemory(sections), 'RD002')[0]!;
    assert.equal(f.range.start.line, 6);
  });
});

describe('nothing where nothing is wrong', () => {
  it('no finding inside code blocks, inline code, HTML comments or quotes', () => {
    const text = `# Gap register

| ID | Gap | S | O | D | RPN | Owner | Status |
|----|-----|---|---|---|-----|-------|--------|
| G-1 | Failover | 7 | 3 | 2 | 42 | @sre | Open |

Example of a bad row, for the reader: \`| G-9 | x | 7 | 3 | 2 | 50 | | Open |\`

\`\`\`markdown
| ID | Gap | S | O | D | RPN | Owner | Status |
|----|-----|---|---|---|-----|-------|--------|
| G-1 | Failover | 7 | 3 | 2 | 50 |  | Open |
- G-1: Failover (RPN: 99)
\`\`\`

<!--
| ID | Gap | S | O | D | RPN | Owner | Status |
|----|-----|---|---|---|-----|-------|--------|
| G-2 | Old | 7 | 3 | 2 | 50 |  | Open |
-->

> - G-1: Failover (RPN: 99), as the old summary said.
`;
    assert.deepEqual(lintMemory(text), []);
  });
  it('a correct RPN row and a dated incident get nothing', () => {
    assert.deepEqual(lintMemory('# FMEA\n\n| FM ID | Mode | S | O | D | RPN | Owner | Status |\n|---|---|---|---|---|---|---|---|\n| FM-1 | x | 10 | 10 | 10 | 1000 | @a | Open |\n', 'FMEA.md'), []);
    const pm = `# Postmortem: checkout outage 2024-01-05

Date: 2024-01-05

## Summary
Checkout failed.

## Impact
Orders failed for 10 minutes.

## Timeline
- 2024-01-05 10:00 UTC — deploy
- 2024-01-05 10:10 UTC — rollback

## Root cause
A flag.

## Action items
| Action | Owner | Due |
|---|---|---|
| Add a test | @team | 2024-02-01 |
`;
    assert.deepEqual(lintMemory(pm, 'postmortems/2024-01-05-checkout.md'), []);
  });
  it('markdown that is not a readiness document gets nothing', () => {
    assert.deepEqual(lintMemory('# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nOwner: TBD\n', 'notes.md'), []);
  });
});

describe('suppressions', () => {
  const base = (extra: string) => `# Gap register\n\n${extra}| ID | Gap | S | O | D | RPN | Owner | Status |\n|----|-----|---|---|---|-----|-------|--------|\n| G-1 | x | 7 | 3 | 2 | 50 | @a | Open |\n| G-2 | y | 7 | 3 | 2 | 50 | @a | Open |\n`;
  it('disable … enable silences a range', () => {
    const fs = lintMemory(base('<!-- readiness-disable RD002 -->\n\n'));
    assert.equal(only(fs, 'RD002').length, 0);
    assert.equal(only(fs, 'RD080').length, 0);
  });
  it('disable-next-line silences one line, by id or name', () => {
    const text = `# Gap register\n\n| ID | Gap | S | O | D | RPN | Owner | Status |\n|----|-----|---|---|---|-----|-------|--------|\n| G-1 | x | 7 | 3 | 2 | 50 | @a | Open |\n\n<!-- readiness-disable-next-line rpn-mismatch -->\n- G-1: x (RPN: 51)\n`;
    const fs = lintMemory(text);
    assert.equal(only(fs, 'RD002').length, 1);
  });
  it('an unused suppression is reported as info', () => {
    const fs = lintMemory(base('<!-- readiness-disable RD005 -->\n\n'));
    const unused = only(fs, 'RD080');
    assert.equal(unused.length, 1);
    assert.equal(unused[0]!.severity, 'info');
  });
  it('a suppression in a code block is not a suppression', () => {
    const fs = lintMemory(base('```\n<!-- readiness-disable RD002 -->\n```\n\n'));
    assert.equal(only(fs, 'RD002').length, 2);
  });
});

describe('configuration', () => {
  it('rule severities and off', () => {
    const text = '# Gap register\n\n| ID | Gap | S | O | D | RPN | Owner | Status |\n|---|---|---|---|---|---|---|---|\n| G-1 | x | 7 | 3 | 2 | 50 |  | Open |\n';
    const fs = lintMemory(text, 'GAP_REGISTER.md', { config: 'rules:\n  RD002: warning\n  owner-missing: off\n' });
    assert.equal(only(fs, 'RD002')[0]!.severity, 'warning');
    assert.equal(only(fs, 'RD005').length, 0);
  });
  it('RPN bands and staleness days', () => {
    const text = '# Gap register\n\nLast reviewed: 2026-04-01\n\n| ID | Gap | RPN | Priority | Owner | Status |\n|---|---|---|---|---|---|\n| G-1 | x | 60 | High | @a | Open |\n';
    const byDefault = lintMemory(text);
    assert.equal(only(byDefault, 'RD004').length, 1, '60 is Medium with the default bands');
    assert.equal(only(byDefault, 'RD008').length, 0, '61 days is within 90');
    const tuned = lintMemory(text, 'GAP_REGISTER.md', { config: 'rpnBands: { high: 50, medium: 20 }\nstaleAfterDays: 30\n' });
    assert.equal(only(tuned, 'RD004').length, 0, '60 is High when High > 50');
    assert.equal(only(tuned, 'RD008').length, 1, '61 days is stale when the limit is 30');
  });
  it('a malformed file yields located problems and the defaults keep working', () => {
    const bad = parseConfig('today: 2026-01-01\nstaleAfterDays: "soon"\nrulez: {}\n');
    assert.equal(bad.problems.length, 2);
    const type = bad.problems.find((p) => p.message.includes('staleAfterDays'))!;
    assert.equal(type.range.start.line, 1);
    const unknown = bad.problems.find((p) => p.message.includes('rulez'))!;
    assert.equal(unknown.range.start.line, 2);
    assert.match(unknown.message, /did you mean "rules"/);
    assert.equal(bad.config.today, '2026-01-01', 'valid keys still apply');
    assert.equal(bad.config.staleAfterDays, 90, 'invalid keys fall back to the default');
    const yaml = parseConfig('rules:\n  RD001: [\n');
    assert.equal(yaml.problems.length >= 1, true);
    assert.match(yaml.problems[0]!.message, /Invalid YAML/);
    const model = buildModel('# Gap register\n', '/ws/GAP_REGISTER.md', yaml.config);
    assert.deepEqual(lintModel(model, { config: yaml.config, today: '2026-01-01' }), []);
  });
  it('an unknown severity is reported at its value', () => {
    const r = parseConfig('rules:\n  RD001: loud\n');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.range.start.line, 1);
    assert.equal(defaultConfig().rules.RD001, undefined);
  });
});
