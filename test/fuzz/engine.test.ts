/**
 * Fuzzing the engine: random and mutated Markdown through buildModel and every rule. No throw, no rule
 * failure, no run over a time bound, every range (findings, related locations, fix edits, the model's
 * own ranges) inside the document; a build that reuses the previous build's rows equals a fresh one.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  buildModel,
  releaseCells,
  defaultConfig,
  forgetDocument,
  lintText,
  LineIndex,
  type DocumentModel,
  type Finding,
  type LintOptions,
} from '../../server/src/engine/index.js';
import { assertRangeInside, checkFindings, HUGE, markdownDoc, mutatedDoc, params, registerDoc, ROOT, SEEDS, workspaceOptions } from './arbitraries.js';

const PATH = `${ROOT}/docs/GAP_REGISTER.md`;
/** A generous bound per document (the machine may be busy); a hang or a quadratic blow-up exceeds it by far. */
const BOUND_MS = 4000;

function options(): LintOptions {
  return workspaceOptions({ 'docs/OTHER.md': SEEDS[0]!, 'docs/x.md': '# X\n\n## Summary\n', 'scripts/x.sh': 'echo' }, '* @sre @alice');
}

function checkModel(text: string, m: DocumentModel): void {
  const lines = new LineIndex(text);
  assert.equal(m.lines.lineCount, lines.lineCount);
  assert.equal(m.prose.length, lines.lineCount);
  assert.equal(m.masked.length, lines.lineCount);
  for (let l = 0; l < lines.lineCount; l++) assert.equal(m.prose[l]!.length, lines.lines[l]!.length, `prose line ${l} keeps its length`);
  for (const h of m.headings) {
    assertRangeInside(lines, h.range, 'heading');
    assertRangeInside(lines, h.textRange, 'heading text');
  }
  for (const l of m.links) assertRangeInside(lines, l.range, 'link');
  for (const t of m.tables) {
    assertRangeInside(lines, t.range, 'table');
    for (const c of t.header) assertRangeInside(lines, c.range, 'header cell');
    for (const r of t.rows) {
      assertRangeInside(lines, r.range, 'row');
      for (const c of r.cells) {
        assertRangeInside(lines, c.range, 'cell');
        assert.equal(lines.lines[c.range.start.line]!.slice(c.range.start.character, c.range.end.character), c.raw, 'a cell range covers its raw text');
      }
    }
  }
  for (const i of m.listItems) {
    assertRangeInside(lines, i.textRange, 'list item');
    if (i.boxRange) assertRangeInside(lines, i.boxRange, 'checkbox');
  }
  for (const f of m.fieldLines) {
    assertRangeInside(lines, f.keyRange, 'field key');
    assertRangeInside(lines, f.valueRange, 'field value');
  }
  for (const it of m.items) {
    assertRangeInside(lines, it.range, 'item');
    for (const f of Object.values(it.fields)) if (f) assertRangeInside(lines, f.range, `item field ${f.role}`);
  }
  for (const s of m.suppressions) assertRangeInside(lines, s.range, 'suppression');
}

function lintChecked(text: string, opts: LintOptions): Finding[] {
  const started = performance.now();
  const { model, findings } = lintText(text, PATH, opts);
  const ms = performance.now() - started;
  assert.ok(ms < BOUND_MS, `lint took ${Math.round(ms)} ms (bound ${BOUND_MS} ms) on a ${text.length}-character document`);
  if (model) checkModel(text, model);
  checkFindings(text, findings, PATH);
  return findings;
}

/** The model as plain data (no cycles), to compare two builds. */
function digest(m: DocumentModel): string {
  return JSON.stringify(m, (k, v) => {
    // Front matter may be a cyclic structure (YAML anchors): compare its printed form.
    if (k === 'data') return inspect(v, { depth: 4 });
    if (k === 'parent' || k === 'table' || k === 'item' || k === 'section' || k === 'lines' || k === 'children') {
      return v && typeof v === 'object' ? (v.heading?.line ?? v.headerLine ?? v.line ?? '#') : v;
    }
    return v instanceof Map ? [...v] : v;
  });
}

