import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, defaultConfig, forgetDocument, parseConfig, summarize, WorkspaceIndex } from '../../server/src/engine/index.js';
import { findDates } from '../../server/src/engine/dates.js';
import { roleOf } from '../../server/src/engine/roles.js';
import { demojibake } from '../../server/src/engine/text.js';
import { splitRow } from '../../server/src/engine/tables.js';

const model = (text: string, path = '/ws/docs/GAP_REGISTER.md') => buildModel(text, path, defaultConfig());

describe('header roles', () => {
  const cases: [string, string | undefined][] = [
    ['Owner', 'owner'], ['Assignee', 'owner'], ['DRI', 'owner'], ['Responsible', 'owner'], ['**Owner(s)**', 'owner'],
    ['S', 'severity'], ['Sev', 'severity'], ['Severity (S)', 'severity'], ['O', 'occurrence'], ['Occ', 'occurrence'],
    ['D', 'detection'], ['Det', 'detection'], ['RPN', 'rpn'], ['Evidence', 'evidence'], ['Proof', 'evidence'],
    ['Link', 'evidence'], ['Reference', 'evidence'], ['Due', 'due'], ['Target date', 'due'], ['ETA', 'due'],
    ['Gap ID', 'id'], ['FM ID', 'id'], ['#', 'id'], ['Last reviewed', 'reviewed'], ['Status', 'status'], ['Done?', 'status'],
    ['Service / Component', undefined], ['Notes', undefined],
  ];
  for (const [header, role] of cases) it(`${header} → ${role ?? 'none'}`, () => assert.equal(roleOf(header), role));

  it('takes synonyms from configuration', () => {
    const { config } = parseConfig('columns:\n  owner: [Steward]\n');
    assert.equal(roleOf('Steward', config), 'owner');
    assert.equal(roleOf('Steward'), undefined);
  });

  it('reads a lone Severity column of words as a priority, not as S', () => {
    const m = model('| ID | Issue | Severity | Owner |\n|---|---|---|---|\n| G-1 | x | BLOCKER | @a |\n');
    assert.equal(m.tables[0]!.roles.priority, 2);
    assert.equal(m.tables[0]!.roles.severity, undefined);
  });
});

describe('dates', () => {
  const cases: [string, string][] = [
    ['2026-01-31', '2026-01-31'], ['2026/01/31', '2026-01-31'], ['31 Jan 2026', '2026-01-31'], ['Jan 31, 2026', '2026-01-31'],
    ['April 28, 2026', '2026-04-28'], ['January 2026', '2026-01-31'], ['April 2026', '2026-04-30'], ['Q3 2026', '2026-09-30'],
    ['2026-W14', '2026-04-05'], ['2026-05-03T22:30:00Z', '2026-05-03'], ['Last updated: 2026-05-02.', '2026-05-02'],
    ['February 2028', '2028-02-29'], ['Last reviewed: 2025-05', '2025-05-31'],
  ];
  for (const [text, iso] of cases) it(`${text} → ${iso}`, () => assert.equal(findDates(text)[0]?.iso, iso));
  it('ignores yearless and impossible dates', () => {
    assert.deepEqual(findDates('May 5 and Thu Apr 28'), []);
    assert.deepEqual(findDates('2026-02-30'), []);
    assert.deepEqual(findDates('version 1.2.3, Month 1-2, Day 27, FY2024-25, v2024-05.1'), []);
  });
  it('finds both ends of a range', () => {
    assert.deepEqual(findDates('2026-02-12 through 2026-02-18').map((d) => d.iso), ['2026-02-12', '2026-02-18']);
  });
});

