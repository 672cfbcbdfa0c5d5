/**
 * RD030 slo-field-missing: an SLO without an SLI, target, window, owner or alert, where the document's
 * own format has a place for that field (its table has the column, or other SLO sections carry it).
 * One finding per SLO, listing what is missing. Rows and sections marked WIP/draft/TODO are skipped.
 */
import type { Rule } from '../engine/rule.js';
import { isMissing, REQUIRED_ROLES, slosOf, windowInText, type SloRole } from './kd-slo.js';
import { isTemplateDoc } from './util.js';

const NAMES: Record<SloRole, string> = { sli: 'SLI', target: 'target', window: 'window', owner: 'owner', alert: 'alert', budget: 'error budget' };

function list(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

export const rd030: Rule = {
  meta: {
    id: 'RD030',
    name: 'slo-field-missing',
    description: 'An SLO lacks an SLI, target, window, owner or alert that the document\u2019s own format has a place for.',
    defaultSeverity: 'warning',
    kinds: ['slo'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model)) return;
    for (const slo of slosOf(model)) {
      if (slo.wip) continue;
      const missing: SloRole[] = [];
      for (const r of REQUIRED_ROLES) {
        if (!slo.expected.has(r) || !isMissing(slo.fields[r])) continue;
        // A window written into the target (`99.9% over 30 days`) is a window.
        if (r === 'window' && slo.fields.target && windowInText(slo.fields.target.text)) continue;
        missing.push(r);
      }
      if (!missing.length) continue;
      const where = slo.source === 'table' ? 'its table has a column for' : 'other SLOs in this document state';
      const pron = missing.length === 1 ? 'it' : 'them';
      ctx.report({
        range: slo.nameRange,
        message: `SLO "${slo.name}" has no ${list(missing.map((m) => NAMES[m]))}; ${where} ${pron}.`,
      });
    }
  },
};
