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

/** Applies the first fix of every finding that has one; overlapping fixes are left for a next pass. */
export function applyFixes(text: string, findings: readonly Finding[]): { text: string; fixed: number } {
  const edits: TextEdit[] = [];
  let fixed = 0;
  const byFinding: TextEdit[][] = [];
  for (const f of findings) {
    const fix = f.fixes?.[0];
    if (!fix) continue;
    byFinding.push(fix.edits);
  }
  // Apply whole fixes only: a fix whose edits overlap an earlier one is dropped entirely.
  const idx = new LineIndex(text);
  const taken: Array<[number, number]> = [];
  for (const group of byFinding) {
    const spans = group.map((e) => [idx.offsetAt(e.range.start), idx.offsetAt(e.range.end)] as [number, number]);
    const clash = spans.some(([s, e]) => taken.some(([ts, te]) => s < te && ts < e || (s === e && s === ts && ts === te)));
    if (clash) continue;
    taken.push(...spans);
    edits.push(...group);
    fixed++;
  }
  return { text: applyEdits(text, edits).text, fixed };
}
