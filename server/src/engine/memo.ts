/**
 * Results kept across builds of one document, for the rules and helpers that read it line by line: a
 * one-line edit in a 4,000-line register should cost one line, not 4,000.
 */
import type { DocumentModel, Item } from './model.js';
import type { WorkspaceView } from './workspace.js';

interface ItemResults {
  salt: string;
  fields: (object | undefined)[];
  lines: number[];
  results: unknown[];
}

interface LineResults {
  lines: readonly string[];
  results: unknown[];
}

const DOCS = 4;
const byPath = new Map<string, Map<string, LineResults | ItemResults>>();

function docMemo(path: string): Map<string, LineResults | ItemResults> {
  let doc = byPath.get(path);
  if (doc) byPath.delete(path);
  else doc = new Map();
  byPath.set(path, doc);
  if (byPath.size > DOCS) byPath.delete(byPath.keys().next().value!);
  return doc;
}

/**
 * `fn` of every line of `lines` (the model's `lines.lines` or `prose`), computed only for lines that
 * differ from the previous call's line at the same index for this document and `name`. An unchanged line
 * is usually the very same string object (LineIndex reuses them), so the comparison costs nothing.
 * `fn` must depend on the line's text alone.
 */
export function perLine<T>(model: DocumentModel, name: string, lines: readonly string[], fn: (line: string) => T): readonly T[] {
  const doc = docMemo(model.path);
  const prev = doc.get(name) as LineResults | undefined;
  const results: T[] = new Array(lines.length);
  for (let l = 0; l < lines.length; l++) {
    const t = lines[l]!;
    results[l] = prev && prev.lines[l] === t ? (prev.results[l] as T) : fn(t);
  }
  doc.set(name, { lines, results });
  return results;
}

/**
 * `fn` of every item, computed only for table rows that are not the previous call's row at the same
 * index (the same fields record and line: buildModel shares the record while the row's text, line and
 * table shape are unchanged) and for every section item. `salt` names everything else `fn` reads (the
 * workspace, its generation): when it changes, everything is computed again. `fn` must read nothing of
 * the document but its item.
 */
export function perItem<T>(model: DocumentModel, name: string, salt: string, fn: (item: Item) => T): readonly T[] {
  const doc = docMemo(model.path);
  const prev = doc.get(name) as ItemResults | undefined;
  const usable = prev && prev.salt === salt ? prev : undefined;
  const items = model.items;
  const next: ItemResults = { salt, fields: new Array(items.length), lines: new Array(items.length), results: new Array(items.length) };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const table = item.source === 'table';
    if (table) {
      next.fields[i] = item.fields;
      next.lines[i] = item.line;
    }
    next.results[i] = table && usable && usable.fields[i] === item.fields && usable.lines[i] === item.line ? usable.results[i] : fn(item);
  }
  doc.set(name, next);
  return next.results as T[];
}

/** Forgets the kept line results (all, or one path's). */
export function clearLineResults(path?: string): void {
  if (path === undefined) byPath.clear();
  else byPath.delete(path);
}

const workspaceIds = new WeakMap<WorkspaceView, number>();
let nextWorkspaceId = 1;

/** Names a workspace view and its generation: what it answers is the same while this is. */
export function workspaceKey(ws: WorkspaceView | undefined): string {
  if (!ws) return '-';
  let id = workspaceIds.get(ws);
  if (id === undefined) workspaceIds.set(ws, (id = nextWorkspaceId++));
  return `${id}.${ws.generation ?? 0}`;
}
