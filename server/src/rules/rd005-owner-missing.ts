import { itemCheck, type Rule } from '../engine/rule.js';
import { isBlankOwner } from '../engine/values.js';
import { hasPlaceFor, isClosed, itemLabel, missingRange, registerFacts } from './register-util.js';

/** RD005: an open gap or failure mode with no owner (empty, TBD, ?, -, N/A) where the document has an owner column or field. */
export const rd005: Rule = {
  meta: {
    id: 'RD005',
    name: 'owner-missing',
    description: 'An open gap or failure mode has no owner.',
    defaultSeverity: 'warning',
    kinds: ['gap-register', 'fmea', 'invariants'],
  },
  items: itemCheck({
    prepare: (ctx) => registerFacts(ctx.model),
    check(ctx, item, facts) {
      if (!hasPlaceFor(facts, item, 'owner') || isClosed(item)) return;
      const f = item.fields.owner;
      if (f && !isBlankOwner(f.text)) return;
      ctx.report({
        range: missingRange(item, 'owner'),
        message: f && f.text.trim()
          ? `${itemLabel(item)} has no owner ("${f.text}" names nobody); expected a person, team or @handle.`
          : `${itemLabel(item)} has no owner; expected a person, team or @handle.`,
      });
    },
  }),
};
