import { itemCheck, type Rule } from '../engine/rule.js';
import { REGISTER_KINDS, itemLabel, registerFacts, scoresOf } from './register-util.js';

/**
 * RD002: RPN ≠ S × O × D. Reads separate S/O/D columns or fields and the combined `9/3/8 → 216` form.
 * The fix writes the product over the stated number, keeping its markup.
 */
export const rd002: Rule = {
  meta: {
    id: 'RD002',
    name: 'rpn-mismatch',
    description: 'The RPN is not the product of Severity, Occurrence and Detection.',
    defaultSeverity: 'error',
    kinds: REGISTER_KINDS,
    fixable: true,
  },
  items: itemCheck({
    prepare: (ctx) => registerFacts(ctx.model),
    check(ctx, item, facts) {
      const top = facts.scale;
      const { s, o, d, rpn, rpnRange, triple } = scoresOf(item);
      if (!triple || !rpnRange || rpn === undefined || s === undefined || o === undefined || d === undefined) return;
      if (![s, o, d].every((v) => Number.isInteger(v) && v >= 1 && v <= top)) return; // RD003 says why
      const product = s * o * d;
      if (product === rpn) return;
      ctx.report({
        range: rpnRange,
        message: `${itemLabel(item)}: RPN ${rpn} ≠ ${s} × ${o} × ${d} = ${product}.`,
        fixes: [{ title: `Set RPN to ${product}`, edits: [{ range: rpnRange, newText: String(product) }] }],
      });
    },
  }),
};
