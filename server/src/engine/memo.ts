/**
 * What the engine keeps between builds and lints of one document, so a one-line edit in a 4,000-line
 * register costs one line, not 4,000: the build's lines and cells, the lint's per-item findings, the rules'
 * per-row and per-line results and what they concluded. One store for the last few documents: one bound,
 * one way to forget (forgetDocument).
 */
import type { DocumentModel, Item, Section, Table } from './model.js';
import type { WorkspaceView } from './workspace.js';

interface ItemResults {
  salt: string;
  /** The diff sequence number of the model the results are for. */
  seq: number;
  results: unknown[];
}

interface LineResults {
  lines: readonly unknown[];
  results: Packed<unknown>;
}

const DOCS = 4;
const byPath = new Map<string, Map<string, unknown>>();

const NONE: readonly never[] = Object.freeze([]);

/**
 * An array as something kept between lints should hold it: exact size (an array grown by push reserves
 * room for 17 elements, and a 4,000-row register keeps thousands of small ones) and, when empty, one
 * shared frozen array. Callers never change what they get.
 */
export function keptArray<T>(a: T[]): T[] {
  return a.length === 0 ? (NONE as unknown as T[]) : a.slice();
}

/**
 * What is kept per row when most rows have one value: none (undefined), the value itself, or an
 * exact-size array of several (a 4,000-row register keeps no one-element array per row). T is never an array.
 */
export type OneOrMany<T> = T | readonly T[] | undefined;

export function oneOrMany<T>(xs: readonly T[]): OneOrMany<T> {
  return xs.length === 0 ? undefined : xs.length === 1 ? xs[0] : keptArray(xs as T[]);
}

/** The values of a OneOrMany as an array (made for a single value). */
export function manyOf<T>(v: OneOrMany<T>): readonly T[] {
  return v === undefined ? NONE : Array.isArray(v) ? v : [v as T];
}

/** Adds the values of a OneOrMany to `out` (no array made on the way). */
export function addEach<T>(v: OneOrMany<T>, out: T[]): void {
  if (v === undefined) return;
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) out.push(v[i]);
  else out.push(v as T);
}

/**
 * The values kept for one document, by name (the document becomes the most recently used; the least
 * recently used beyond the last few is forgotten whole).
 */
export function documentMemo(path: string): Map<string, unknown> {
  let doc = byPath.get(path);
  if (doc) byPath.delete(path);
  else doc = new Map();
  byPath.set(path, doc);
  if (byPath.size > DOCS) byPath.delete(byPath.keys().next().value!);
  return doc;
}

/** The values kept for every document (least recently used first), without touching their order. */
export function keptDocumentMemos(): IterableIterator<Map<string, unknown>> {
  return byPath.values();
}

/** Forgets what is kept for a document (every document without a path). */
export function forgetDocumentMemo(path?: string): void {
  if (path === undefined) byPath.clear();
  else byPath.delete(path);
}

/**
 * `fn` of every line of `lines` (the model's `lines.lines` or `prose`), computed only for lines that
 * differ from the previous call's line at the same index for this document and `name`. An unchanged line
 * is usually the very same string object (LineIndex reuses them), so the comparison costs nothing.
 * `fn` must depend on the line's text alone.
 */
export function perLine<T>(model: { path: string }, name: string, lines: readonly string[], fn: (line: string) => T): readonly T[] {
  return perKey(model, name, lines, (line) => fn(line));
}

/**
 * `fn` of every key, computed only for keys that are not (===) the previous call's key at the same index
 * for this document and `name`: lines (strings), or rows' memoKeys (which buildModel shares between
 * builds while their row is unchanged). `fn` must depend on what its key stands for alone.
 */
export function perKey<K, T>(model: { path: string }, name: string, keys: readonly K[], fn: (key: K, index: number) => T): readonly T[] {
  const doc = documentMemo(model.path);
  const prev = doc.get(name) as LineResults | undefined;
  const results: T[] = new Array(keys.length);
  for (let l = 0; l < keys.length; l++) {
    const k = keys[l]!;
    results[l] = prev && prev.lines[l] === k ? (valueAt(prev.results, l) as T) : fn(k, l);
  }
  doc.set(name, { lines: keys, results: packed(results) });
  return results;
}

/**
 * Values by index as kept between lints: an array, or, when all but a few are one value (most lines
 * declare no scale, most rows no pipe in code), that value and the few others by index. A 4,000-row
 * register keeps a dozen such results; each array would be 32 KB.
 */
type Packed<T> = T[] | { common: T; others: Map<number, T> };

function packed<T>(xs: T[]): Packed<T> {
  if (xs.length < 64) return xs;
  // The majority value, if there is one (Boyer–Moore vote), then how many are not it.
  let common: T = xs[0]!;
  let votes = 0;
  for (const x of xs) {
    if (votes === 0) common = x;
    votes += x === common ? 1 : -1;
  }
  let rest = 0;
  const most = xs.length >> 4;
  for (const x of xs) if (x !== common && ++rest > most) return xs;
  const others = new Map<number, T>();
  for (let i = 0; i < xs.length; i++) if (xs[i] !== common) others.set(i, xs[i]!);
  return { common, others };
}

function valueAt<T>(p: Packed<T>, i: number): T {
  if (Array.isArray(p)) return p[i]!;
  return p.others.has(i) ? p.others.get(i)! : p.common;
}

/**
 * Where a table sits: its header line and the headings above it (line, depth, text, extent, children).
 * A row's per-item findings may depend on it (a band declared by a heading above the table).
 */
