import type { Cell, Link, TableRow } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { normalizeHeader } from '../engine/roles.js';
import { demojibake } from '../engine/text.js';
import { DOC_KINDS } from '../engine/types.js';
import { displayPath, resolveLink } from './util.js';

const CLAIM_WORDS = '(?:missing|not found|does not exist|doesn[\'’]t exist|do not exist|don[\'’]t exist|not present|absent|not implemented|no such file(?: or directory)?)';
/** The claim right after the path: `` `x.md` is missing``, `` `x/` (missing)``, `` `x.sh` — not found``, `` `x` ❌``. */
const AFTER = new RegExp(`^[\\s\`*_)\\]]*(?:[-—–:(,]\\s*)?(?:(?:is|are)\\s+)?(?:still\\s+)?(?:${CLAIM_WORDS}\\b|❌)`, 'i');
/** The claim right before the path: `Missing \`x/\``, `Missing entire \`deployment/\` directory`. */
const BEFORE = new RegExp(`${CLAIM_WORDS}\\s*[:—–-]?\\s*(?:(?:the|an?|entire|whole|file|folder|directory|dir|script|config)\\s+){0,2}[\`*_\\[(\\s]*$`, 'i');
/** A bare ❌ opening the item or cell whose only content is the path: `- ❌ \`x.md\``. */
const BEFORE_X = /^\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?:\[[ xX]\]\s*)?(?:\*\*|__)?❌\s*[:—–-]?\s*[`*_[(\s]*$/;
const NOTHING_AFTER = /^[\s`*_)\].,;:!]*$/;
/** The claim is about the past or already withdrawn. */
const RETRACTED = /\b(?:no longer|was missing|were missing|previously|used to be|formerly|now exists?|now present|since added|added in|created in|fixed|resolved)\b|✅/i;
/** A cell that is nothing but a claim: `❌`, `Missing`, `❌ Not found`. */
const PURE_CLAIM = new RegExp(`^(?:❌\\s*)?(?:${CLAIM_WORDS}(?:\\s+yet)?)?\\s*(?:❌)?[.!]?$`, 'i');

function cellOf(row: TableRow, link: Link): Cell | undefined {
  return row.cells.find((c) => c.range.start.character <= link.range.start.character && link.range.end.character <= c.range.end.character);
}

/** True when the cell holds nothing but the path (and markup around it). */
function onlyPath(cell: Cell, link: Link): boolean {
  const rest = cell.raw.replace(/`[^`]*`|\[[^\]]*\]\([^)]*\)/g, '').replace(/[*_\s/]/g, '');
  return rest === '' && cell.links.length === 1 && cell.links[0]!.target === link.target;
}

/**
 * RD060: a document says a file or folder is missing (`Missing`, `❌`, `does not exist`, `not found`,
 * `NOT IMPLEMENTED`) on the same line or table row that names its path, but the path exists in the workspace
 * (doc-relative or repo-root-relative). Fenced trees and code are never read; a claim marked as past
 * (`was missing`, `✅`) is not one.
 */
export const rd060: Rule = {
  meta: {
    id: 'RD060',
    name: 'missing-file-claim-wrong',
    description: 'The document says a file or folder is missing, but it exists in the workspace.',
    defaultSeverity: 'warning',
    kinds: DOC_KINDS.filter((k) => k !== 'other'),
  },
  check(ctx) {
    const model = ctx.model;
    if (!ctx.workspace?.root) return;
    const rowsByLine = new Map<number, { row: TableRow; headers: string[]; statusCol: number | undefined }>();
    for (const t of model.tables) for (const r of t.rows) rowsByLine.set(r.line, { row: r, headers: t.columns.map((c) => c.header), statusCol: t.roles.status });
    const done = new Set<string>();
    for (const link of model.links) {
      if (link.form === 'definition') continue;
      const line = link.range.start.line;
      if (model.masked[line] || link.range.end.line !== line) continue;
      const key = `${line}:${link.range.start.character}`;
      if (done.has(key)) continue;
      const raw = model.lines.lines[line]!;
      let claimed = false;
      const entry = rowsByLine.get(line);
      if (entry) {
        const cell = cellOf(entry.row, link);
        if (!cell) continue;
        const rowText = demojibake(entry.row.cells.map((c) => c.raw).join(' | '));
        if (RETRACTED.test(rowText)) continue;
        // The claim in the path's own cell, next to the path.
        const local = demojibake(cell.raw);
        const at = cell.range.start.character;
        const before = demojibake(raw.slice(at, link.range.start.character));
        const after = demojibake(raw.slice(link.range.end.character, cell.range.end.character));
        if (BEFORE.test(before) || AFTER.test(after) || (BEFORE_X.test(before) && NOTHING_AFTER.test(after))) claimed = true;
        // Or a row whose subject (its first cell) is the path and another cell is nothing but the claim. An
        // evidence path next to a ❌ status says the check failed, not that the file is missing.
        else if (onlyPath(cell, link) && local && cell === entry.row.cells.find((c) => c.text)) {
          claimed = entry.row.cells.some((c, i) => {
            if (c === cell || !c.text) return false;
            const t = c.text.trim();
            if (!PURE_CLAIM.test(t)) return false;
            if (/^❌[.!]?$/.test(t)) {
              const h = normalizeHeader(entry.headers[i] ?? '');
              return i === entry.statusCol || /\b(?:exists?|present|found|status|state)\b/.test(h);
            }
            return true;
          });
        }
      } else {
        const text = demojibake(raw);
        if (RETRACTED.test(text)) continue;
        const before = demojibake(raw.slice(0, link.range.start.character));
        const after = demojibake(raw.slice(link.range.end.character));
        claimed = BEFORE.test(before) || AFTER.test(after) || (BEFORE_X.test(before) && NOTHING_AFTER.test(after));
      }
      if (!claimed) continue;
      const r = resolveLink(ctx, link);
      if (r.status !== 'ok') continue;
      done.add(key);
      const kind = ctx.workspace.stat(r.path) === 'dir' ? 'folder' : 'file';
      ctx.report({
        range: link.range,
        message: `Says ${link.form === 'code-path' ? '`' + link.target + '`' : `"${link.target}"`} is missing, but the ${kind} ${displayPath(ctx, r.path)}${kind === 'folder' ? '/' : ''} exists; update the claim.`,
      });
    }
  },
};
