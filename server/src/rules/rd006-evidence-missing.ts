import type { Rule } from '../engine/rule.js';
import { REGISTER_KINDS, docHasRole, hasValue, isClosed, itemLabel, missingRange } from './register-util.js';

/** RD006: a row whose status says done/closed/mitigated/✅ but gives no evidence, where the document has an evidence column or field. */
export const rd006: Rule = {
  meta: {
    id: 'RD006',
    name: 'evidence-missing',
    description: 'A gap marked done, closed or mitigated gives no evidence.',
    defaultSeverity: 'warning',
    kinds: REGISTER_KINDS,
  },
  check(ctx) {
    for (const item of ctx.model.items) {
      if (!isClosed(item) || !docHasRole(ctx.model, item, 'evidence')) continue;
      if (hasValue(item.fields.evidence)) continue;
      ctx.report({
        range: missingRange(item, 'evidence'),
        message: `${itemLabel(item)} is marked "${item.fields.status!.text}" but gives no evidence; expected a link, path, PR or commit that shows it.`,
      });
    }
  },
};
