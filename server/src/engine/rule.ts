import type { Config } from './config.js';
import type { DocumentModel, Item } from './model.js';
import type { Fix, Range, RelatedLocation, RuleMeta, Severity } from './types.js';
import type { WorkspaceView } from './workspace.js';
import type { WorkspaceIndex } from './index-store.js';

export interface Report {
  range: Range;
  message: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Overrides the configured severity for this one finding (e.g. info for a softer case). */
  severity?: Severity;
}

export interface RuleContext {
  model: DocumentModel;
  config: Config;
  workspace: WorkspaceView | undefined;
  /** The workspace index (ids defined in other documents); undefined when linting one text alone. */
  index: WorkspaceIndex | undefined;
  /** Today as an ISO date (YYYY-MM-DD), from options, config or the clock. */
  today: string;
  report(r: Report): void;
}

/**
 * What a per-item check may read besides its item and its prepared state. No model and no index: a
 * finding about one row may depend only on that row and on what `prepare` computed (and keyed).
 */
export interface ItemContext {
  config: Config;
  workspace: WorkspaceView | undefined;
  today: string;
  /** The linted document's path. */
  path: string;
  report(r: Report): void;
}

/**
 * The per-item part of a rule: findings about one register item that depend only on that item (its row
 * text, line and table shape, its section path) and on document-level facts computed once by `prepare`.
 * The engine keeps each unchanged row's findings from the previous lint of the same document and runs
 * `check` only for rows that changed, so a one-line edit in a 4,000-row register reruns one row.
 *
 * The contract that makes this exact: `check` reads nothing of the document but `item` (its fields, row,
 * range, table columns and roles) and `state`; every document-level fact it needs is in `state`, whose
 * JSON changes whenever such a fact changes. Table items only are kept; section items always rerun.
 */
export interface ItemCheck<S> {
  /** Compared across lints by its JSON (Maps and Sets written out): keep it to plain data. */
  prepare(ctx: RuleContext): S;
  check(ctx: ItemContext, item: Item, state: S): void;
}

/**
 * One rule: metadata plus a whole-document `check`, a per-item `items` part, or both. One rule per file
 * under server/src/rules/.
 */
export interface Rule {
  meta: RuleMeta;
  check?(ctx: RuleContext): void;
  items?: ItemCheck<any>;
}

/** Declares a per-item check with its state type checked (a plain object literal loses it). */
export function itemCheck<S>(c: ItemCheck<S>): ItemCheck<S> {
  return c;
}
