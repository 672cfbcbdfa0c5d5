/**
 * Code actions, rebuilt from `diagnostic.data` (the fixes travel with the diagnostic), plus one
 * `source.fixAll.readiness` action that applies every finding's first fix that does not overlap another.
 */
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { selectFixEdits, type Finding, type TextEdit as EngineTextEdit } from '../engine/index.js';
import { readDiagnosticData } from './convert.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.readiness`;

export interface EditTarget {
  uri: string;
  version: number;
  /** Use `documentChanges` (versioned, so a stale edit is refused) when the client supports them. */
  documentChanges: boolean;
}

export function makeEdit(target: EditTarget, edits: TextEdit[]): WorkspaceEdit {
  if (target.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: target.uri, version: target.version }, edits)] };
  }
  return { changes: { [target.uri]: edits } };
}

/** Whether a requested `only` filter admits an action kind (kinds are hierarchical: `source` admits `source.fixAll.x`). */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => o === '' || kind === o || kind.startsWith(`${o}.`));
}

/** One quick fix per fix of each readiness diagnostic whose fixes still match the document version. */
export function quickFixes(diagnostics: readonly unknown[], target: EditTarget): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = readDiagnosticData(d);
    if (!data || data.fixes.length === 0) continue;
    // A diagnostic from an older version has ranges into a text that no longer exists.
    if (data.version !== undefined && data.version !== target.version) continue;
    data.fixes.forEach((fix, i) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d as Diagnostic],
        isPreferred: i === 0,
        edit: makeEdit(target, fix.edits.map(copyEdit)),
      });
    });
  }
  return actions;
}

/**
 * The edits of the first fix of every finding, whole fixes only, skipping a fix that overlaps one
 * already taken (the same selection the engine's applyFixes makes).
 */
/** The edits of "fix all": the engine's own selection (the CLI's --fix makes the same one). */
export function fixAllEdits(text: string, findings: readonly Finding[]): { edits: TextEdit[]; fixed: number } {
  const { edits, fixed } = selectFixEdits(text, findings);
  return { edits: edits.map(copyEdit), fixed };
}

export function fixAllAction(text: string, findings: readonly Finding[], target: EditTarget): CodeAction | undefined {
  const { edits, fixed } = fixAllEdits(text, findings);
  if (fixed === 0) return undefined;
  return {
    title: fixed === 1 ? 'Fix 1 readiness problem' : `Fix all ${fixed} auto-fixable readiness problems`,
    kind: FIX_ALL_KIND,
    edit: makeEdit(target, edits),
  };
}

function copyEdit(e: EngineTextEdit): TextEdit {
  return {
    range: { start: { ...e.range.start }, end: { ...e.range.end } },
    newText: e.newText,
  };
}
