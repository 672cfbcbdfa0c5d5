/**
 * Results kept across builds of one document, for the rules and helpers that read it line by line: a
 * one-line edit in a 4,000-line register should cost one line, not 4,000.
 */
import type { DocumentModel } from './model.js';

interface LineResults {
  lines: readonly string[];
  results: unknown[];
}

const DOCS = 4;
const byPath = new Map<string, Map<string, LineResults>>();

/**
 * `fn` of every line of `lines` (the model's `lines.lines` or `prose`), computed only for lines that
 * differ from the previous call's line at the same index for this document and `name`. An unchanged line
 * is usually the very same string object (LineIndex reuses them), so the comparison costs nothing.
 * `fn` must depend on the line's text alone.
 */
export function perLine<T>(model: DocumentModel, name: string, lines: readonly string[], fn: (line: string) => T): readonly T[] {
  let doc = byPath.get(model.path);
  if (doc) byPath.delete(model.path);
  else doc = new Map();
  byPath.set(model.path, doc);
  if (byPath.size > DOCS) byPath.delete(byPath.keys().next().value!);
  const prev = doc.get(name);
  const results: T[] = new Array(lines.length);
  for (let l = 0; l < lines.length; l++) {
    const t = lines[l]!;
    results[l] = prev && prev.lines[l] === t ? (prev.results[l] as T) : fn(t);
  }
  doc.set(name, { lines, results });
  return results;
}

/** Forgets the kept line results (all, or one path's). */
export function clearLineResults(path?: string): void {
  if (path === undefined) byPath.clear();
  else byPath.delete(path);
}