describe('engine fuzz', () => {
  const opts = options();

  it('random Markdown: no throw, no hang, every range inside the document', () => {
    fc.assert(fc.property(markdownDoc, (text) => void lintChecked(text, opts)), params(250));
  });

  it('mutated real documents: no throw, no hang, every range inside the document', () => {
    fc.assert(fc.property(mutatedDoc, (text) => void lintChecked(text, opts)), params(250));
  });

  it('random registers: no throw, every range inside the document', () => {
    fc.assert(fc.property(registerDoc, (text) => void lintChecked(text, opts)), params(150));
  });

  for (const [name, make] of HUGE) {
    it(`huge shape: ${name}`, () => {
      const text = make();
      lintChecked(text, opts);
      // And the same shape behind CRLF line ends.
      lintChecked(text.replace(/\n/g, '\r\n'), opts);
    });
  }

  it('a build that reuses the previous rows equals a fresh build', () => {
    const path = `${ROOT}/docs/INCREMENTAL.md`;
    const config = defaultConfig();
    fc.assert(
      fc.property(fc.oneof(registerDoc, mutatedDoc, markdownDoc), mutatedDocEdits, fc.boolean(), (before, edits, release) => {
        const after = applyLineEdits(before, edits);
        forgetDocument(path);
        const first = buildModel(before, path, config);
        // The server lets go of the rows' cells when the user pauses: they are read again, equal.
        if (release) releaseCells([first]);
        const reused = digest(buildModel(after, path, config));
        forgetDocument(path);
        const fresh = digest(buildModel(after, path, config));
        assert.equal(reused, fresh);
      }),
      params(200),
    );
  });
});

