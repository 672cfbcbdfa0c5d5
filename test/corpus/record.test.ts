/** The corpus record's own logic (parsing, sorting, comparing, merging); needs no ../shared. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/engine/index.js';
import { commonParent, compareKeys, compareRecords, findingKey, HEADER, mergeRecord, parseRecord, renderRecord, scopeOf, TODO, type Entry } from './run.js';

  describe('corpus record (test/corpus/run.ts)', () => {
  it('parses lines, skipping comments, and splits off the justification', () => {
    const entries = parseRecord('# header\n\na.md:3:1 RD002 RPN 4 ≠ 2 × 2 × 2 = 8.  # the authors multiplied wrong\nb.md:1:1 RD005 x\n');
    assert.deepEqual(entries, [
      { key: 'a.md:3:1 RD002 RPN 4 ≠ 2 × 2 × 2 = 8.', justification: 'the authors multiplied wrong' },
      { key: 'b.md:1:1 RD005 x', justification: '' },
    ]);
  });
  it('sorts by path, then line and column as numbers', () => {
    const keys = ['a.md:10:1 RD001 x', 'a.md:9:12 RD001 x', 'a.md:9:2 RD001 x', 'A.md:1:1 RD001 x'];
    assert.deepEqual([...keys].sort(compareKeys), ['A.md:1:1 RD001 x', 'a.md:9:2 RD001 x', 'a.md:9:12 RD001 x', 'a.md:10:1 RD001 x']);
  });
  it('compares as multisets, ignoring order', () => {
    const r = compareRecords(['a.md:1:1 R x', 'a.md:1:1 R x', 'a.md:2:1 R y'], ['a.md:2:1 R y', 'a.md:1:1 R x', 'a.md:3:1 R z']);
    assert.deepEqual(r, { onlyExpected: ['a.md:1:1 R x'], onlyActual: ['a.md:3:1 R z'] });
  });
  it('keeps justifications of unchanged lines and the lines outside the scope', () => {
    const old: Entry[] = [
      { key: 'corpus/a.md:1:1 R x', justification: 'why x' },
      { key: 'corpus/a.md:2:1 R gone', justification: 'why gone' },
      { key: 'examples/b.md:1:1 R y', justification: 'why y' },
    ];
    const merged = mergeRecord(old, ['corpus/a.md:1:1 R x', 'corpus/a.md:5:1 R new'], scopeOf(['corpus']));
    assert.deepEqual(merged, [
      { key: 'corpus/a.md:1:1 R x', justification: 'why x' },
      { key: 'corpus/a.md:5:1 R new', justification: TODO },
      { key: 'examples/b.md:1:1 R y', justification: 'why y' },
    ]);
    const text = renderRecord(merged);
    assert.ok(text.startsWith(HEADER));
    assert.deepEqual(parseRecord(text), merged);
  });
  it('writes messages on one line and without machine-specific roots', () => {
    const f: Finding = { ruleId: 'RD007', ruleName: 'x', severity: 'info', message: 'none exist in\n  /home/me/shared; lint there', range: { start: { line: 4, character: 2 }, end: { line: 4, character: 3 } } };
    assert.equal(findingKey('c/d.md', f, [['/home/me/shared', '<root>']]), 'c/d.md:5:3 RD007 none exist in <root>; lint there');
  });
  it('finds the common parent, and the scope of the linted folders', () => {
    assert.equal(commonParent(['/x/shared', '/x/shared']), '/x/shared');
    assert.equal(commonParent(['/x/shared/a', '/x/shared/b/c']), '/x/shared');
    const inScope = scopeOf(['corpus']);
    assert.ok(inScope('corpus/fmea/x.md'));
    assert.ok(!inScope('corpus2/x.md'));
    assert.ok(!inScope('examples/x.md'));
  });
});
