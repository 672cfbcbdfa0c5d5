/** Applying fixes (data) to text: shared by the CLI's --fix, the server and the tests. */
import { LineIndex } from './text.js';
import type { Finding, TextEdit } from './types.js';

/**
 * Applies edits to a text. Edits are applied from the end backwards; an edit that overlaps one already
 * taken is skipped (and returned in `skipped`), so no fix can clobber another.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: TextEdit[]; skipped: TextEdit[] } {
  const idx = new LineIndex(text);
  const withOffsets = edits.map((e) => ({ e, start: idx.offsetAt(e.range.start), end: idx.offsetAt(e.range.end) }));
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let floor = Infinity;
  const applied: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  for (const w of withOffsets) {
    if (w.end > floor || w.start > w.end) {
      skipped.push(w.e);
      continue;
    }
    out = out.slice(0, w.start) + w.e.newText + out.slice(w.end);
    floor = w.start;
    applied.push(w.e);
  }
  return { text: out, applied, skipped };
}

/**
 * Chooses the edits of a "fix all": the first fix of every finding that has one, whole fixes only, and
 * none that overlaps a fix already chosen (or itself). Shared by the CLI's --fix and the server's
 * source.fixAll action, so both make the same choice.
 */
export function selectFixEdits(text: string, findings: readonly Finding[]): { edits: TextEdit[]; fixed: number } {
  const idx = new LineIndex(text);
  const taken: Array<[number, number]> = [];
  const edits: TextEdit[] = [];
  let fixed = 0;
  for (const f of findings) {
    const fix = f.fixes?.[0];
    if (!fix || fix.edits.length === 0) continue;
    const spans = fix.edits.map((e) => [idx.offsetAt(e.range.start), idx.offsetAt(e.range.end)] as [number, number]);
    if (spans.some(([s, e]) => s > e)) continue;
    const clash = spans.some(([s, e]) => taken.some(([ts, te]) => (s < te && ts < e) || (s === e && ts === te && s === ts)));
    const selfClash = spans.some(([s, e], i) => spans.some(([s2, e2], j) => i < j && s < e2 && s2 < e));
    if (clash || selfClash) continue;
    taken.push(...spans);
    edits.push(...fix.edits);
    fixed++;
  }
  return { edits, fixed };
}

/** Applies the first fix of every finding that has one; overlapping fixes are left for a next pass. */
export function applyFixes(text: string, findings: readonly Finding[]): { text: string; fixed: number } {
  const { edits, fixed } = selectFixEdits(text, findings);
  return { text: applyEdits(text, edits).text, fixed };
}
