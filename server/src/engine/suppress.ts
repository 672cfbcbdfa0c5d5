/**
 * Suppression comments: `<!-- readiness-disable RULE -->` … `<!-- readiness-enable RULE -->` and
 * `<!-- readiness-disable-next-line RULE -->` (RULE: ids or names, comma/space separated; none = all).
 * A suppression that silenced nothing is itself reported (RD080 unused-suppression, info).
 */
import type { Config } from './config.js';
import { ruleSeverity } from './config.js';
import type { DocumentModel, Suppression } from './model.js';
import type { Finding } from './types.js';

export const UNUSED_SUPPRESSION = { id: 'RD080', name: 'unused-suppression' } as const;

const COMMENT = /<!--\s*readiness-(disable-next-line|disable|enable)\b([^>]*?)-->/g;

/** Finds suppression comments in one line of HTML (called by the model builder). */
export function scanSuppressions(lineText: string, line: number): Suppression[] {
  const out: Suppression[] = [];
  for (const m of lineText.matchAll(COMMENT)) {
    const rules = m[2]!.split(/[\s,]+/).filter(Boolean);
    out.push({
      kind: m[1] as Suppression['kind'],
      rules,
      line,
      range: { start: { line, character: m.index! }, end: { line, character: m.index! + m[0].length } },
    });
  }
  return out;
}

function matches(s: Suppression, f: Finding): boolean {
  return s.rules.length === 0 || s.rules.some((r) => r.toUpperCase() === f.ruleId.toUpperCase() || r.toLowerCase() === f.ruleName);
}

export function applySuppressions(model: DocumentModel, findings: Finding[], config: Config): Finding[] {
  if (!model.suppressions.length) return findings;
  const used = new Set<Suppression>();
  const kept = findings.filter((f) => {
    const line = f.range.start.line;
    for (const s of model.suppressions) {
      if (s.kind === 'disable-next-line') {
        if (nextContentLine(model, s.line) === line && matches(s, f)) {
          used.add(s);
          return false;
        }
      }
    }
    // Range suppressions: the last disable/enable for this rule before the line decides.
    let active: Suppression | undefined;
    for (const s of model.suppressions) {
      if (s.line >= line) break;
      if (s.kind === 'disable-next-line' || !matches(s, f)) continue;
      active = s.kind === 'disable' ? s : undefined;
    }
    if (active) {
      used.add(active);
      return false;
    }
    return true;
  });
  const sev = ruleSeverity(config, UNUSED_SUPPRESSION.id, UNUSED_SUPPRESSION.name, 'info');
  if (sev !== 'off') {
    for (const s of model.suppressions) {
      if (s.kind === 'enable' || used.has(s)) continue;
      kept.push({
        ruleId: UNUSED_SUPPRESSION.id,
        ruleName: UNUSED_SUPPRESSION.name,
        severity: sev,
        message: `This suppression (${s.rules.length ? s.rules.join(', ') : 'all rules'}) silences nothing; remove it.`,
        range: s.range,
      });
    }
  }
  return kept;
}

/** The next line after `line` that is not blank and not another suppression comment. */
function nextContentLine(model: DocumentModel, line: number): number {
  const lines = model.lines.lines;
  for (let l = line + 1; l < lines.length; l++) {
    const t = lines[l]!.trim();
    if (!t) continue;
    if (/^<!--\s*readiness-/.test(t)) continue;
    return l;
  }
  return -1;
}
