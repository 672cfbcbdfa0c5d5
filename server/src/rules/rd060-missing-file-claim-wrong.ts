import type { Cell, Link, Table, TableRow } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { normalizeHeader } from '../engine/roles.js';
import { demojibake } from '../engine/text.js';
import { DOC_KINDS } from '../engine/types.js';
import { displayPath, resolveLink } from './util.js';
import { perKey } from '../engine/memo.js';

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
    const ws = ctx.workspace;
    if (!ws?.root) return;
    const done = new Set<string>();
    const judge = (link: Link) => {
      const key = `${link.range.start.line}:${link.range.start.character}`;
      if (done.has(key)) return;
      const r = resolveLink(ctx, link);
      if (r.status !== 'ok') return;
      done.add(key);
      const kind = ws.stat(r.path) === 'dir' ? 'folder' : 'file';
      ctx.report({
        range: link.range,
        message: `Says ${link.form === 'code-path' ? '`' + link.target + '`' : `"${link.target}"`} is missing, but the ${kind} ${displayPath(ctx, r.path)}${kind === 'folder' ? '/' : ''} exists; update the claim.`,
      });
    };
    const rowLine = new Uint8Array(model.lines.lineCount);
    for (const t of model.tables) {
      const shape = `${t.columns.map((c) => c.header).join('\u0001')}\u0002${t.roles.status}`;
      // A row's claims depend on its cells (its memoKey is the same object while the row is unchanged) and the table's headers.
      const claims = perKey(model, `rd060:${t.headerLine}:${shape}`, t.rows.map((r) => r.item.memoKey), (_key, i) => claimsOfRow(t.rows[i]!, t, model.lines.lines[t.rows[i]!.line]!));
      t.rows.forEach((row, i) => {
        rowLine[row.line] = 1;
        if (model.masked[row.line]) return;
        for (const link of claims[i]!) judge(link);
      });
    }
    for (const link of model.links) {
      if (link.form === 'definition') continue;
      const line = link.range.start.line;
      if (rowLine[line] || model.masked[line] || link.range.end.line !== line) continue;
      const raw = model.lines.lines[line]!;
      const text = demojibake(raw);
      if (RETRACTED.test(text)) continue;
      const before = demojibake(raw.slice(0, link.range.start.character));
      const after = demojibake(raw.slice(link.range.end.character));
      if (BEFORE.test(before) || AFTER.test(after) || (BEFORE_X.test(before) && NOTHING_AFTER.test(after))) judge(link);
    }
  },
};

/** The links a table row claims are missing; they depend only on the row's cells and its table's headers. */
function claimsOfRow(row: TableRow, table: Table, raw: string): Link[] {
  const links: Link[] = [];
  const headers = table.columns.map((c) => c.header);
  const statusCol = table.roles.status;
  const line = row.line;
  let retracted: boolean | undefined;
  for (const cell of row.cells) {
    for (const link of cell.links) {
      if (link.form === 'definition' || link.range.end.line !== line) continue;
      retracted ??= RETRACTED.test(demojibake(row.cells.map((c) => c.raw).join(' | ')));
      if (retracted) break;
      let claimed = false;
      // The claim in the path's own cell, next to the path.
      const local = demojibake(cell.raw);
      const before = demojibake(raw.slice(cell.range.start.character, link.range.start.character));
      const after = demojibake(raw.slice(link.range.end.character, cell.range.end.character));
      if (BEFORE.test(before) || AFTER.test(after) || (BEFORE_X.test(before) && NOTHING_AFTER.test(after))) claimed = true;
      // Or a row whose subject (its first cell) is the path and another cell is nothing but the claim. An
      // evidence path next to a ❌ status says the check failed, not that the file is missing.
      else if (onlyPath(cell, link) && local && cell === row.cells.find((c) => c.text)) {
        claimed = row.cells.some((c, i) => {
          if (c === cell || !c.text) return false;
          const t = c.text.trim();
          if (!PURE_CLAIM.test(t)) return false;
          if (/^❌[.!]?$/.test(t)) {
            const h = normalizeHeader(headers[i] ?? '');
            return i === statusCol || /\b(?:exists?|present|found|status|state)\b/.test(h);
          }
          return true;
        });
      }
      if (claimed) links.push(link);
    }
    if (retracted) break;
  }
  return links;
}
