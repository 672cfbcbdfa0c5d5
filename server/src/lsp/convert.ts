/**
 * The one place engine findings become LSP diagnostics. The engine already speaks LSP positions
 * (0-based line, UTF-16 character), so ranges pass through; what needs converting is severity, the
 * related locations (paths to URIs) and the fixes, which travel in `diagnostic.data` so code actions can
 * be rebuilt from the diagnostic alone.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { ruleDocsUrl, type ConfigProblem, type Finding, type Fix, type Range, type Severity, type TextEdit } from '../engine/index.js';
import { pathToUri } from './uri.js';

export const DIAGNOSTIC_SOURCE = 'readiness';
import { CONFIG_INVALID_RULE } from '../engine/index.js';

export const CONFIG_RULE = CONFIG_INVALID_RULE;

/** What a readiness diagnostic carries for code actions. */
export interface DiagnosticData {
  /** The rule's kebab-case name. */
  rule: string;
  /** The document version the fixes' ranges refer to (undefined when unknown). */
  version: number | undefined;
  fixes: Fix[];
}

export interface ConvertContext {
  /** URI of the linted document (related locations without a path point here). */
  uri: string;
  version?: number;
  /** Maps an absolute posix path to a URI; defaults to a file: URI. */
  toUri?: (path: string) => string;
}

export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

export function findingToDiagnostic(finding: Finding, ctx: ConvertContext): Diagnostic {
  const toUri = ctx.toUri ?? pathToUri;
  const diagnostic: Diagnostic = {
    range: copyRange(finding.range),
    severity: toLspSeverity(finding.severity),
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related?.length) {
    const related: DiagnosticRelatedInformation[] = [];
    for (const r of finding.related) {
      let uri = ctx.uri;
      if (r.path !== undefined) {
        try {
          uri = toUri(r.path);
        } catch {
          continue;
        }
      }
      related.push({ location: { uri, range: copyRange(r.range) }, message: r.message });
    }
    if (related.length) diagnostic.relatedInformation = related;
  }
  const data: DiagnosticData = { rule: finding.ruleName, version: ctx.version, fixes: finding.fixes ?? [] };
  diagnostic.data = data;
  return diagnostic;
}

export function findingsToDiagnostics(findings: readonly Finding[], ctx: ConvertContext): Diagnostic[] {
  return findings.map((f) => findingToDiagnostic(f, ctx));
}

/** A problem of `.readiness.yaml`, shown on the config file itself. */
export function configProblemToDiagnostic(problem: ConfigProblem, severity: Severity = 'error'): Diagnostic {
  return {
    range: copyRange(problem.range),
    severity: toLspSeverity(severity),
    code: CONFIG_RULE.id,
    codeDescription: { href: ruleDocsUrl(CONFIG_RULE.id) },
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
}

/**
 * Reads `diagnostic.data` back, validating it: it comes from the client and may be anything (or a
 * diagnostic of another server). Returns undefined unless it is well-formed.
 */
export function readDiagnosticData(diagnostic: unknown): DiagnosticData | undefined {
  if (!isObject(diagnostic) || diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = diagnostic.data;
  if (!isObject(data) || !Array.isArray(data.fixes)) return undefined;
  const fixes: Fix[] = [];
  for (const fix of data.fixes) {
    if (!isObject(fix) || typeof fix.title !== 'string' || !Array.isArray(fix.edits)) return undefined;
    const edits: TextEdit[] = [];
    for (const e of fix.edits) {
      if (!isObject(e) || typeof e.newText !== 'string' || !isRange(e.range)) return undefined;
      edits.push({ range: copyRange(e.range), newText: e.newText });
    }
    fixes.push({ title: fix.title, edits });
  }
  return {
    rule: typeof data.rule === 'string' ? data.rule : '',
    version: typeof data.version === 'number' ? data.version : undefined,
    fixes,
  };
}

export function isRange(r: unknown): r is Range {
  return isObject(r) && isPosition(r.start) && isPosition(r.end);
}

function isPosition(p: unknown): p is Range['start'] {
  return (
    isObject(p) &&
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    (p.line as number) >= 0 &&
    (p.character as number) >= 0
  );
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}
