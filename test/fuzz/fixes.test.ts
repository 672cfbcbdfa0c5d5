/**
 * Fuzzing the fixes: on random registers and mutated documents, every fix edits only its own range
 * (the text outside it is unchanged, its edits do not overlap) and is idempotent (once applied, the
 * same fix is not offered again), and "fix all" reaches a fixed point in a few passes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyEdits,
  applyFixes,
  LineIndex,
  lintText,
  type Finding,
  type Fix,
  type LintOptions,
} from '../../server/src/engine/index.js';
import { checkFindings, markdownDoc, mutatedDoc, params, registerDoc, ROOT, SEEDS, workspaceOptions } from './arbitraries.js';

const PATH = `${ROOT}/docs/GAP_REGISTER.md`;

function options(): LintOptions {
  return workspaceOptions({ 'docs/OTHER.md': SEEDS[0]!, 'docs/x.md': '# X\n' });
}

function lint(text: string, opts: LintOptions): Finding[] {
  const findings = lintText(text, PATH, opts).findings;
  checkFindings(text, findings, PATH);
  return findings;
}

function sameFix(a: Fix, b: Fix): boolean {
  return (
    a.edits.length === b.edits.length &&
    a.edits.every((e, i) => {
      const o = b.edits[i]!;
      return e.newText === o.newText && JSON.stringify(e.range) === JSON.stringify(o.range);
    })
  );
}

/** Applies one fix and checks that only its ranges changed; returns the new text. */
function applyOne(text: string, f: Finding, fix: Fix): string {
  const idx = new LineIndex(text);
  const spans = fix.edits.map((e) => ({ start: idx.offsetAt(e.range.start), end: idx.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]!.end <= spans[i]!.start, `${f.ruleId} "${fix.title}": its edits overlap`);
  const r = applyEdits(text, fix.edits);
  assert.equal(r.skipped.length, 0, `${f.ruleId} "${fix.title}": an edit was skipped`);
  // The expected text, built independently: the original between the edits, the new text inside them.
  let expected = '';
  let pos = 0;
  for (const s of spans) {
    expected += text.slice(pos, s.start) + s.newText;
    pos = s.end;
  }
  expected += text.slice(pos);
  assert.equal(r.text, expected, `${f.ruleId} "${fix.title}" changed text outside its range`);
  return r.text;
}

describe('fix fuzz', () => {
  const opts = options();

  it('every fix changes only its own range and is not offered again once applied', () => {
    let fixesSeen = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 3, arbitrary: registerDoc }, { weight: 1, arbitrary: mutatedDoc }), (text) => {
        const findings = lint(text, opts);
        let checked = 0;
        for (const f of findings) {
          for (const fix of f.fixes ?? []) {
            if (checked++ >= 6) return;
            fixesSeen++;
            const fixed = applyOne(text, f, fix);
            const again = lint(fixed, opts);
            const repeat = again.find((g) => g.ruleId === f.ruleId && (g.fixes ?? []).some((h) => sameFix(h, fix)));
            assert.ok(!repeat, `${f.ruleId} "${fix.title}" is offered again after it was applied:\n${fixed}`);
          }
        }
      }),
      params(150),
    );
    assert.ok(fixesSeen > 20, `the generator must produce fixable documents (saw ${fixesSeen} fixes)`);
  });

  it('fix all reaches a fixed point within a few passes', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 3, arbitrary: registerDoc }, { weight: 1, arbitrary: mutatedDoc }, { weight: 1, arbitrary: markdownDoc }), (text) => {
        let t = text;
        for (let pass = 0; pass < 6; pass++) {
          const r = applyFixes(t, lint(t, opts));
          if (r.fixed === 0) {
            assert.equal(r.text, t);
            return;
          }
          t = r.text;
        }
        assert.fail(`fix all still fixes after 6 passes:\n${text}\n---\n${t}`);
      }),
      params(150),
    );
  });
});
