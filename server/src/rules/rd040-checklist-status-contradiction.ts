/**
 * RD040 checklist-status-contradiction: a document or section whose status claims completion
 * (`Status: COMPLETE`, `**COMPLETE**`, `✅ Done`, `Status: Ready`, a heading ending in `— Done`) while
 * task boxes under it are unchecked. Boxes in plan, procedure, criteria or template sub-sections, and
 * boxes marked deferred or out of scope, are not counted against a claim above them.
 */
import type { Rule } from '../engine/rule.js';
import { boxesUnder, doneClaims } from './kd-checklist.js';
import { isTemplateDoc } from './util.js';

export const rd040: Rule = {
  meta: {
    id: 'RD040',
    name: 'checklist-status-contradiction',
    description: 'A status that claims completion while boxes under it are unchecked.',
    defaultSeverity: 'warning',
    kinds: ['checklist', 'gap-analysis'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model)) return;
    const reported = new Set<string>();
    for (const claim of doneClaims(model)) {
      const { total, unchecked } = boxesUnder(model, claim);
      if (!unchecked.length) continue;
      // One finding per set of boxes: a nested claim over the same boxes repeats nothing new.
      const key = unchecked.map((u) => u.line).join(',');
      if (reported.has(key)) continue;
      reported.add(key);
      const what = claim.heading ? `Heading says ${claim.word}` : `Status says ${claim.word}`;
      ctx.report({
        range: claim.range,
        message: `${what} but ${unchecked.length} of ${total} boxes are unchecked; check them, mark them deferred, or change the status.`,
        related: unchecked.slice(0, 5).map((u) => ({ range: u.range, message: `unchecked: ${u.text}` })),
      });
    }
  },
};
