import type { Field, Item } from '../engine/model.js';
import { itemCheck, type ItemContext, type Rule } from '../engine/rule.js';
import { REGISTER_KINDS, hasValue, isCombinedScore, itemLabel, num, numberRange, registerFacts, scoresOf } from './register-util.js';

const NAMES = { severity: 'Severity', occurrence: 'Occurrence', detection: 'Detection' } as const;

/**
 * RD003: S, O or D outside the document's scale (1–10 unless it declares `1-5` or `1-3`), an RPN outside
 * 1 to the scale's cube, or a value that is not a number. Only rows that have all three of S, O and D are
 * judged: a lone `Severity: High` is a priority, and free-text detection notes are not scores.
 */
export const rd003: Rule = {
  meta: {
    id: 'RD003',
    name: 'score-out-of-range',
    description: 'Severity, Occurrence or Detection is not a whole number on the scale, or the RPN is out of range.',
    defaultSeverity: 'error',
    kinds: REGISTER_KINDS,
  },
  items: itemCheck({
    prepare: (ctx) => registerFacts(ctx.model),
    check(ctx, item, facts) {
      const top = facts.scale;
      const scores = scoresOf(item);
      if (!scores.triple) return;
      for (const role of ['severity', 'occurrence', 'detection'] as const) {
        const f = item.fields[role];
        if (f && hasValue(f)) checkValue(ctx, item, f, NAMES[role], top);
      }
      const rpn = item.fields.rpn;
      if (rpn && hasValue(rpn) && !isCombinedScore(rpn)) checkValue(ctx, item, rpn, 'RPN', top ** 3);
    },
  }),
};

function checkValue(ctx: ItemContext, item: Item, f: Field, name: string, max: number): void {
  const v = num(f);
  if (v === undefined) {
    ctx.report({ range: f.range, message: `${itemLabel(item)}: ${name} "${f.text}" is not a number; expected a whole number from 1 to ${max}.` });
    return;
  }
  if (v < 1 || v > max || !Number.isInteger(v)) {
    ctx.report({ range: numberRange(f), message: `${itemLabel(item)}: ${name} ${v} is outside 1–${max} (whole numbers).` });
  }
}
