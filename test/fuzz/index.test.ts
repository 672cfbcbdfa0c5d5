/**
 * The workspace index is updated per file (only the changed document's definitions are taken out and
 * put back). Random sequences of updates and removals must answer exactly as an index rebuilt from
 * scratch: every definition of an id, in path order, and the known id prefixes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { idPrefix, WorkspaceIndex, type Definition, type DocumentSummary } from '../../server/src/engine/index-store.js';
import type { DocKind } from '../../server/src/engine/types.js';
import { params } from './arbitraries.js';

/** The reference: every answer computed from all summaries, as the first index did. */
function reference(docs: Map<string, DocumentSummary>) {
  const byId = new Map<string, Definition[]>();
  const prefixes = new Map<string, number>();
  for (const p of [...docs.keys()].sort()) {
    for (const d of docs.get(p)!.definitions) {
      const key = d.id.toUpperCase();
      byId.set(key, [...(byId.get(key) ?? []), d]);
      const pre = idPrefix(key);
      prefixes.set(pre, (prefixes.get(pre) ?? 0) + 1);
    }
  }
  return { byId, prefixes };
}

const path = fc.constantFrom('/ws/a.md', '/ws/b.md', '/ws/B.md', '/ws/docs/c.md', '/ws/z.md', '/ws/a.md.bak');
const id = fc.constantFrom('G-001', 'g-001', 'G-002', 'FM-3', 'GAP-CORE-7', 'G-010', 'INV-1');
const kind = fc.constantFrom<DocKind>('gap-register', 'fmea', 'invariants');
const summary = fc
  .record({ path, kind, defs: fc.array(fc.record({ id, line: fc.nat(50), rpn: fc.option(fc.nat(1000), { nil: undefined }) }), { maxLength: 6 }) })
  .map(({ path, kind, defs }): DocumentSummary => ({
    path,
    kind,
    definitions: defs.map((d) => ({ path, id: d.id, kind, rpn: d.rpn, range: { start: { line: d.line, character: 2 }, end: { line: d.line, character: 2 + d.id.length } } })),
  }));
const op = fc.oneof({ weight: 4, arbitrary: summary.map((s) => ({ set: s })) }, { weight: 1, arbitrary: path.map((p) => ({ remove: p })) });

describe('workspace index fuzz', () => {
  it('per-file updates answer as a full rebuild does', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const index = new WorkspaceIndex();
        const docs = new Map<string, DocumentSummary>();
        for (const o of ops) {
          if ('set' in o) {
            index.setSummary(o.set);
            docs.set(o.set.path, o.set);
          } else {
            index.remove(o.remove);
            docs.delete(o.remove);
          }
          const ref = reference(docs);
          assert.equal(index.size, docs.size);
          for (const key of ['G-001', 'G-002', 'FM-3', 'GAP-CORE-7', 'G-010', 'INV-1', 'X-9']) {
            const got = index.definitions(key).map((d) => `${d.path}#${d.range.start.line}=${d.rpn}`);
            const want = (ref.byId.get(key) ?? []).map((d) => `${d.path}#${d.range.start.line}=${d.rpn}`);
            assert.deepEqual(got, want, `definitions(${key})`);
            const pre = idPrefix(key);
            assert.equal(index.knowsPrefix(pre), (ref.prefixes.get(pre) ?? 0) > 0, `knowsPrefix(${pre})`);
          }
        }
      }),
      params(400),
    );
  });
});