describe('tables', () => {
  it('splits code-span-aware and keeps exact cell ranges', () => {
    const cells = splitRow('| `a|b` | x \\| y |  z  |');
    assert.deepEqual(cells.map((c) => c.raw), ['`a|b`', 'x \\| y', 'z']);
    assert.deepEqual([cells[2]!.start, cells[2]!.end], [20, 21]);
  });
  it('gives each cell its range and makes a role column\'s cell that role\'s field, labelled by its header', () => {
    const m = model('| ID | Owner | Notes |\n|----|-------|-------|\n| G-1 | [@sre](./team.md) | x |\n');
    const row = m.tables[0]!.rows[0]!;
    const owner = row.item.fields.owner!;
    assert.equal(owner, row.cells[1], 'the field is the cell itself');
    assert.deepEqual([owner.role, owner.label, owner.text], ['owner', 'Owner', '@sre']);
    assert.deepEqual(owner.range, { start: { line: 2, character: 8 }, end: { line: 2, character: 25 } });
    assert.deepEqual(owner.links.map((l) => [l.target, l.range.start.character, l.range.end.character]), [['./team.md', 8, 25]]);
    // A cell reads as plain data (JSON, the CLI's --format json of a model, snapshots).
    assert.deepEqual(JSON.parse(JSON.stringify(row.cells[2])), { raw: 'x', text: 'x', range: { start: { line: 2, character: 28 }, end: { line: 2, character: 29 } }, links: [] });
  });

  it('keeps a row\'s cells while its line and its table\'s header read the same, and reads them again when the header changes', () => {
    const path = '/ws/docs/KEPT_REGISTER.md';
    const a = buildModel('| ID | Owner |\n|----|-------|\n| G-1 | @a |\n| G-2 | @b |\n', path, defaultConfig());
    const b = buildModel('| ID | Owner |\n|----|-------|\n| G-1 | @a |\n| G-2 | @c |\n', path, defaultConfig());
    assert.equal(b.tables[0]!.rows[0]!.cells, a.tables[0]!.rows[0]!.cells, 'an unchanged row keeps its cells');
    assert.notEqual(b.tables[0]!.rows[1]!.cells, a.tables[0]!.rows[1]!.cells);
    const c = buildModel('| ID | Assignee |\n|----|-------|\n| G-1 | @a |\n| G-2 | @c |\n', path, defaultConfig());
    assert.notEqual(c.tables[0]!.rows[0]!.cells, b.tables[0]!.rows[0]!.cells, 'a new header gives new cells');
    assert.equal(c.tables[0]!.rows[0]!.item.fields.owner!.label, 'Assignee');
  });

  it('reads ragged rows, tables without edge pipes, and tables in list items', () => {
    const m = model('ID | RPN\n---|---\nG-1 | 5 | extra\nG-2\n\n- item\n\n  | ID | RPN |\n  |----|-----|\n  | G-3 | 9 |\n');
    assert.equal(m.tables.length, 2);
    assert.equal(m.tables[0]!.rows.length, 1, 'a row without a pipe ends the table');
    assert.equal(m.tables[0]!.rows[0]!.cells.length, 3);
    assert.equal(m.tables[1]!.rows[0]!.item.id?.text, 'G-3');
  });
  it('does not read tables in code, HTML comments or front matter', () => {
    const text = '---\nx: |\n  | a | b |\n  |---|---|\n---\n\n```md\n| ID | RPN |\n|----|-----|\n| G-1 | 5 |\n```\n\n<!--\n| ID | RPN |\n|----|-----|\n-->\n';
    assert.equal(model(text).tables.length, 0);
  });
  it('maps links inside cells, including reference links', () => {
    const m = model('| ID | Evidence |\n|----|----------|\n| G-1 | [run](ci/run.md#ok), `docs/x.md`, [ref][r] |\n\n[r]: ./y.md\n');
    const ev = m.tables[0]!.rows[0]!.item.fields.evidence!;
    assert.deepEqual(ev.links.map((l) => l.target), ['ci/run.md#ok', 'docs/x.md', './y.md']);
  });
});

describe('document model', () => {
  it('builds the section tree and field lines', () => {
    const m = model('# Register\n\n**Last updated:** 2026-01-02\n\n## Open\n\n### G-004: Backups untested\n\n- Owner: @dba\n- **Status**: Open\n- RPN: 120\n');
    assert.deepEqual(m.headings.map((h) => h.text), ['Register', 'Open', 'G-004: Backups untested']);
    const item = m.items.find((i) => i.id?.text === 'G-004')!;
    assert.equal(item.source, 'section');
    assert.equal(item.fields.owner?.text, '@dba');
    assert.equal(item.fields.status?.text, 'Open');
    assert.equal(item.fields.rpn?.text, '120');
    assert.equal(m.fieldLines.find((f) => f.role === 'reviewed')?.text, '2026-01-02');
  });
  it('merges a section-per-gap entry into the summary row with the same id (one item)', () => {
    const m = model('| ID | Gap | RPN |\n|----|-----|-----|\n| G-1 | Backups | 90 |\n\n### G-1: Backups\n\nOwner: @dba\n');
    assert.equal(m.items.filter((i) => i.id?.text === 'G-1').length, 1);
    assert.equal(m.items[0]!.fields.owner?.text, '@dba');
  });
  it('blanks code, comments and quotes out of prose but keeps offsets', () => {
    const m = model('Text `G-1 (RPN: 5)` and <!-- G-2 --> end\n\n> quoted G-3\n');
    assert.equal(m.prose[0]!.length, m.lines.lines[0]!.length);
    assert.ok(!m.prose[0]!.includes('G-1') && !m.prose[0]!.includes('G-2') && m.prose[0]!.includes('end'));
    assert.ok(!m.prose[2]!.includes('G-3'));
  });
  it('reads task boxes', () => {
    const m = model('# Launch checklist\n\n- [x] Runbook\n- [ ] Load test\n* [X] Pager\n');
    assert.deepEqual(m.listItems.map((l) => l.checked), [true, false, true]);
  });
  it('repairs mojibake for matching', () => {
    assert.equal(demojibake('ğŸ”´ Mandatory'), '🔴 Mandatory');
    assert.equal(demojibake('ðŸ“‹ Index'), '📋 Index');
    assert.equal(demojibake('âœ… done'), '✅ done');
    assert.equal(demojibake('plain text'), 'plain text');
  });
  it('survives CRLF, a BOM and NUL bytes', () => {
    const m = model('\uFEFF# Gap register\r\n\r\n| ID | RPN |\r\n|----|-----|\r\n| G-1 | 5\u0000 |\r\n');
    assert.equal(m.tables.length, 1);
    assert.equal(m.tables[0]!.rows[0]!.item.id?.text, 'G-1');
  });
});