function tableContextKey(t: Table): string {
  let k = `${t.headerLine}`;
  for (let s: Section | undefined = t.section; s; s = s.parent) {
    k += `\u0001${s.startLine}-${s.endLine}:${s.children.map((c) => c.heading?.line).join(',')}:${s.heading ? `${s.heading.line}:${s.heading.depth}:${s.heading.text}` : ''}`;
  }
  return k;
}

/**
 * How a model's items differ from those of the document's previous model that was diffed: the indices
 * whose item is not the same table row (the same memoKey, line and table context: buildModel shares a row's
 * record while its text, line and table shape are unchanged). Section items always count as changed.
 * Computed once per model; every per-item memo of the lint shares it.
 */
export interface ItemDiff {
  seq: number;
  /** The sequence number of the model compared against (undefined: none). */
  prevSeq: number | undefined;
  changed: readonly number[];
  /** True for changed indices. */
  isChanged: Uint8Array;
  /** The item count changed (indices moved). */
  resized: boolean;
  /** Some table row changed place (its line or its table), not only its text: what depends on where rows stand must be read again. */
  moved: boolean;
}

interface Snapshot {
  seq: number;
  /** Each item's memoKey. */
  keys: (object | undefined)[];
  lines: number[];
  /** The table context of each row (interned: compared by identity). */
  contexts: (string | undefined)[];
  interned: Map<string, string>;
}

const diffs = new WeakMap<DocumentModel, ItemDiff>();
let nextSeq = 1;
const ITEM_DIFF = 'item-diff';

export function itemDiff(model: DocumentModel): ItemDiff {
  const have = diffs.get(model);
  if (have) return have;
  const memo = documentMemo(model.path);
  const snap = memo.get(ITEM_DIFF) as Snapshot | undefined;
  const items = model.items;
  const keys = snap?.keys ?? [];
  const lines = snap?.lines ?? [];
  const contexts = snap?.contexts ?? [];
  const interned = snap?.interned ?? new Map<string, string>();
  if (interned.size > 10_000) interned.clear();
  const resized = !snap || keys.length !== items.length;
  const changed: number[] = [];
  const isChanged = new Uint8Array(items.length);
  let moved = false;
  let lastTable: Table | undefined;
  let lastContext: string | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const t = item.source === 'table' ? item.table : undefined;
    let context: string | undefined;
    if (t) {
      if (t !== lastTable) {
        lastTable = t;
        const k = tableContextKey(t);
        lastContext = interned.get(k);
        if (lastContext === undefined) interned.set(k, (lastContext = k));
      }
      context = lastContext;
      if (keys[i] === item.memoKey && item.memoKey !== undefined && lines[i] === item.line && contexts[i] === context) continue;
      if (lines[i] !== item.line || contexts[i] !== context) moved = true;
    }
    keys[i] = t ? item.memoKey : undefined;
    lines[i] = item.line;
    contexts[i] = context;
    changed.push(i);
    isChanged[i] = 1;
  }
  keys.length = lines.length = contexts.length = items.length;
  const d: ItemDiff = { seq: nextSeq++, prevSeq: snap?.seq, changed, isChanged, resized, moved };
  memo.set(ITEM_DIFF, { seq: d.seq, keys, lines, contexts, interned });
  diffs.set(model, d);
  return d;
}

/** What perItem gives: a value per item, and which items were computed again this time. */
export interface ItemValues<T> {
  values: readonly T[];
  /** Indices computed again (changed rows, section items); every index when `fresh`. */
  changed: readonly number[];
  /** True when nothing was kept (first call, another salt, items added or removed). */
  fresh: boolean;
  /** The value each changed index had before (aligned with `changed`; empty when `fresh`). */
  before: readonly T[];
}

/**
 * `fn` of every item, computed only for the items itemDiff says changed since the model this memo was
 * last computed for (when that is the previous one; otherwise for every item). `salt` names everything
 * else `fn` reads (the workspace, its generation): when it changes, everything is computed again. `fn`
 * must read nothing of the document but its item. The arrays are reused from call to call: read them
 * before the next call.
 */
export function perItem<T>(model: DocumentModel, name: string, salt: string, fn: (item: Item) => T): ItemValues<T> {
  const d = itemDiff(model);
  const doc = documentMemo(model.path);
  const r = doc.get(name) as ItemResults | undefined;
  const items = model.items;
  if (r && r.salt === salt && r.seq === d.seq) return { values: r.results as T[], changed: NOTHING, fresh: false, before: NOTHING };
  if (r && r.salt === salt && r.seq === d.prevSeq && !d.resized) {
    const before: T[] = [];
    for (const i of d.changed) {
      before.push(r.results[i] as T);
      r.results[i] = fn(items[i]!);
    }
    r.seq = d.seq;
    return { values: r.results as T[], changed: d.changed, fresh: false, before };
  }
  const results = items.map(fn);
  doc.set(name, { salt, seq: d.seq, results });
  return { values: results, changed: items.map((_, i) => i), fresh: true, before: [] };
}

const NOTHING: readonly never[] = [];

/**
 * True when perItem kept its values and every item it computed again came out equal (by `same`) to what
 * it was before: anything a rule concluded from all the values still holds.
 */
export function sameAsBefore<T>(v: ItemValues<T>, same: (before: T, now: T) => boolean): boolean {
  return !v.fresh && v.changed.every((i, k) => same(v.before[k]!, v.values[i]!));
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
