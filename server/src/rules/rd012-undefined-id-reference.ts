import type { Rule } from '../engine/rule.js';
import { range } from '../engine/text.js';
import { idPrefix } from '../engine/index-store.js';

const ID = /(?<![\w./#-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z]?)(?![\w-]|\.\d|\/\w)/g;

/**
 * RD012: an id referenced in prose that no document in the workspace defines. Only ids whose prefix
 * the workspace's registers use (`G-` when some register defines G-001…) are judged, so `UTF-8`,
 * `SHA-256` or another team's ids are never reported. Ranges (`G-010..G-013`) count as references to
 * their ends only.
 */
export const rd012: Rule = {
  meta: {
    id: 'RD012',
    name: 'undefined-id-reference',
    description: 'An id is referenced but defined nowhere in the workspace.',
    defaultSeverity: 'warning',
    kinds: ['gap-register', 'fmea', 'summary', 'gap-analysis', 'checklist', 'invariants', 'postmortem', 'incident', 'runbook', 'slo'],
  },
  check(ctx) {
    const index = ctx.index;
    if (!index) return;
    const model = ctx.model;
    const idCells = new Set<string>();
    for (const item of model.items) if (item.id) idCells.add(`${item.id.range.start.line}:${item.id.range.start.character}`);
    // In a register, a list item that starts with a bold id or an id and a separator (`- **G-20** Sandbox
    // loop …`, `- G-21: …`) defines it, like a heading does.
    const listed = new Set<string>();
    if (model.kind === 'gap-register' || model.kind === 'fmea' || model.kind === 'invariants') {
      for (const li of model.listItems) {
        const m = /^\s*(?:(?:\*\*|__)\[?([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z]?)\]?(?:\*\*|__)|\[?([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z]?)\]?\s*[:—–])/.exec(model.lines.lines[li.line]!.slice(li.textRange.start.character));
        if (m) listed.add((m[1] ?? m[2])!.toUpperCase());
      }
    }
    const reported = new Set<string>();
    const otherDocOnLine = new Set<number>();
    for (const l of model.links) {
      const t = l.target.replace(/#.*$/, '');
      if (/\.(?:md|markdown)$/i.test(t) && !model.path.endsWith('/' + t.replace(/^\.?\//, ''))) otherDocOnLine.add(l.range.start.line);
    }
    model.prose.forEach((text, line) => {
      if (!/[A-Z]-\d/.test(text)) return;
      // `canonical: I-34 (other-repo/INVARIANTS.md)`: the id belongs to the document the line names.
      if (otherDocOnLine.has(line)) return;
      for (const m of text.matchAll(ID)) {
        const id = m[1]!;
        if (idCells.has(`${line}:${m.index}`)) continue;
        const prefix = idPrefix(id.toUpperCase());
        if (!prefix || !index.knowsPrefix(prefix)) continue;
        if (index.definitions(id).length) continue;
        if (listed.has(id.toUpperCase()) || model.items.some((i) => i.id?.text.toUpperCase() === id.toUpperCase())) continue;
        const key = `${id}:${line}`;
        if (reported.has(key)) continue;
        reported.add(key);
        ctx.report({
          range: range(line, m.index!, line, m.index! + id.length),
          message: `${id} is referenced here but no register in the workspace defines it; define it or fix the reference.`,
        });
      }
    });
  },
};
