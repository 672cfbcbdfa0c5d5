import type { Rule } from '../engine/rule.js';
import { DOC_KINDS } from '../engine/types.js';
import { range } from '../engine/text.js';
import { perLine } from '../engine/memo.js';
import { pipesInCode } from '../engine/tables.js';

/**
 * RD014: a `|` inside inline code in a table row. Readiness reads it as part of the cell, as the author
 * meant; GitHub and other GFM renderers split the row at it, so the rendered table has cells shifted into
 * the wrong columns. The fix escapes each such pipe as `\|`, which every renderer shows as `|`.
 */
export const rd014: Rule = {
  meta: {
    id: 'RD014',
    name: 'table-pipe-in-code',
    description: 'A `|` inside inline code in a table row splits the row on GitHub and other GFM renderers.',
    defaultSeverity: 'warning',
    kinds: DOC_KINDS.filter((k) => k !== 'other'),
    fixable: true,
  },
  check(ctx) {
    const model = ctx.model;
    if (!model.tables.length) return;
    const found = perLine(model, 'code-pipes', model.lines.lines, pipesInCode);
    for (const t of model.tables) {
      const lines = [t.headerLine, ...t.rows.map((r) => r.line)];
      for (const line of lines) {
        for (const span of found[line] ?? []) {
          const n = span.pipes.length;
          ctx.report({
            range: range(line, span.start, line, span.end),
            message: `${n === 1 ? 'A `|` inside inline code splits' : `${n} pipes inside inline code split`} this table row on GitHub and other GFM renderers, which cut rows before reading code; write \`\\|\` (shown as \`|\`).`,
            fixes: [{ title: n === 1 ? 'Escape the pipe as \\|' : `Escape the ${n} pipes as \\|`, edits: span.pipes.map((p) => ({ range: range(line, p, line, p), newText: '\\' })) }],
          });
        }
      }
    }
  },
};
