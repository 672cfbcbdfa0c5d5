/**
 * RD032 slo-error-budget-mismatch: a stated error budget that disagrees with the target and window
 * (99.9% over 30 days allows 43.2 min; `0.5% (3.6 hours/month)` fits 99.5% monthly). A budget given as
 * a percentage must equal 100 − target (or the ceiling itself for `≤ 0.1%` error-rate targets, or
 * 100 − the percentile for latency SLIs). Tolerance: 1% relative plus the rounding of the stated figure.
 */
import type { Rule } from '../engine/rule.js';
import { checkBudget, describeMinutes, parseBudget, parseTarget, parseWindow, percentileOf, slosOf, unitMinutes, windowInText } from './kd-slo.js';
import { fmt } from './kd-util.js';
import { isTemplateDoc } from './util.js';

export const rd032: Rule = {
  meta: {
    id: 'RD032',
    name: 'slo-error-budget-mismatch',
    description: 'A stated error budget that disagrees with the SLO\u2019s target and window.',
    defaultSeverity: 'warning',
    kinds: ['slo'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model)) return;
    for (const slo of slosOf(model)) {
      const b = slo.fields.budget;
      const t = slo.fields.target;
      if (!b || b.blank || !t || t.blank) continue;
      const budget = parseBudget(b.raw);
      if (budget.na) continue;
      const target = parseTarget(t.raw);
      let pct: number | undefined;
      let bound: 'upper' | 'lower' = target.bound;
      let what: string;
      if (target.percents.length === 1) {
        pct = target.percents[0]!;
        what = `target ${t.text.trim()}`;
      } else if (target.percents.length === 0) {
        // A latency target: the percentile of the SLI or target sets the budget (p95 → 5%).
        const p = percentileOf(slo.fields.sli?.text ?? '') ?? percentileOf(t.text);
        if (p === undefined || !budget.percent || budget.duration) continue;
        // Only a share of requests is the percentile's complement; `0.1 % over` may be a breach budget
        // over evaluation windows, which the percentile does not fix.
        if (!/\bof\s+(?:all\s+)?(?:requests|calls|queries|events|operations|reads|writes)\b/i.test(b.raw)) continue;
        pct = p;
        bound = 'lower';
        what = `the ${fmt(p)}th percentile`;
      } else continue;
      const windowText = slo.fields.window?.text ?? '';
      const window = parseWindow(windowText) ?? windowInText(t.text);
      const res = checkBudget(pct, bound, budget, window);
      if (!res) continue;
      if (res.problem === 'percent') {
        ctx.report({
          range: b.range,
          message: `SLO "${slo.name}" states error budget ${budget.percent!.text.trim()}, but ${what} allows ${fmt(res.expectedPercent)}%.`,
        });
      } else {
        const d = budget.duration!;
        const w = res.windowMinutes!;
        const expected = `${fmt(res.expectedDuration!)} ${d.unit}`;
        // Convert for the reader only when it says something new (`1.68 hours (100.8 min)`).
        const described = describeMinutes(res.expectedDuration! * d.unitMinutes);
        const sameUnit = unitMinutes(described.split(' ')[1]!)?.[0] === d.unitMinutes;
        const conv = sameUnit ? '' : ` (${described})`;
        ctx.report({
          range: b.range,
          message: budget.periodText
            ? `SLO "${slo.name}" states error budget ${d.text.trim()}, but ${what} allows ${expected}${conv} per ${budget.periodText}.`
            : `SLO "${slo.name}" states error budget ${d.text.trim()}, but ${what} over ${describeMinutes(w)} allows ${expected}${conv}.`,
        });
      }
    }
  },
};
