import type { Config } from './config.js';
import type { DocumentModel } from './model.js';
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

/** One rule: metadata plus a check. One rule per file under server/src/rules/. */
export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
