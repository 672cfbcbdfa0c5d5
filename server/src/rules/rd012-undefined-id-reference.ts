import type { Rule } from '../engine/rule.js';
import { range } from '../engine/text.js';
import { manyOf, oneOrMany, perItem, perLine, type OneOrMany } from '../engine/memo.js';
import { idPrefix } from '../engine/index-store.js';

const ID = /(?<![\w./#-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z]?)(?![\w-]|\.\d|\/\w)/g;

/**
 * RD012: an id referenced in prose that no document in the workspace defines. Only ids whose prefix
 * the workspace's registers use (`G-` when some register defines G-001…) are judged, so `UTF-8`,
 * `SHA-256` or another team's ids are never reported. Ranges (`G-010..G-013`) count as references to
 * their ends only.
 */
/**
 * Where the id-like mentions of a line start, kept per line text (a register's rows repeat across edits):
 * one index, several, or none. Numbers only, so a 4,000-row register keeps no object per row; the id is
 * read again at its index when it is judged (idAt).
 */
function idMentions(text: string): OneOrMany<number> {
  if (!/[A-Z]-\d/.test(text)) return undefined;
  return oneOrMany(Array.from(text.matchAll(ID), (m) => m.index!));
}

/** The id ID matches at `index` of `text` (where idMentions found one). */
function idAt(text: string, index: number): string {
  ID_AT.lastIndex = index;
  return ID_AT.exec(text)![1]!;
}
const ID_AT = new RegExp(ID.source, 'y');

/** A position as one number (lines and characters are far below 2^20 where it matters). */
function at(line: number, character: number): number {
  return line * 1_048_576 + Math.min(character, 1_048_575);
}

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
    const idCells = new Set<number>(perItem(model, 'rd012-id-cells', '', (item) => (item.id ? at(item.id.range.start.line, item.id.range.start.character) : -1)).values);
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
    // Lines that link another Markdown document; read only when a line has an id worth judging.
    let otherDocLines: Set<number> | undefined;
    const otherDocOnLine = (line: number): boolean => {
      if (!otherDocLines) {
        otherDocLines = new Set<number>();
        for (const l of model.links) {
          const t = l.target.replace(/#.*$/, '');
          if (/\.(?:md|markdown)$/i.test(t) && !model.path.endsWith('/' + t.replace(/^\.?\//, ''))) otherDocLines.add(l.range.start.line);
        }
      }
      return otherDocLines.has(line);
    };
    const all = perLine(model, 'id-mentions', model.prose, idMentions);
    all.forEach((mentions, line) => {
      if (mentions === undefined) return;
      for (const start of manyOf(mentions)) {
        if (idCells.has(at(line, start))) continue;
        const id = idAt(model.prose[line]!, start);
        const prefix = idPrefix(id.toUpperCase());
        if (!prefix || !index.knowsPrefix(prefix)) continue;
        if (index.definitions(id).length) continue;
        // `canonical: I-34 (other-repo/INVARIANTS.md)`: the id belongs to the document the line names.
        if (otherDocOnLine(line)) return;
        if (listed.has(id.toUpperCase()) || model.items.some((i) => i.id?.text.toUpperCase() === id.toUpperCase())) continue;
        const key = `${id}:${line}`;
        if (reported.has(key)) continue;
        reported.add(key);
        ctx.report({
          range: range(line, start, line, start + id.length),
          message: `${id} is referenced here but no register in the workspace defines it; define it or fix the reference.`,
        });
      }
    });
  },
};
