/**
 * The one place engine findings become LSP diagnostics. The engine already speaks LSP positions
 * (0-based line, UTF-16 character), so ranges pass through; what needs converting is severity and the
 * related locations (paths to URIs). `diagnostic.data` carries only the rule's name: the fixes stay on
 * the server, which takes them from its own current findings when the client asks for code actions
 * (see {@link matchDiagnostic}).
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { ruleDocsUrl, type ConfigProblem, type Finding, type Range, type Severity } from '../engine/index.js';
import { pathToUri } from './uri.js';

export const DIAGNOSTIC_SOURCE = 'readiness';
import { CONFIG_INVALID_RULE } from '../engine/index.js';

export const CONFIG_RULE = CONFIG_INVALID_RULE;

/** What a readiness diagnostic carries in `data`. */
export interface DiagnosticData {
  /** The rule's kebab-case name. */
  rule: string;
}

export interface ConvertContext {
  /** URI of the linted document (related locations without a path point here). */
  uri: string;
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
  const data: DiagnosticData = { rule: finding.ruleName };
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

/** What identifies a readiness diagnostic sent back by the client: its rule id, range and message. */
export interface DiagnosticKey {
  code: string;
  range: Range;
  message: string;
}

/**
 * Reads the identity of a readiness diagnostic the client sends back (in code action requests),
 * validating it: it comes from the client and may be anything (or a diagnostic of another server).
 * Returns undefined unless it is a well-formed readiness diagnostic.
 */
export function readDiagnosticKey(diagnostic: unknown): DiagnosticKey | undefined {
  if (!isObject(diagnostic) || diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const { code, range, message } = diagnostic;
  if (typeof code !== 'string' || typeof message !== 'string' || !isRange(range)) return undefined;
  return { code, range: copyRange(range), message };
}

/** Whether a finding is the one a diagnostic (read by {@link readDiagnosticKey}) was made from. */
export function matchesFinding(key: DiagnosticKey, finding: Finding): boolean {
  return key.code === finding.ruleId && key.message === finding.message && sameRange(key.range, finding.range);
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
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
