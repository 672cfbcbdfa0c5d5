/**
 * Runs the rules over a model: severities from configuration, suppression comments, ranges clamped to
 * the document. A rule that throws never takes the lint down: its failure becomes one finding.
 */
import type { Config } from './config.js';
import { ruleSeverity } from './config.js';
import type { DocumentModel } from './model.js';
import type { Rule, RuleContext } from './rule.js';
import type { Finding, Range } from './types.js';
import type { WorkspaceView } from './workspace.js';
import type { WorkspaceIndex } from './index-store.js';
import { applySuppressions } from './suppress.js';

export interface LintOptions {
  config: Config;
  workspace?: WorkspaceView;
  index?: WorkspaceIndex;
  /** ISO date; overrides config.today and the clock. */
  today?: string;
  /** The rules to run; defaults to every registered rule. */
  rules?: readonly Rule[];
}

export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function runRules(model: DocumentModel, options: LintOptions, rules: readonly Rule[]): Finding[] {
  const findings: Finding[] = [];
  if (model.kind === 'other') return findings;
  const today = options.today ?? options.config.today ?? todayIso();
  for (const rule of rules) {
    const { meta } = rule;
    if (!meta.kinds.includes(model.kind)) continue;
    const sev = ruleSeverity(options.config, meta.id, meta.name, meta.defaultSeverity);
    if (sev === 'off') continue;
    const ctx: RuleContext = {
      model,
      config: options.config,
      workspace: options.workspace,
      index: options.index,
      today,
      report(r) {
        findings.push({
          ruleId: meta.id,
          ruleName: meta.name,
          severity: r.severity ? minSeverity(r.severity, sev) : sev,
          message: r.message,
          range: clampRange(model, r.range),
          ...(r.fixes?.length ? { fixes: r.fixes } : {}),
          ...(r.related?.length ? { related: r.related } : {}),
        });
      },
    };
    try {
      rule.check(ctx);
    } catch (e) {
      findings.push({
        ruleId: meta.id,
        ruleName: meta.name,
        severity: 'info',
        message: `Rule ${meta.id} (${meta.name}) failed on this document: ${(e as Error)?.message ?? String(e)}. Please report it.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
    }
  }
  const kept = applySuppressions(model, findings, options.config);
  kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  return dedupe(kept);
}

/** A rule may lower its own severity for a softer case, never raise it above the configured one. */
function minSeverity(a: Finding['severity'], b: Finding['severity']): Finding['severity'] {
  const order = { error: 0, warning: 1, info: 2 } as const;
  return order[a] >= order[b] ? a : b;
}

function clampRange(model: DocumentModel, r: Range): Range {
  const last = model.lines.lineCount - 1;
  const clampPos = (p: Range['start']) => {
    const line = Math.max(0, Math.min(p.line, last));
    const len = model.lines.lines[line]!.length;
    return { line, character: Math.max(0, Math.min(p.character, len)) };
  };
  const start = clampPos(r.start);
  let end = clampPos(r.end);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

/**
 * Drops repeats (same rule, range and message), keeping the first. The findings are sorted by start and
 * rule, so repeats sit in one run of equal (line, character, rule): only runs longer than one are keyed.
 */
function dedupe(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < findings.length; ) {
    const a = findings[i]!;
    let j = i + 1;
    while (j < findings.length) {
      const b = findings[j]!;
      if (b.range.start.line !== a.range.start.line || b.range.start.character !== a.range.start.character || b.ruleId !== a.ruleId) break;
      j++;
    }
    if (j === i + 1) out.push(a);
    else {
      const seen = new Set<string>();
      for (let k = i; k < j; k++) {
        const f = findings[k]!;
        const key = `${f.range.end.line}|${f.range.end.character}|${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(f);
      }
    }
    i = j;
  }
  return out;
}
