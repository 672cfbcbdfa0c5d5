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
  defaultConfig,
  lintText,
  LineIndex,
  memoryWorkspace,
  WorkspaceIndex,
  type DocumentModel,
  type Finding,
  type LintOptions,
} from '../../server/src/engine/index.js';
import { clearBuildMemo } from '../../server/src/engine/build.js';
import { assertRangeInside, checkFindings, HUGE, markdownDoc, mutatedDoc, params, registerDoc, SEEDS } from './arbitraries.js';

const ROOT = '/ws';
const PATH = `${ROOT}/docs/GAP_REGISTER.md`;
/** A generous bound per document (the machine may be busy); a hang or a quadratic blow-up exceeds it by far. */
const BOUND_MS = 4000;

function options(): LintOptions {
  const config = defaultConfig();
  const files: Record<string, string> = { 'docs/OTHER.md': SEEDS[0]!, 'docs/x.md': '# X\n\n## Summary\n', 'scripts/x.sh': 'echo' };
  const index = new WorkspaceIndex();
  for (const [p, t] of Object.entries(files)) if (p.endsWith('.md')) index.update(buildModel(t, `${ROOT}/${p}`, config));
  return { config, today: '2026-06-01', workspace: memoryWorkspace(ROOT, files, '* @sre @alice'), index };
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
      fc.property(fc.oneof(registerDoc, mutatedDoc, markdownDoc), mutatedDocEdits, (before, edits) => {
        const after = applyLineEdits(before, edits);
        clearBuildMemo(path);
        buildModel(before, path, config);
        const reused = digest(buildModel(after, path, config));
        clearBuildMemo(path);
        const fresh = digest(buildModel(after, path, config));
        assert.equal(reused, fresh);
      }),
      params(200),
    );
  });
});

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
