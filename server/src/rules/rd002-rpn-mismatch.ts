import type { Rule } from '../engine/rule.js';
import { REGISTER_KINDS, num, numberRange, itemLabel } from './register-util.js';

/** RD002: RPN ≠ S × O × D. The fix writes the product over the stated number, keeping its markup. */
export const rd002: Rule = {
  meta: {
    id: 'RD002',
    name: 'rpn-mismatch',
    description: 'The RPN is not the product of Severity, Occurrence and Detection.',
    defaultSeverity: 'error',
    kinds: REGISTER_KINDS,
    fixable: true,
  },
  check(ctx) {
    for (const item of ctx.model.items) {
      const f = item.fields.rpn;
      const rpn = num(f);
      const s = num(item.fields.severity);
      const o = num(item.fields.occurrence);
      const d = num(item.fields.detection);
      if (!f || rpn === undefined || s === undefined || o === undefined || d === undefined) continue;
      if (![s, o, d].every((v) => Number.isInteger(v) && v >= 1 && v <= 10)) continue; // RD003 says why
      const product = s * o * d;
      if (product === rpn) continue;
      const r = numberRange(f);
      ctx.report({
        range: r,
        message: `${itemLabel(item)}: RPN ${rpn} ≠ ${s} × ${o} × ${d} = ${product}.`,
        fixes: [{ title: `Set RPN to ${product}`, edits: [{ range: r, newText: String(product) }] }],
      });
    }
  },
};
