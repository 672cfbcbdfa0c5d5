/**
 * The workspace index: what each document defines and quotes, updated per file, so cross-document rules
 * (duplicate ids, undefined references, quoted figures) never re-read unchanged files.
 */
import type { DocumentModel } from './model.js';
import type { DocKind, Range } from './types.js';
import { memoByString, range, sameRange } from './text.js';
import { itemNumber } from './values.js';
import { perItem } from './memo.js';

export interface Definition {
  path: string;
  id: string;
  range: Range;
  /** The RPN the register holds for it, when it has one. */
  rpn: number | undefined;
  kind: DocKind;
}

export interface DocumentSummary {
  path: string;
  kind: DocKind;
  definitions: Definition[];
}

/**
 * A definition as summarize() makes it: the index holds one per id of every register in the workspace
 * (11,642 in the 1,001-document bench workspace), so it keeps its one-line range as three numbers and
 * makes the range when asked for (184 → 80 bytes each).
 */
class IdDefinition implements Definition {
  constructor(
    readonly path: string,
    readonly id: string,
    readonly line: number,
    readonly start: number,
    readonly end: number,
    readonly rpn: number | undefined,
    readonly kind: DocKind,
  ) {}

  get range(): Range {
    return range(this.line, this.start, this.line, this.end);
  }

  toJSON(): Definition {
    return { path: this.path, id: this.id, range: this.range, rpn: this.rpn, kind: this.kind };
  }
}

function definitionOf(path: string, id: string, r: Range, rpn: number | undefined, kind: DocKind): Definition {
  return r.start.line === r.end.line
    ? new IdDefinition(path, id, r.start.line, r.start.character, r.end.character, rpn, kind)
    : { path, id, range: r, rpn, kind };
}

/** What a document contributes to the index. */
export function summarize(model: DocumentModel): DocumentSummary {
  const definitions: Definition[] = [];
  if (model.kind !== 'other' && model.kind !== 'summary') {
    // A row's definition (or none) is kept while the row is unchanged.
    const defs = perItem(model, 'definitions', `${model.path}\u0000${model.kind}`, (item): Definition | undefined =>
      item.id && isDefiningId(item.id.text)
        ? definitionOf(model.path, item.id.text, item.id.range, itemNumber(item, 'rpn'), model.kind)
        : undefined,
    );
    for (const d of defs.values) if (d) definitions.push(d);
  }
  return { path: model.path, kind: model.kind, definitions };
}

/** An id worth indexing: has letters and a digit (`G-003`, `FM-12`), not a bare row number. */
export const isDefiningId: (id: string) => boolean = memoByString((id) => /^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+$/.test(id) && /\d/.test(id));

/** The id's prefix (`G` in `G-003`, `GAP-CORE2` in `GAP-CORE2-001`). */
export function idPrefix(id: string): string {
  return id.replace(/[-_.]?[A-Za-z]?\d+[A-Za-z]?$/, '');
}

export class WorkspaceIndex {
  private readonly docs = new Map<string, DocumentSummary>();
  /** Definitions by upper-cased id, in path order (a document's own in document order). */
  private readonly byId = new Map<string, Definition[]>();
  /** Definitions per id prefix (upper-cased). */
  private readonly prefixes = new Map<string, number>();
  /** The last summary given per path (equal to the one held, or that one). */
  private readonly lastSeen = new Map<string, DocumentSummary>();
  /**
   * Bumped whenever which ids are defined where changes (not when only an RPN does): rules may keep
   * what they concluded from the index while it holds.
   */
  idGeneration = 0;
  /** Bumped whenever any definition changes (an RPN included). */
  generation = 0;

  /**
   * Replaces what one document contributes. Only that document's definitions are taken out and put
   * back (the index is never rebuilt), so an edit costs the size of the edited document.
   */
  update(model: DocumentModel): DocumentSummary {
    const summary = summarize(model);
    this.setSummary(summary);
    return summary;
  }

