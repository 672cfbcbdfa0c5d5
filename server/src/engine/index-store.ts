/**
 * The workspace index: what each document defines and quotes, updated per file, so cross-document rules
 * (duplicate ids, undefined references, quoted figures) never re-read unchanged files.
 */
import type { DocumentModel } from './model.js';
import type { DocKind, Range } from './types.js';
import { itemNumber } from './values.js';

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

/** What a document contributes to the index. */
export function summarize(model: DocumentModel): DocumentSummary {
  const definitions: Definition[] = [];
  if (model.kind !== 'other' && model.kind !== 'summary') {
    for (const item of model.items) {
      if (!item.id || !isDefiningId(item.id.text)) continue;
      definitions.push({
        path: model.path,
        id: item.id.text,
        range: item.id.range,
        rpn: itemNumber(item, 'rpn'),
        kind: model.kind,
      });
    }
  }
  return { path: model.path, kind: model.kind, definitions };
}

/** An id worth indexing: has letters and a digit (`G-003`, `FM-12`), not a bare row number. */
export function isDefiningId(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+$/.test(id) && /\d/.test(id);
}

/** The id's prefix (`G` in `G-003`, `GAP-CORE2` in `GAP-CORE2-001`). */
export function idPrefix(id: string): string {
  return id.replace(/[-_.]?[A-Za-z]?\d+[A-Za-z]?$/, '');
}

export class WorkspaceIndex {
  private readonly docs = new Map<string, DocumentSummary>();
  private byId = new Map<string, Definition[]>();
  private prefixes = new Map<string, number>();
  private dirty = false;

  update(model: DocumentModel): void {
    this.docs.set(model.path, summarize(model));
    this.dirty = true;
  }

  setSummary(summary: DocumentSummary): void {
    this.docs.set(summary.path, summary);
    this.dirty = true;
  }

  remove(path: string): void {
    if (this.docs.delete(path)) this.dirty = true;
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
    this.refresh();
    return this.byId.get(id.toUpperCase()) ?? [];
  }

  /** True when some register in the workspace defines ids with this prefix. */
  knowsPrefix(prefix: string): boolean {
    this.refresh();
    return (this.prefixes.get(prefix.toUpperCase()) ?? 0) > 0;
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.byId = new Map();
    this.prefixes = new Map();
    const paths = [...this.docs.keys()].sort();
    for (const p of paths) {
      for (const d of this.docs.get(p)!.definitions) {
        const key = d.id.toUpperCase();
        const list = this.byId.get(key);
        if (list) list.push(d);
        else this.byId.set(key, [d]);
        const pre = idPrefix(key);
        this.prefixes.set(pre, (this.prefixes.get(pre) ?? 0) + 1);
      }
    }
    this.dirty = false;
  }
}
