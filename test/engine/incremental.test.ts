/**
 * What the engine keeps between lints of one document: which rows changed (itemDiff), which values are
 * computed again (perItem), and that a rule's per-item check runs only for rows that changed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, defaultConfig, documentScores, forgetDocument, lintModel, memoryWorkspace, releaseCells, TableRowItem, WorkspaceIndex, type Item } from '../../server/src/engine/index.js';
import { itemDiff, perItem } from '../../server/src/engine/memo.js';
import { RULES } from '../../server/src/rules/index.js';
import type { Rule } from '../../server/src/engine/rule.js';

const PATH = '/ws/docs/GAP_REGISTER.md';
const config = { ...defaultConfig(), today: '2026-06-01' };

function register(rows: number, change?: (i: number) => string | undefined): string {
  const lines = ['# Gap register', '', '| ID | Gap | S | O | D | RPN | Priority | Owner | Status | Due |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (let i = 1; i <= rows; i++) lines.push(change?.(i) ?? `| G-${String(i).padStart(3, '0')} | Gap ${i} | 4 | 4 | 4 | 64 | Medium | @sre | Open | 2026-09-01 |`);
  return lines.join('\n') + '\n';
}

/** The rules with a per-item part, each counting its checks in `calls`. */
function countingItemRules(): { rules: Rule[]; calls: number } {
  const counted = { rules: [] as Rule[], calls: 0 };
  counted.rules = RULES.filter((r) => r.items).map((r) => ({
    ...r,
    items: { ...r.items!, check: (ctx, item, state) => (counted.calls++, r.items!.check(ctx, item, state)) },
  }));
  return counted;
}

