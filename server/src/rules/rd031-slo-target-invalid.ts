/**
 * RD031 slo-target-invalid: an SLO target that states no threshold (`fast`, `<= X` outside a WIP row)
 * or a percentage outside 0–100. `99.9%`, `≥ 99.5%`, `p99 < 250 ms`, `<= 1s`, `≤ 10 min` and
 * `99th percentile per cluster-day <= 1s` all parse. Placeholders in rows or documents marked
 * WIP/draft/TODO are not findings; an empty or `TBD` target is RD030's.
 */
import type { Rule } from '../engine/rule.js';
import { range } from '../engine/text.js';
import { parseTarget, slosOf } from './kd-slo.js';
import { isNotApplicable } from './kd-util.js';
import { isTemplateDoc } from './util.js';

export const rd031: Rule = {
  meta: {
    id: 'RD031',
    name: 'slo-target-invalid',
    description: 'An SLO target that does not parse as a threshold, or a percentage outside 0–100.',
    defaultSeverity: 'error',
    kinds: ['slo'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model)) return;
    for (const slo of slosOf(model)) {
      const f = slo.fields.target;
      if (!f || f.blank || !f.text.trim() || isNotApplicable(f.text) || /best[\s-]effort/i.test(f.text)) continue;
      // `See latency.md`, a bare link: the target is stated elsewhere.
      if (/^\s*(?:see|refer\s+to|defined\s+in|as\s+per|per)\b/i.test(f.text) || /^\s*\[[^\]]*\]\([^)]*\)\s*$/.test(f.raw)) continue;
      const p = parseTarget(f.raw);
      const bad = p.percents.find((v) => v < 0 || v > 100);
      if (bad !== undefined) {
        // Point at the percentage itself when it can be found in the raw text.
        const line = model.lines.lines[f.range.start.line] ?? '';
        const at = f.range.start.line === f.range.end.line ? line.indexOf(`${bad}`, f.range.start.character) : -1;
        const r = at >= 0 && at < f.range.end.character ? range(f.range.start.line, at, f.range.start.line, at + String(bad).length + 1) : f.range;
        ctx.report({ range: r, message: `SLO "${slo.name}" has target ${bad}%, outside 0–100%; expected a percentage such as 99.9%.` });
        continue;
      }
      if (p.ok) continue;
      if (slo.wip) continue;
      ctx.report({
        range: f.range,
        message: p.placeholder
          ? `SLO "${slo.name}" has a placeholder target "${f.text.trim()}"; expected a number (e.g. 99.9%, p99 < 250 ms), or mark the row WIP.`
          : `SLO "${slo.name}" has target "${shorten(f.text.trim())}", which states no threshold; expected e.g. 99.9%, ≥ 99.5%, p99 < 250 ms.`,
      });
    }
  },
};

function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
