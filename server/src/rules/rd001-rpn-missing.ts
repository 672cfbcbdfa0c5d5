import { itemCheck, type Rule } from '../engine/rule.js';
import { REGISTER_KINDS, hasPlaceFor, hasValue, isClosed, itemLabel, missingRange, registerFacts, scoresOf } from './register-util.js';

/** RD001: a gap or failure-mode row with no RPN where the document has a place for one. */
export const rd001: Rule = {
  meta: {
    id: 'RD001',
    name: 'rpn-missing',
    description: 'A gap or failure-mode row has no Risk Priority Number.',
    defaultSeverity: 'warning',
    kinds: REGISTER_KINDS,
    fixable: true,
  },
  items: itemCheck({
    prepare: (ctx) => registerFacts(ctx.model),
    check(ctx, item, facts) {
      if (!hasPlaceFor(facts, item, 'rpn') || hasValue(item.fields.rpn)) return;
      if (isClosed(item) && !item.fields.rpn) return;
      const { s, o, d, triple, rpnField } = scoresOf(item);
      const product = triple && s !== undefined && o !== undefined && d !== undefined ? s * o * d : undefined;
      const canFix = product !== undefined && rpnField !== undefined && rpnField.text.trim() === '' && product >= 1 && product <= 1000;
      ctx.report({
        range: missingRange(item, 'rpn'),
        message:
          product !== undefined
            ? `${itemLabel(item)} has no RPN; expected S × O × D = ${s} × ${o} × ${d} = ${product}.`
            : `${itemLabel(item)} has no RPN; expected a number (S × O × D).`,
        fixes: canFix ? [{ title: `Fill in RPN ${product}`, edits: [{ range: rpnField!.range, newText: String(product) }] }] : undefined,
      });
    },
  }),
};
