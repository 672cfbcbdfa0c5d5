/**
 * Code actions: quick fixes for the readiness diagnostics the client sends, taken from the server's own
 * current findings of the document (a diagnostic identifies its finding by rule id, range and message;
 * the fixes never travel with it), plus one `source.fixAll.readiness` action that applies every
 * finding's first fix that does not overlap another.
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
import { matchesFinding, readDiagnosticKey } from './convert.js';

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

/**
 * One quick fix per fix of each readiness diagnostic that is one of the document's current findings
 * (same rule id, range and message), with edits for the current version (`target`). A diagnostic of
 * an older version that matches no current finding gets nothing, and so does anything malformed (the
 * diagnostics come from the client). `diagnosticOf` gives the server's diagnostic of a finding, which
 * the action names as the one it fixes.
 */
export function quickFixes(
  diagnostics: readonly unknown[],
  findings: readonly Finding[],
  target: EditTarget,
  diagnosticOf: (finding: Finding) => Diagnostic,
): CodeAction[] {
  const actions: CodeAction[] = [];
  let byLine: Map<number, Finding[]> | undefined;
  const used = new Set<Finding>();
  for (const d of diagnostics) {
    const key = readDiagnosticKey(d);
    if (!key) continue;
    byLine ??= fixableByStartLine(findings);
    // The first current finding it names that no other diagnostic of the request took already.
    const finding = byLine.get(key.range.start.line)?.find((f) => !used.has(f) && matchesFinding(key, f));
    if (!finding) continue;
    used.add(finding);
    const diagnostic = diagnosticOf(finding);
    finding.fixes!.forEach((fix, i) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0,
        edit: makeEdit(target, fix.edits.map(copyEdit)),
      });
    });
  }
  return actions;
}

/** The findings that have a fix, by the line their range starts on. */
function fixableByStartLine(findings: readonly Finding[]): Map<number, Finding[]> {
  const byLine = new Map<number, Finding[]>();
  for (const f of findings) {
    if (!f.fixes?.length) continue;
    const line = f.range.start.line;
    const list = byLine.get(line);
    if (list) list.push(f);
    else byLine.set(line, [f]);
  }
  return byLine;
}

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
