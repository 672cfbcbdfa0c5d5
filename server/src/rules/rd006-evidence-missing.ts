import { itemCheck, type Rule } from '../engine/rule.js';
import { REGISTER_KINDS, hasPlaceFor, hasValue, isClosed, itemLabel, missingRange, registerFacts } from './register-util.js';

/** RD006: a row whose status says done/closed/mitigated/✅ but gives no evidence, where the document has an evidence column or field. */
export const rd006: Rule = {
  meta: {
    id: 'RD006',
    name: 'evidence-missing',
    description: 'A gap marked done, closed or mitigated gives no evidence.',
    defaultSeverity: 'warning',
    kinds: REGISTER_KINDS,
  },
  items: itemCheck({
    prepare: (ctx) => registerFacts(ctx.model),
    check(ctx, item, facts) {
      if (!isClosed(item) || !hasPlaceFor(facts, item, 'evidence')) return;
      if (hasValue(item.fields.evidence)) return;
      ctx.report({
        range: missingRange(item, 'evidence'),
        message: `${itemLabel(item)} is marked "${item.fields.status!.text}" but gives no evidence; expected a link, path, PR or commit that shows it.`,
      });
    },
  }),
};
