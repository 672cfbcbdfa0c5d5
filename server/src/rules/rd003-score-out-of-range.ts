import type { Rule } from '../engine/rule.js';
import type { Field, Item } from '../engine/model.js';
import { REGISTER_KINDS, hasValue, itemLabel, num, numberRange } from './register-util.js';

const NAMES = { severity: 'Severity', occurrence: 'Occurrence', detection: 'Detection' } as const;

/** RD003: S, O or D outside 1–10, an RPN outside 1–1000, or a value that is not a number. */
export const rd003: Rule = {
  meta: {
    id: 'RD003',
    name: 'score-out-of-range',
    description: 'Severity, Occurrence or Detection is not a whole number from 1 to 10, or the RPN is not from 1 to 1000.',
    defaultSeverity: 'error',
    kinds: REGISTER_KINDS,
  },
  check(ctx) {
    for (const item of ctx.model.items) {
      for (const role of ['severity', 'occurrence', 'detection'] as const) {
        const f = item.fields[role];
        if (!f || !hasValue(f)) continue;
        // A qualitative S/O/D (`High`) in a table that is not an S/O/D triple is not ours to judge.
        if (item.table && (item.table.roles.severity === undefined || item.table.roles.occurrence === undefined || item.table.roles.detection === undefined)) continue;
        check(item, f, NAMES[role], 1, 10);
      }
      const rpn = item.fields.rpn;
      if (rpn && hasValue(rpn)) check(item, rpn, 'RPN', 1, 1000);
    }

    function check(item: Item, f: Field, name: string, min: number, max: number): void {
      const v = num(f);
      if (v === undefined) {
        ctx.report({ range: f.range, message: `${itemLabel(item)}: ${name} "${f.text}" is not a number; expected a whole number from ${min} to ${max}.` });
        return;
      }
      if (v < min || v > max || !Number.isInteger(v)) {
        ctx.report({ range: numberRange(f), message: `${itemLabel(item)}: ${name} ${v} is outside ${min}–${max} (whole numbers).` });
      }
    }
  },
};
