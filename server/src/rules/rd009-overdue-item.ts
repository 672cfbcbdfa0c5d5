import { itemCheck, type Rule } from '../engine/rule.js';
import { daysBetween, findDates } from '../engine/dates.js';
import { range } from '../engine/text.js';
import { statusClass } from '../engine/values.js';
import { REGISTER_KINDS, itemLabel } from './register-util.js';
import { latestReviewDate } from './review-dates.js';

/**
 * RD009: an open item whose due date has passed. "Passed" is judged as of the document's own last
 * update when it states one (an old tracker is reported once as stale by RD008, not once per row),
 * else as of today. Items with no status are not judged: nothing says they are still open.
 */
export const rd009: Rule = {
  meta: {
    id: 'RD009',
    name: 'overdue-item',
    description: 'An open gap is past its due date.',
    defaultSeverity: 'warning',
    kinds: REGISTER_KINDS,
  },
  items: itemCheck({
    prepare(ctx) {
      const updated = latestReviewDate(ctx.model)?.date.iso;
      const asOf = updated && updated < ctx.today ? updated : ctx.today;
      return { asOf, basis: asOf === ctx.today ? 'today' : `the document's last update (${asOf})` };
    },
    check(ctx, item, { asOf, basis }) {
      const due = item.fields.due;
      const status = item.fields.status;
      if (!due || !status || statusClass(status.text) !== 'open') return;
      const d = findDates(due.raw)[0];
      if (!d) return;
      const late = daysBetween(d.iso, asOf);
      if (late <= 0) return;
      const c = due.range.start.character;
      ctx.report({
        range: range(due.range.start.line, c + d.start, due.range.start.line, c + d.end),
        message: `${itemLabel(item)} is "${status.text}" but was due ${due.raw.slice(d.start, d.end)}, ${late} days before ${basis}.`,
      });
    },
  }),
};
