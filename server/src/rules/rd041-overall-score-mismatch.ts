/**
 * RD041 overall-score-mismatch: a stated overall score (`| **Overall** | **~60%** |`, or prose such as
 * `Overall readiness: ~60%` beside the table) that differs from the mean of the category scores by more
 * than `scoreTolerance` points. Categories are weighted by `scoreWeights` (or a Weight column); scores
 * out of a Max column or written `12/20` become percentages. `~` marks an approximate figure: the
 * tolerance still applies.
 */
import type { Rule } from '../engine/rule.js';
import { meanScore, pooledScore, scoreTables } from './kd-checklist.js';
import { fmt } from './kd-util.js';
import { isTemplateDoc } from './util.js';

export const rd041: Rule = {
  meta: {
    id: 'RD041',
    name: 'overall-score-mismatch',
    description: 'A stated overall score that disagrees with the mean of its category scores.',
    defaultSeverity: 'warning',
    kinds: ['checklist', 'gap-analysis'],
    fixable: true,
  },
  check(ctx) {
    const { model, config } = ctx;
    if (isTemplateDoc(model)) return;
    const tolerance = config.scoreTolerance ?? 5;
    const weights = config.scoreWeights ?? {};
    for (const st of scoreTables(model, weights)) {
      const weighted = st.rows.some((r) => r.weight !== undefined);
      const mean = meanScore(st.rows);
      const pooled = weighted ? undefined : pooledScore(st.rows);
      for (const o of st.overall) {
        // A "weighted" overall with no weights to apply cannot be recomputed.
        if (o.weighted && !weighted) continue;
        // A `Total` of shares that add up to it (`| Total | 100% |` under 42%, 42%, 16%) is a sum, not a mean.
        const sum = st.rows.reduce((a, r) => a + r.pct, 0);
        const candidates = [mean, ...(pooled !== undefined ? [pooled] : []), ...(weighted ? [] : [sum])];
        if (candidates.some((c) => Math.abs(c - o.pct) <= tolerance + 1e-9)) continue;
        const basis = o.points && pooled !== undefined ? pooled : mean;
        const how = o.points && pooled !== undefined ? `points scored over points possible in ${st.rows.length} categories` : `${weighted ? 'weighted ' : ''}mean of ${st.rows.length} categories`;
        const stated = `${o.approx ? '~' : ''}${fmt(o.pct)}%`;
        const rounded = Math.round(basis);
        ctx.report({
          range: o.range,
          message: `Stated overall ${stated} \u2260 ${how} ${fmt(basis)}% (tolerance \u00b1${fmt(tolerance)}).`,
          ...(o.points
            ? {}
            : {
                fixes: [
                  {
                    title: `Replace the overall with ${rounded}%`,
                    edits: [{ range: o.numberRange, newText: String(rounded) }],
                  },
                ],
              }),
        });
      }
    }
  },
};
