import type { Rule } from '../engine/rule.js';
import { range } from '../engine/text.js';
import { isDefiningId, summarize } from '../engine/index-store.js';
import { num } from './register-util.js';
import { displayPath } from './util.js';

const QUOTE = /\b([A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*[-_]\d+[A-Z]?)\b([^|\n]{0,160}?)\bRPN\b\s*(?:[:=]|of|is|was)?\s*\**\s*(\d{1,4})\b/g;

/**
 * RD011: prose that quotes a figure the register no longer holds: "G-003: Position reconciliation
 * (RPN: 105)" where G-003's RPN is 150 in the register (this document or another in the workspace).
 * The fix writes the register's figure over the quoted one.
 */
export const rd011: Rule = {
  meta: {
    id: 'RD011',
    name: 'quoted-figure-mismatch',
    description: 'Prose quotes an RPN for an id that differs from the RPN in the register.',
    defaultSeverity: 'error',
    kinds: ['gap-register', 'fmea', 'summary', 'gap-analysis', 'checklist', 'invariants', 'postmortem', 'incident', 'runbook', 'slo'],
    fixable: true,
  },
  check(ctx) {
    const model = ctx.model;
    // The document's own figures, read only when some prose quotes one.
    let localIds: Map<string, { rpn: number; line: number }> | undefined;
    const own = () => {
      if (localIds) return localIds;
      const local = new Map<string, { rpn: number; line: number }>();
      if (model.kind !== 'summary' && model.kind !== 'other') {
        // The document's definitions as the index reads them, kept per unchanged row: no row read again.
        // Only defining ids are quoted (below), and those are the ones a summary holds.
        for (const d of summarize(model).definitions) {
          if (d.rpn !== undefined && !local.has(d.id.toUpperCase())) local.set(d.id.toUpperCase(), { rpn: d.rpn, line: d.range.start.line });
        }
        return (localIds = local);
      }
      for (const item of model.items) {
        const id = item.id?.text;
        const rpn = num(item.fields.rpn);
        if (id && rpn !== undefined && !local.has(id.toUpperCase())) local.set(id.toUpperCase(), { rpn, line: item.line });
      }
      return (localIds = local);
    };
    const tableLine = new Uint8Array(model.prose.length);
    for (const t of model.tables) tableLine.fill(1, t.headerLine, t.endLine + 1);
    model.prose.forEach((text, line) => {
      if (tableLine[line] || !text.includes('RPN')) return;
      for (const m of text.matchAll(QUOTE)) {
        const id = m[1]!;
        if (!isDefiningId(id)) continue;
        // The id quoted must be the nearest id before the RPN (not "G-001 and G-002 (RPN 40)").
        if (/\b[A-Z][A-Z0-9]*[-_]\d+\b/.test(m[2]!)) continue;
        const quoted = Number(m[3]);
        let truth: number | undefined;
        let where = '';
        let related;
        const mine = own().get(id.toUpperCase());
        if (mine) {
          truth = mine.rpn;
          where = `line ${mine.line + 1}`;
        } else if (ctx.index) {
          const defs = ctx.index.definitions(id).filter((d) => d.rpn !== undefined && d.path !== model.path);
          if (defs.length === 1) {
            truth = defs[0]!.rpn;
            where = displayPath(ctx, defs[0]!.path);
            related = [{ path: defs[0]!.path, range: defs[0]!.range, message: `${id} in the register` }];
          }
        }
        if (truth === undefined || truth === quoted) continue;
        const numStart = m.index! + m[0].length - m[3]!.length;
        const r = range(line, numStart, line, numStart + m[3]!.length);
        ctx.report({
          range: r,
          message: `Quotes RPN ${quoted} for ${id}, but the register (${where}) holds RPN ${truth}.`,
          fixes: [{ title: `Quote RPN ${truth}`, edits: [{ range: r, newText: String(truth) }] }],
          related,
        });
      }
    });
  },
};