describe('incremental: what changed between two builds of a document', () => {
  it('an edit of one row changes that row only; an added row changes its whole table', () => {
    forgetDocument(PATH);
    itemDiff(buildModel(register(50), PATH, config));
    const edited = itemDiff(buildModel(register(50, (i) => (i === 20 ? '| G-020 | Gap 20 | 9 | 4 | 4 | 64 | Medium | @sre | Open | 2026-09-01 |' : undefined)), PATH, config));
    assert.deepEqual(edited.changed, [19]);
    assert.equal(edited.resized, false);
    const inserted = itemDiff(buildModel(register(50).replace('| G-010 |', '| G-999 | New | 1 | 1 | 1 | 1 | Low | @x | Open | 2026-09-01 |\n| G-010 |'), PATH, config));
    assert.equal(inserted.resized, true);
    // The table (and its section) grew: every row's context changed, so every row is judged again.
    assert.equal(inserted.changed.length, 51);
  });

  it('perItem computes again only what changed, and says what it was before', () => {
    forgetDocument(PATH);
    const owners = (text: string) => perItem(buildModel(text, PATH, config), 'test-owners', '', (item: Item) => item.fields.owner?.text);
    const first = owners(register(10));
    assert.equal(first.fresh, true);
    const second = owners(register(10, (i) => (i === 3 ? '| G-003 | Gap 3 | 4 | 4 | 4 | 64 | Medium | @dba | Open | 2026-09-01 |' : undefined)));
    assert.equal(second.fresh, false);
    assert.deepEqual(second.changed, [2]);
    assert.deepEqual(second.before, ['@sre']);
    assert.equal(second.values[2], '@dba');
    assert.equal(second.values[5], '@sre');
    const salted = perItem(buildModel(register(10), PATH, config), 'test-owners', 'other salt', (item: Item) => item.fields.owner?.text);
    assert.equal(salted.fresh, true, 'another salt computes everything again');
  });

  it("a rule's per-item check runs again for the edited row only, and the findings equal a fresh lint", () => {
    forgetDocument(PATH);
    const counted = countingItemRules();
    const rules = counted.rules;
    const before = register(200, (i) => (i % 7 === 0 ? `| G-${String(i).padStart(3, '0')} | Gap | 4 | 4 | 4 | 65 | High |  | Open | 2026-01-01 |` : undefined));
    lintModel(buildModel(before, PATH, config), { config, rules });
    const perLint = counted.calls;
    counted.calls = 0;
    const after = before.replace('| G-050 | Gap 50 | 4 |', '| G-050 | Gap 50 | 5 |');
    const kept = lintModel(buildModel(after, PATH, config), { config, rules });
    assert.equal(counted.calls, perLint / 200, `one row checked again by each per-item rule (${counted.calls} checks)`);
    forgetDocument(PATH);
    assert.deepEqual(kept, lintModel(buildModel(after, PATH, config), { config, rules }));
  });

  it('released cells are read again equal, and a row whose cells were released still counts as unchanged', () => {
    forgetDocument(PATH);
    const counted = countingItemRules();
    const rules = counted.rules;
    const text = register(30, (i) => (i === 4 ? '| G-004 | [Gap](./a.md) `ops/x.md` | 4 | 4 | 4 | 65 | High |  | Open | 2026-01-01 |' : undefined));
    const model = buildModel(text, PATH, config);
    const first = lintModel(model, { config, rules });
    const perLint = counted.calls;
    const row = model.tables[0]!.rows[3] as TableRowItem;
    const cellsBefore = JSON.stringify(row.cells);
    const linksBefore = row.cells[1]!.links;
    assert.equal(linksBefore.length, 2, 'the cell holds a link and a code path');
    assert.ok(row.record.holdsCells);

    releaseCells([model]);
    assert.equal(row.record.holdsCells, false, 'the row lets go of its cells');
    assert.equal(JSON.stringify(row.cells), cellsBefore, 'and reads them again equal');
    assert.deepEqual(row.cells[1]!.links, linksBefore);
    assert.ok(row.cells[1]!.links.every((l, i) => l === linksBefore[i]), "a cell's links are the model's own link objects");
    assert.equal(row.fields.owner?.text, '');

    // The next build of an edited document reuses the released rows: only the edited one is checked again.
    releaseCells([model]);
    counted.calls = 0;
    const edited = text.replace('| G-010 | Gap 10 | 4 |', '| G-010 | Gap 10 | 5 |');
    const kept = lintModel(buildModel(edited, PATH, config), { config, rules });
    assert.equal(counted.calls, perLint / 30, `one row checked again by each per-item rule (${counted.calls} checks)`);
    forgetDocument(PATH);
    assert.deepEqual(kept, lintModel(buildModel(edited, PATH, config), { config, rules }));
    assert.notDeepEqual(kept, first);
  });

  it('after a release, an edit reads the edited row again and no other, with every rule and the code lens scores', () => {
    forgetDocument(PATH);
    // What makes rules look at every row: CODEOWNERS (owner handles), a section with an id and fields,
    // prose quoting an RPN, evidence links, a field line with evidence.
    const text = [
      register(300, (i) => (i % 3 === 0 ? `| G-${String(i).padStart(3, '0')} | [Gap](./missing-${i}.md) | 4 | 4 | 4 | 64 | Medium | @sre | Open | 2026-09-01 |` : undefined)).trimEnd(),
      '',
      'G-007 (RPN 64) is the one to watch; G-008 (RPN 99) is quoted wrong.',
      '',
      '### G-150: Backups untested',
      '',
      'Owner: @dba',
      'Evidence: [runbook](./runbook.md)',
      '',
    ].join('\n');
    const ws = memoryWorkspace('/ws', { 'docs/GAP_REGISTER.md': text }, '* @sre @dba\n');
    const index = new WorkspaceIndex();
    const options = { config, workspace: ws, index };
    const lint = (t: string) => {
      const m = buildModel(t, PATH, config);
      index.update(m);
      const findings = lintModel(m, options);
      documentScores(m);
      return { m, findings };
    };
    const first = lint(text);
    assert.ok(first.findings.some((f) => f.ruleId === 'RD011'), 'the quoted RPN is checked');
    assert.ok(first.findings.some((f) => f.ruleId === 'RD007'), 'evidence links are checked');
    const held = (m: typeof first.m) => m.tables[0]!.rows.filter((r) => (r as TableRowItem).record.holdsCells).map((r) => r.line);

    releaseCells([first.m]);
    const edited = text.replace('| G-010 | Gap 10 | 4 |', '| G-010 | Gap 10 | 5 |');
    const after = lint(edited);
    const editedLine = edited.split('\n').findIndex((l) => l.startsWith('| G-010 |'));
    // The edited row, and a few a finding's message names (a summary of missing evidence names its first
    // row; the section G-150 adds its fields to its row): not the 300 rows.
    const rows = held(after.m);
    assert.ok(rows.includes(editedLine), 'the edited row is read again');
    assert.ok(rows.length <= 3, `rows read again: ${rows.map((l) => l + 1).join(', ')}`);
    forgetDocument(PATH);
    assert.deepEqual(after.findings, lint(edited).findings);
  });

  it('a duplicate id that only gains markup is reported at its new extent, as a fresh lint does', () => {
    const path = '/ws/docs/DUP_REGISTER.md';
    const doc = (second: string) => ['# Gap Register', '', '| ID | Gap | RPN |', '|---|---|---|', '| G-001 | a | 10 |', `| ${second} | b | 20 |`, ''].join('\n');
    const rd010 = (text: string) => lintModel(buildModel(text, path, config), { config }).filter((f) => f.ruleId === 'RD010');
    forgetDocument(path);
    rd010(doc('G-001'));
    const kept = rd010(doc('**G-001**'));
    forgetDocument(path);
    const fresh = rd010(doc('**G-001**'));
    assert.equal(fresh[0]!.range.end.character, 11);
    assert.deepEqual(kept, fresh);
  });

  it('a row that moves into the table above (its header moved past it) is compared within its new table', () => {
    const path = '/ws/docs/GAP_REGISTER.md';
    const h1 = ['| ID | Gap | Owner |', '|---|---|---|'];
    const h2 = ['| ID | Risk | Owner |', '|---|---|---|'];
    const before = ['# Gap register', '', ...h1, '| G-001 | x | @sre |', '| G-002 | y | @sre |', '', ...h2, '| G-001 | z | @sre |', '| G-003 | w | @sre |', ''].join('\n');
    const after = ['# Gap register', '', ...h1, '| G-001 | x | @sre |', '| G-002 | y | @sre |', '| G-001 | z | @sre |', '', ...h2, '| G-003 | w | @sre |', ''].join('\n');
    const rd010 = (text: string) => lintModel(buildModel(text, path, config), { config }).filter((f) => f.ruleId === 'RD010');
    forgetDocument(path);
    assert.deepEqual(rd010(before), []);
    const kept = rd010(after);
    assert.deepEqual(kept.map((f) => f.range.start.line), [6]);
    forgetDocument(path);
    assert.deepEqual(kept, rd010(after));
  });

  it('findings kept for a rule that no longer runs are not given again', () => {
    const path = '/ws/docs/SUBSET_REGISTER.md';
    const text = ['# Gap Register', '', '| ID | Gap | S | O | D | RPN | Priority | Owner |', '|---|---|---|---|---|---|---|---|', '| G-001 | a | 2 | 3 | 4 | 30 | High | |', ''].join('\n');
    const lint = (rules?: readonly Rule[]) => lintModel(buildModel(text, path, config), { config, ...(rules ? { rules } : {}) });
    forgetDocument(path);
    assert.ok(lint().some((f) => f.ruleId === 'RD002'), 'the RPN mismatch is found with every rule');
    const only = RULES.filter((r) => r.meta.id === 'RD005');
    const subset = lint(only);
    assert.deepEqual([...new Set(subset.map((f) => f.ruleId))], ['RD005']);
    forgetDocument(path);
    assert.deepEqual(subset, lint(only));
  });

  it('a duplicate id moved down by lines added above the table is reported at its new line', () => {
    const path = '/ws/docs/DUP_REGISTER.md';
    const doc = (intro: string[]) => ['# Gap Register', ...intro, '', '| ID | Gap | RPN |', '|---|---|---|', '| G-001 | a | 10 |', '| G-002 | b | 20 |', '| G-001 | c | 30 |', ''].join('\n');
    const rd010 = (text: string) => lintModel(buildModel(text, path, config), { config }).filter((f) => f.ruleId === 'RD010');
    forgetDocument(path);
    assert.equal(rd010(doc([]))[0]!.range.start.line, 6);
    const moved = rd010(doc(['', 'Owner: @alice', 'Reviewed monthly.']));
    assert.equal(moved.length, 1);
    assert.equal(moved[0]!.range.start.line, 9);
    assert.equal(moved[0]!.related![0]!.range.start.line, 7);
  });
});