  setSummary(summary: DocumentSummary): void {
    // The same definition objects as the last summary given for this path (rows unchanged since): that
    // summary equalled, or became, the one held.
    const seen = this.lastSeen.get(summary.path);
    this.lastSeen.set(summary.path, summary);
    if (seen && seen.kind === summary.kind && seen.definitions.length === summary.definitions.length && seen.definitions.every((d, i) => d === summary.definitions[i])) return;
    const old = this.docs.get(summary.path);
    // Unchanged definitions (most edits): the index stays as it is, but holds the new summary's objects
    // (the ones the document's memo keeps for its unchanged rows), not an equal copy of each.
    if (old && sameDefinitions(old, summary, true)) {
      this.adopt(old, summary);
      return;
    }
    this.generation++;
    if (!old || !sameDefinitions(old, summary, false)) this.idGeneration++;
    if (old) this.unlink(old);
    this.docs.set(summary.path, summary);
    this.link(summary);
  }

  remove(path: string): void {
    const old = this.docs.get(path);
    this.lastSeen.delete(path);
    if (!old) return;
    this.idGeneration++;
    this.generation++;
    this.docs.delete(path);
    this.unlink(old);
  }

  has(path: string): boolean {
    return this.docs.has(path);
  }

  get size(): number {
    return this.docs.size;
  }

  paths(): string[] {
    return [...this.docs.keys()];
  }

  /** Every definition of an id across the workspace, in path order. */
  definitions(id: string): Definition[] {
    return this.byId.get(id.toUpperCase()) ?? [];
  }

  /** definitions() of an id already upper-cased. */
  definitionsOfUpper(upper: string): Definition[] {
    return this.byId.get(upper) ?? [];
  }

  /** True when some register in the workspace defines ids with this prefix. */
  knowsPrefix(prefix: string): boolean {
    return (this.prefixes.get(prefix.toUpperCase()) ?? 0) > 0;
  }

  /** Puts `summary` in the place of `old`, which defines the same ids at the same places with the same RPNs. */
  private adopt(old: DocumentSummary, summary: DocumentSummary): void {
    for (let i = 0; i < old.definitions.length; i++) {
      const was = old.definitions[i]!;
      const now = summary.definitions[i]!;
      if (was === now) continue;
      const key = was.id.toUpperCase();
      const list = this.byId.get(key);
      const at = list ? list.indexOf(was) : -1;
      // A fresh array: callers may hold the previous one.
      if (at >= 0) this.byId.set(key, [...list!.slice(0, at), now, ...list!.slice(at + 1)]);
    }
    this.docs.set(summary.path, summary);
  }

  private link(summary: DocumentSummary): void {
    const path = summary.path;
    for (const d of summary.definitions) {
      const key = d.id.toUpperCase();
      const list = this.byId.get(key);
      if (!list) this.byId.set(key, [d]);
      else {
        // After every definition from a path that sorts before or equals this one (a document's own
        // definitions keep their order). Lists are short: a linear scan from the end.
        let i = list.length;
        while (i > 0 && list[i - 1]!.path > path) i--;
        // A fresh array: callers may hold the previous one.
        this.byId.set(key, [...list.slice(0, i), d, ...list.slice(i)]);
      }
      const pre = idPrefix(key);
      this.prefixes.set(pre, (this.prefixes.get(pre) ?? 0) + 1);
    }
  }

  private unlink(summary: DocumentSummary): void {
    for (const d of summary.definitions) {
      const key = d.id.toUpperCase();
      const list = this.byId.get(key);
      if (list) {
        const rest = list.filter((x) => x !== d);
        if (rest.length) this.byId.set(key, rest);
        else this.byId.delete(key);
      }
      const pre = idPrefix(key);
      const n = (this.prefixes.get(pre) ?? 0) - 1;
      if (n > 0) this.prefixes.set(pre, n);
      else this.prefixes.delete(pre);
    }
  }
}

/** True when two summaries of one path define the same ids at the same places (with the same RPNs when `rpns`). */
function sameDefinitions(a: DocumentSummary, b: DocumentSummary, rpns: boolean): boolean {
  if (a.kind !== b.kind || a.definitions.length !== b.definitions.length) return false;
  for (let i = 0; i < a.definitions.length; i++) {
    const x = a.definitions[i]!;
    const y = b.definitions[i]!;
    if (x === y) continue;
    if (x.id !== y.id || (rpns && x.rpn !== y.rpn) || x.kind !== y.kind || x.path !== y.path) return false;
    // An IdDefinition makes its range when asked: once per side.
    if (!sameRange(x.range, y.range)) return false;
  }
  return true;
}
