/**
 * The engine's vocabulary. Pure data: no `vscode`, no LSP, no `node:fs`.
 *
 * Positions follow one convention everywhere in the engine: 0-based line, 0-based UTF-16 character
 * offset (the LSP convention), so the language server passes ranges through untouched and the CLI adds 1.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** A replacement of `range` by `newText` in the linted document. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix is data: a title and the edits it makes. The CLI's --fix, code actions and tests share it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  /** Absolute posix path of the related document; undefined means the linted document itself. */
  path?: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

/** The document kinds the engine recognises. `other` gets no findings. */
export type DocKind =
  | 'gap-register'
  | 'fmea'
  | 'invariants'
  | 'slo'
  | 'checklist'
  | 'gap-analysis'
  | 'incident'
  | 'postmortem'
  | 'runbook'
  | 'summary'
  | 'other';

export const DOC_KINDS: readonly DocKind[] = [
  'gap-register',
  'fmea',
  'invariants',
  'slo',
  'checklist',
  'gap-analysis',
  'incident',
  'postmortem',
  'runbook',
  'summary',
  'other',
];

/** Roles a table column (or a `Field: value` line in a section) can play. */
export type Role =
  | 'id'
  | 'title'
  | 'severity'
  | 'occurrence'
  | 'detection'
  | 'rpn'
  | 'priority'
  | 'owner'
  | 'status'
  | 'evidence'
  | 'due'
  | 'reviewed'
  | 'action'
  | 'sli'
  | 'target'
  | 'window'
  | 'alert'
  | 'budget'
  | 'check'
  | 'score'
  | 'category'
  | 'level'
  | 'time'
  | 'count';

export interface RuleMeta {
  /** Stable id, e.g. `RD002`. */
  id: string;
  /** kebab-case name, e.g. `rpn-mismatch`. */
  name: string;
  /** One line, shown in the rule table and SARIF. */
  description: string;
  defaultSeverity: Severity;
  /** Document kinds the rule runs on. */
  kinds: readonly DocKind[];
  /** True when the rule offers fixes. */
  fixable?: boolean;
}

/** Where the rule docs live; the LSP `codeDescription.href` and SARIF `helpUri`. */
export const DOCS_BASE = 'https://github.com/readiness-dev/readiness/blob/main/docs/rules/';
export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
