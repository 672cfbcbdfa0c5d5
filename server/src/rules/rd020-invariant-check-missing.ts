/**
 * RD020 invariant-check-missing: an invariant that names no check enforcing it. A check is a test, a
 * lint rule, a guard or a path in an Enforcement/Test/Check column or field, a run-in label such as
 * `**Where enforced.**`, a coverage table that lists the invariant, or a test mentioned in its section.
 * A declared gap (`**Tests.** Not directly covered.`) is a statement, not a missing check, and so is an
 * invariant the document marks as not enforced (`📝 Documented-Only`, `manual control`).
 */
import type { Rule } from '../engine/rule.js';
import type { DocumentModel } from '../engine/model.js';
import { invariantsOf, type Invariant } from './kd-invariants.js';
import { isTemplateDoc } from './util.js';

export const rd020: Rule = {
  meta: {
    id: 'RD020',
    name: 'invariant-check-missing',
    description: 'An invariant names no test, check or enforcement that keeps it true.',
    defaultSeverity: 'warning',
    kinds: ['invariants'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model)) return;
    const { invariants, coveredIds } = invariantsOf(model);
    for (const inv of invariants) {
      if (coveredIds.has(inv.id.toUpperCase())) continue;
      if (declaredUnenforced(model, inv)) continue;
      if (inv.checks.length) {
        if (inv.checks.some((c) => !c.blank)) continue;
        const first = inv.checks[0]!;
        const shown = first.text.trim();
        ctx.report({
          range: shown ? first.range : inv.idRange,
          message: shown
            ? `Invariant ${inv.id} names no check: its ${first.label} says "${shown}"; expected the test, rule or guard that enforces it.`
            : `Invariant ${inv.id} names no check: its ${first.label} is empty; expected the test, rule or guard that enforces it.`,
        });
        continue;
      }
      if (inv.mentionsCheck) continue;
      ctx.report({
        range: inv.idRange,
        message:
          inv.source === 'table'
            ? `Invariant ${inv.id} names no check that enforces it (no Enforcement or Test column, no coverage entry); expected a test, rule or guard.`
            : `Invariant ${inv.id} names no check that enforces it (no Enforcement or Tests field, no test mentioned in its section); expected a test, rule or guard.`,
      });
    }
  },
};

const UNENFORCED = /\bdocumented[- ]only\b|\bnot (?:yet )?enforced\b|\bnon-?enforced\b|\bunenforced\b|\bmanual(?:ly)? (?:control|check|review|governance)\b|\bgovernance[- ]only\b|\baspirational\b|📝/i;

/** The row (or the section's status) says the invariant is stated but deliberately not enforced. */
function declaredUnenforced(model: DocumentModel, inv: Invariant): boolean {
  if (inv.row) return inv.row.cells.some((c) => UNENFORCED.test(c.text));
  if (inv.section) return model.fieldLines.some((f) => f.section === inv.section && f.role === 'status' && UNENFORCED.test(f.text));
  return false;
}