describe('workspace index entries', () => {
  it('defines each register id at its cell (row ids and section-heading ids), with its RPN, as JSON too', () => {
    const text = [
      '# Gap register',
      '',
      '| ID | Gap | S | O | D | RPN | Owner |',
      '|---|---|---|---|---|---|---|',
      '|  G-001 | Backups untested | 8 | 5 | 6 | 240 | @ops |',
      '| G-002 | No runbook | 4 | 4 | 4 | 64 | @sre |',
      '',
      '### G-003: Alerts page nobody',
      '',
      'Owner: @sre',
      'RPN: 90',
      '',
    ].join('\n');
    const summary = summarize(buildModel(text, '/ws/GAP_REGISTER.md', defaultConfig()));
    const plain = JSON.parse(JSON.stringify(summary.definitions));
    assert.deepEqual(plain, [
      { path: '/ws/GAP_REGISTER.md', id: 'G-001', range: { start: { line: 4, character: 3 }, end: { line: 4, character: 8 } }, rpn: 240, kind: 'gap-register' },
      { path: '/ws/GAP_REGISTER.md', id: 'G-002', range: { start: { line: 5, character: 2 }, end: { line: 5, character: 7 } }, rpn: 64, kind: 'gap-register' },
      { path: '/ws/GAP_REGISTER.md', id: 'G-003', range: { start: { line: 7, character: 4 }, end: { line: 7, character: 9 } }, rpn: 90, kind: 'gap-register' },
    ]);
    const index = new WorkspaceIndex();
    index.setSummary(summary);
    assert.deepEqual(JSON.parse(JSON.stringify(index.definitions('g-002')[0]!.range)), plain[1].range);

    // The same document summarized again (an editor opened it after indexing): equal definitions, other
    // objects. The index answers the same, with no new generation, and holds the new objects only.
    forgetDocument('/ws/GAP_REGISTER.md');
    const again = summarize(buildModel(text, '/ws/GAP_REGISTER.md', defaultConfig()));
    assert.notEqual(again.definitions[1], summary.definitions[1]);
    const { generation, idGeneration } = index;
    index.setSummary(again);
    assert.equal(index.generation, generation);
    assert.equal(index.idGeneration, idGeneration);
    assert.equal(index.definitions('G-002')[0], again.definitions[1], 'the index holds the new definition, not both');
    assert.deepEqual(JSON.parse(JSON.stringify(index.definitions('G-002'))), [plain[1]]);
  });
});

describe('kind detection', () => {
  const kind = (text: string, path: string) => model(text, path).kind;
  it('front matter wins', () => assert.equal(kind('---\nreadiness: slo\n---\n# Gap register\n', '/ws/GAP_REGISTER.md'), 'slo'));
  it('then the file name', () => {
    assert.equal(kind('# x\n', '/ws/docs/GAP_REGISTER.md'), 'gap-register');
    assert.equal(kind('# x\n', '/ws/FMEA.md'), 'fmea');
    assert.equal(kind('# x\n', '/ws/INVARIANTS.md'), 'invariants');
    assert.equal(kind('# x\n', '/ws/SLOs.md'), 'slo');
    assert.equal(kind('# x\n', '/ws/router-gap-analysis.md'), 'gap-analysis');
  });
  it('then the title and the folder', () => {
    assert.equal(kind('# Post-mortem: login outage\n', '/ws/2026-05-02-login.md'), 'postmortem');
    assert.equal(kind('# 2026-05-02: login outage\n', '/ws/docs/postmortems/2026-05-02.md'), 'postmortem');
  });
  it('then the content', () => {
    assert.equal(kind('| ID | Gap | RPN |\n|---|---|---|\n| G-1 | x | 5 |\n', '/ws/notes.md'), 'gap-register');
    assert.equal(kind('| Mode | S | O | D | RPN |\n|---|---|---|---|---|\n| x | 1 | 2 | 3 | 6 |\n', '/ws/notes.md'), 'fmea');
  });
  it('postmortems by their sections or a PM-number file name', () => {
    const pm = '# Total node failure\n\n## Summary\nx\n\n## Timeline\n- 10:00 x\n\n## Contributing Factors\nx\n\n## Action Items\n- y\n';
    assert.equal(kind(pm, '/ws/notes/2023-02-14 node failure.md'), 'postmortem');
    assert.equal(kind('# Total node failure\n', '/ws/PM2023-001 - Total node failure.md'), 'postmortem');
  });
  it('anything else is other', () => assert.equal(kind('# Meeting notes\n\nHello.\n', '/ws/notes.md'), 'other'));
  it('config globs', () => {
    const { config } = parseConfig("kinds:\n  'risk/*.md': gap-register\n", '/ws');
    assert.equal(buildModel('# x\n', '/ws/risk/a.md', config).kind, 'gap-register');
  });
});
