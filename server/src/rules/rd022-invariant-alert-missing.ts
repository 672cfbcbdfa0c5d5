/**
 * RD022 invariant-alert-missing: an invariant with no alert or monitor named, in a document whose own
 * format asks for one (an Alert/Monitor column in its table, or an alert field in other invariant
 * sections). Documents that never name alerts are not asked for them.
 */
import type { Rule } from '../engine/rule.js';
import { invariantsOf } from './kd-invariants.js';
import { isTemplateDoc } from './util.js';

export const rd022: Rule = {
  meta: {
    id: 'RD022',
    name: 'invariant-alert-missing',
    description: 'An invariant names no alert or monitor, where the document records alerts for its invariants.',
    defaultSeverity: 'info',
    kinds: ['invariants'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model)) return;
    const { invariants, alertConvention } = invariantsOf(model);
    for (const inv of invariants) {
      const asked = inv.source === 'table' ? !!inv.table && alertConvention.tables.has(inv.table) : alertConvention.sections;
      if (!asked) continue;
      if (inv.alerts.some((a) => !a.blank)) continue;
      const blank = inv.alerts.find((a) => a.text.trim());
      const label = inv.alerts[0]?.label ?? 'Alert';
      ctx.report({
        range: blank ? blank.range : inv.idRange,
        message: inv.alerts.length
          ? `Invariant ${inv.id} names no alert: its ${label} is ${blank ? `"${blank.text.trim()}"` : 'empty'}; expected the alert or monitor that fires when it breaks.`
          : `Invariant ${inv.id} names no alert or monitor, unlike other invariants in this document; expected the alert that fires when it breaks.`,
      });
    }
  },
};
