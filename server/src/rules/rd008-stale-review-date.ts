import { itemCheck, type Rule } from '../engine/rule.js';
import { daysBetween, findDates } from '../engine/dates.js';
import { range } from '../engine/text.js';
import { itemLabel } from './register-util.js';
import { latestReviewDate, nextReviewDates, statedCadence } from './review-dates.js';

/**
 * RD008: a living document (register, FMEA, invariants, SLOs, checklist) whose latest "Last reviewed" /
 * "Updated" date is older than staleAfterDays (default 90), a "Next review" date that has passed, or a
 * row whose own reviewed date is stale. Dated events (incidents, game days, audits) are never stale.
 */
export const rd008: Rule = {
  meta: {
    id: 'RD008',
    name: 'stale-review-date',
    description: 'A living readiness document (or row) was last reviewed longer ago than allowed.',
    defaultSeverity: 'warning',
    kinds: ['gap-register', 'fmea', 'invariants', 'slo', 'checklist', 'gap-analysis'],
  },
  check(ctx) {
    const limit = ctx.config.staleAfterDays;
    const latest = latestReviewDate(ctx.model);
    // A document that states its own cadence (`Update cadence: Weekly`) is held to it, with half a
    // period's grace; otherwise to staleAfterDays.
    const cadence = statedCadence(ctx.model);
    const docLimit = cadence ? Math.min(limit, Math.ceil(cadence.days * 1.5)) : limit;
    // A `Next review` date is the document's own schedule: it alone decides (reported below if passed).
    const next = nextReviewDates(ctx.model);
    if (latest && !next.length) {
      const age = daysBetween(latest.date.iso, ctx.today);
      if (age > docLimit) {
        const when = latest.date.iso.slice(0, latest.date.precision === 'day' ? 10 : 7);
        ctx.report({
          range: latest.range,
          message: cadence && docLimit < limit
            ? `${latest.label} ${when} is ${age} days old, but the document says it is updated "${cadence.text}".`
            : `${latest.label} ${when} is ${age} days old; review the document at least every ${limit} days (staleAfterDays).`,
        });
      }
    }
    for (const n of next) {
      const late = daysBetween(n.date.iso, ctx.today);
      if (late > 0) ctx.report({ range: n.range, message: `${n.label} was ${n.date.iso}, ${late} days ago; the review is overdue.` });
    }
  },
  // A row's own reviewed date: judged per row, so an edit elsewhere in a register reads no other row.
  items: itemCheck({
    prepare: () => null,
    check(ctx, item) {
      const f = item.fields.reviewed;
      if (!f) return;
      const d = findDates(f.raw)[0];
      if (!d) return;
      const limit = ctx.config.staleAfterDays;
      const age = daysBetween(d.iso, ctx.today);
      if (age <= limit) return;
      const c = f.range.start.character;
      ctx.report({
        range: range(f.range.start.line, c + d.start, f.range.start.line, c + d.end),
        message: `${itemLabel(item)} was last reviewed ${d.iso}, ${age} days ago; expected within ${limit} days (staleAfterDays).`,
      });
    },
  }),
};
