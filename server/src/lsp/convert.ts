/**
 * The one place engine findings become LSP diagnostics. The engine already speaks LSP positions
 * (0-based line, UTF-16 character), so ranges pass through; what needs converting is severity and the
 * related locations (paths to URIs). Diagnostics carry no `data`: the fixes stay on the server, which takes
 * them from its own current findings when the client asks for code actions (see {@link matchesFinding}),
 * and a register's thousands of diagnostics travel lighter without it.
 */
import { DiagnosticSeverity, type CodeDescription, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { FrozenRange, ruleDocsUrl, sameRange, type ConfigProblem, type Finding, type Range, type Severity } from '../engine/index.js';
import { pathToUri } from './uri.js';

export const DIAGNOSTIC_SOURCE = 'readiness';
import { CONFIG_INVALID_RULE } from '../engine/index.js';

export const CONFIG_RULE = CONFIG_INVALID_RULE;

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

/**
 * The diagnostic of a finding: a new, frozen object (deeply: nothing in it may change once made, since
 * the transport caches its JSON per object, see ./encode.ts). Its `codeDescription` depends on the rule
 * only and is shared by every diagnostic of the rule.
 */
export function findingToDiagnostic(finding: Finding, ctx: ConvertContext): Diagnostic {
  const toUri = ctx.toUri ?? pathToUri;
  const diagnostic: Diagnostic = {
    range: frozenRange(finding.range),
    severity: toLspSeverity(finding.severity),
    code: finding.ruleId,
    codeDescription: codeDescriptionOf(finding.ruleId),
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
      related.push(Object.freeze({ location: Object.freeze({ uri, range: frozenRange(r.range) }), message: r.message }));
    }
    if (related.length) diagnostic.relatedInformation = Object.freeze(related) as DiagnosticRelatedInformation[];
  }
  return Object.freeze(diagnostic);
}

// The parts that depend on the rule only are made once per rule and shared (they are frozen).
const codeDescriptions = new Map<string, CodeDescription>();

function codeDescriptionOf(ruleId: string): CodeDescription {
  let d = codeDescriptions.get(ruleId);
  if (!d) codeDescriptions.set(ruleId, (d = Object.freeze({ href: ruleDocsUrl(ruleId) })));
  return d;
}

/**
 * The diagnostics of one document's findings. The same Finding object always gives the same Diagnostic
 * object (the engine returns the very objects of the previous lint for what did not change, so a lint
 * after an edit converts only the new findings, and the transport reuses the JSON of the others).
 * Findings are treated as immutable: one changed in place would keep its old diagnostic.
 */
export class DiagnosticConverter {
  private readonly cache = new WeakMap<Finding, Diagnostic>();

  constructor(private readonly ctx: ConvertContext) {}

  diagnostic(finding: Finding): Diagnostic {
    let d = this.cache.get(finding);
    if (!d) {
      d = findingToDiagnostic(finding, this.ctx);
      this.cache.set(finding, d);
    }
    return d;
  }

  diagnostics(findings: readonly Finding[]): Diagnostic[] {
    return findings.map((f) => this.diagnostic(f));
  }
}

/** A problem of `.readiness.yaml`, shown on the config file itself. */
export function configProblemToDiagnostic(problem: ConfigProblem, severity: Severity = 'error'): Diagnostic {
  return Object.freeze({
    range: frozenRange(problem.range),
    severity: toLspSeverity(severity),
    code: CONFIG_RULE.id,
    codeDescription: codeDescriptionOf(CONFIG_RULE.id),
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  });
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

/** A frozen range equal to `r`: `r` itself when it is frozen through (the engine freezes findings' ranges). */
function frozenRange(r: Range): Range {
  if (r instanceof FrozenRange) return r;
  if (Object.isFrozen(r) && Object.isFrozen(r.start) && Object.isFrozen(r.end)) return r;
  return Object.freeze({
    start: Object.freeze({ line: r.start.line, character: r.start.character }),
    end: Object.freeze({ line: r.end.line, character: r.end.character }),
  });
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}