describe('fuzz: incremental lint', () => {
  const opts = options();
  it('a lint that keeps unchanged rows\' findings equals a fresh lint, edit after edit', () => {
    const path = `${ROOT}/docs/INCREMENTAL_REGISTER.md`;
    fc.assert(
      fc.property(fc.oneof(registerDoc, registerDoc, mutatedDoc), fc.array(editStep, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (start, steps, releases) => {
        const texts = [start];
        for (const step of steps) texts.push(step(texts[texts.length - 1]!));
        forgetDocument(path);
        // Between some lints the cells are let go (the server's idle release): the next lint reads them again.
        const kept = texts.map((t, i) => {
          if (releases[i]) releaseCells();
          return JSON.stringify(lintText(t, path, opts).findings);
        });
        texts.forEach((t, i) => {
          forgetDocument(path);
          assert.equal(kept[i], JSON.stringify(lintText(t, path, opts).findings), `after step ${i}`);
        });
      }),
      params(150),
    );
  });
});

describe('incremental lint: what a row\'s findings depend on beyond the row', () => {
  const opts = options();
  const path = `${ROOT}/docs/FMEA.md`;
  const rd004 = (text: string) => lintText(text, path, opts).findings.filter((f) => f.ruleId === 'RD004').map((f) => f.message);
  const doc = (between: string) =>
    ['# FMEA', '', '## Critical (RPN > 200)', between, '| ID | Failure | S | O | D | RPN |', '|---|---|---|---|---|---|', '| FM-001 | x | 5 | 5 | 5 | 125 |', ''].join('\n');

  it('a heading put between a band heading and its table (no line moves) changes the rows\' section', () => {
    forgetDocument(path);
    assert.equal(rd004(doc('')).length, 1, 'RPN 125 is outside the section band RPN > 200');
    assert.deepEqual(rd004(doc('## Notes')), [], 'under its own heading the table no longer sits in the band');
    assert.equal(rd004(doc('')).length, 1);
  });

  it('a changed scale, band declaration or review date reaches unchanged rows', () => {
    forgetDocument(path);
    // Three lines of prose above the table, so the rows never move.
    const reg = (extra: string) =>
      ['# Gap Register', '', ...[...extra.split('\n'), '', '', ''].slice(0, 3), '', '| ID | Gap | S | O | D | RPN | Priority | Status | Due |', '|---|---|---|---|---|---|---|---|---|', '| G-777 | x | 4 | 4 | 4 | 64 | High | Open | 2026-03-01 |', ''].join('\n');
    const ids = (text: string) => lintText(text, path, opts).findings.map((f) => f.ruleId).sort().join(' ');
    assert.equal(ids(reg('')), 'RD004 RD009', 'High over RPN 64 (default bands); due before today');
    assert.equal(ids(reg('Scale: severity 1-3')), 'RD003 RD003 RD003 RD003 RD009', 'on a 1-3 scale the 4s and the RPN are out of range; bands are not judged');
    assert.equal(ids(reg('- High: RPN > 50\n- Medium: RPN 20-50\n- Low: RPN < 20')), 'RD009', 'the declared bands make 64 High');
    assert.equal(ids(reg('Last reviewed: 2026-02-01')), 'RD004 RD008', 'overdue is judged as of the last review, before the due date (and the review is stale)');
  });
});

/** Values a register cell can flip between: scores, words, statuses, dates, links, placeholders. */
const CELL_VALUES = ['', '7', '10', '0', '11', 'High', 'Low', 'Medium', 'Done', 'Open', '✅', '2026-01-01', '2027-03-03', '[ev](../x.md)', '[ev](../gone.md)', '@nobody', '@sre', 'TBD', '**9**', '3/4/5 → 60', 'G-001', 'Something'];
/** Lines that change document-level facts: a scale, bands, a review date, a heading, a section item. */
const FACT_LINES = ['Scale: severity 1-5', 'High: RPN > 200. Medium: RPN 100-200. Low: RPN < 100.', 'Last reviewed: 2026-07-01', '## Closed gaps', '### G-009: Backups', '- Owner: @sre', '- Status: Open', ''];

/** One editing step: a cell of a table row changes, a document-level line changes, a line-level edit, or a line moves down. */
const editStep: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.record({ row: fc.nat(), cell: fc.nat(), value: fc.constantFrom(...CELL_VALUES) }).map(({ row, cell, value }) => (text: string) => {
    const lines = text.split('\n');
    const rows = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*\|/.test(l) && !/^\s*\|[\s:|-]*$/.test(l));
    if (!rows.length) return text;
    const [l, i] = rows[row % rows.length]!;
    const parts = l.split('|');
    if (parts.length < 3) return text;
    const c = 1 + (cell % (parts.length - 2));
    parts[c] = ` ${value} `;
    lines[i] = parts.join('|');
    return lines.join('\n');
  }),
  fc.record({ at: fc.nat(), line: fc.constantFrom(...FACT_LINES), replace: fc.boolean() }).map(({ at, line, replace }) => (text: string) => {
    const lines = text.split('\n');
    const l = at % (lines.length + 1);
    if (replace && l < lines.length && !/^\s*\|/.test(lines[l]!)) lines[l] = line;
    else lines.splice(l, 0, line);
    return lines.join('\n');
  }),
  mutatedDocEditsLazy().map((edits) => (text: string) => applyLineEdits(text, edits)),
  // Alt+Down pressed a few times: a line (a blank line, a table's header) moves past the rows below it.
  fc.record({ at: fc.nat(), times: fc.integer({ min: 1, max: 3 }) }).map(({ at, times }) => (text: string) => {
    const lines = text.split('\n');
    for (let l = at % Math.max(1, lines.length - 1), k = 0; k < times && l + 1 < lines.length; k++, l++) [lines[l], lines[l + 1]] = [lines[l + 1]!, lines[l]!];
    return lines.join('\n');
  }),
);

function mutatedDocEditsLazy() {
  return fc.constant(null).chain(() => mutatedDocEdits);
}

/** Line-level edits of the kind an editor makes: change a line, insert one, delete one. */
const mutatedDocEdits = fc.array(
  fc.record({
    kind: fc.constantFrom('change', 'insert', 'delete', 'same'),
    at: fc.nat(),
    text: fc.constantFrom('| G-001 | x | 9 | 9 | 9 | 1 | Low |  | Open |  |  |', 'plain', '', '| a |', '[ev]: ../y.md', '## Heading', '|---|---|'),
    col: fc.nat(),
  }),
  { minLength: 1, maxLength: 4 },
);

function applyLineEdits(text: string, edits: { kind: string; at: number; text: string; col: number }[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const l = e.at % (lines.length + 1);
    if (e.kind === 'insert') lines.splice(l, 0, e.text);
    else if (e.kind === 'delete' && l < lines.length) lines.splice(l, 1);
    else if (e.kind === 'change' && l < lines.length) {
      const t = lines[l]!;
      const c = e.col % (t.length + 1);
      lines[l] = t.slice(0, c) + e.text.slice(0, 3) + t.slice(c);
    }
  }
  return lines.join('\n');
}
