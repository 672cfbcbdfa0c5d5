import { memoKeyOfRow, type Cell, type Table } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { perKey } from '../engine/memo.js';
import { normalizeHeader } from '../engine/roles.js';
import { statusClass } from '../engine/values.js';

type GapMark = 'none' | 'gap' | 'minor' | 'text' | 'empty';

/** What the Gap cell says: no gap, a gap, a minor gap, or a description. */
export function gapMark(text: string): GapMark {
  const t = text.trim().replace(/[.!]+$/, '');
  if (!t) return 'empty';
  if (/^(?:none|no|no gap|n\/?a|met|fully met|closed|✅.*|✔.*|☑.*)$/i.test(t)) return 'none';
  if (/^(?:minor|small|partial|slight)(?:\s+gaps?)?\b/i.test(t)) return 'minor';
  if (/^(?:gap|gaps|yes|major gap|full gap|significant gap|❌.*)$/i.test(t)) return 'gap';
  return 'text';
}

type StateMark = 'met' | 'unmet' | 'unknown';

// Made once (see isSectionItem): called for every row of every gap table.
const isMark = (m: GapMark): boolean => m !== 'empty';
const isNamedMark = (m: GapMark): boolean => m !== 'text';

/** What the current-state cell says: fully met (✅, Complete), not met (❌, Missing), or anything between. */
export function stateMark(text: string): StateMark {
  const t = text.trim();
  if (!t) return 'unknown';
  if (/⚠|🟡|partial|but\b|however|not\b|\bno\b|unknown|missing|undefined|limited|basic/i.test(t)) return /^❌/.test(t) ? 'unmet' : 'unknown';
  if (/^❌/.test(t)) return 'unmet';
  if (/^(?:✅|✔|☑)/.test(t)) return 'met';
  return statusClass(t) === 'closed' && /^(?:met|fully met|complete|completed|done|implemented)$/i.test(t) ? 'met' : 'unknown';
}

/** True for the top priority of the common vocabularies: 🔴, Mandatory, Critical, Blocker, P0, Must. */
export function topPriority(text: string): boolean {
  return /🔴|🟥|\b(?:mandatory|critical|blocker|p0|must(?:[- ]have)?)\b/i.test(text);
}

function noPriority(text: string): boolean {
  return /^(?:|-+|—|–|n\/?a|none|no)$/i.test(text.trim());
}

/** The column saying whether there is a gap: a header `Gap` (or `Gap?`, `Is gap`). */
function gapColumn(t: Table): number | undefined {
  const i = t.columns.findIndex((c) => /^(?:gap|gaps|gap status|is gap|has gap|is there a gap)$/.test(normalizeHeader(c.header).replace(/\s*\?$/, '')));
  return i >= 0 ? i : undefined;
}

/** The column describing the current state: the status role, or a header with `current`. */
function stateColumn(t: Table, gap: number): number | undefined {
  if (t.roles.status !== undefined && t.roles.status !== gap) return t.roles.status;
  const i = t.columns.findIndex((c, k) => k !== gap && /\bcurrent\b/.test(normalizeHeader(c.header)));
  return i >= 0 ? i : undefined;
}

function show(c: Cell): string {
  const t = c.text.length > 40 ? c.text.slice(0, 37) + '…' : c.text;
  return `"${t}"`;
}

/**
 * RD051: a gap-analysis row that contradicts itself: the Gap column says `None` while the row is rated a
 * priority or its current state is ❌; the current state is ✅ while the Gap column says `Gap` or the row is
 * rated the top priority; or a `Minor gap` is rated the top priority (🔴 Mandatory) while every other minor
 * gap in the document is rated lower. Only tables whose `Gap` column holds such marks are read.
 */
export const rd051: Rule = {
  meta: {
    id: 'RD051',
    name: 'gap-status-contradiction',
    description: 'A gap-analysis row says there is no gap but rates it (or the reverse), or rates a minor gap as a blocker.',
    defaultSeverity: 'warning',
    kinds: ['gap-analysis', 'gap-register', 'checklist'],
  },
  check(ctx) {
    const rows: { gap: Cell; state: Cell | undefined; prio: Cell | undefined; label: string }[] = [];
    for (const t of ctx.model.tables) {
      const g = gapColumn(t);
      if (g === undefined) continue;
      // The Gap column must hold marks (`None`, `Gap`, `Minor gap`), not the gaps' names or descriptions.
      // Kept per row across builds: an unchanged row's memoKey is the same object.
      const marks = perKey(ctx.model, `rd051:${t.headerLine}:${g}`, t.rows.map(memoKeyOfRow), (_key, i) => gapMark(t.rows[i]!.cells[g]?.text ?? '')).filter(isMark);
      if (!marks.length || marks.filter(isNamedMark).length * 2 < marks.length) continue;
      const s = stateColumn(t, g);
      const p = t.roles.priority !== g ? t.roles.priority : undefined;
      if (s === undefined && p === undefined) continue;
      for (const r of t.rows) {
        const gap = r.cells[g];
        if (!gap) continue;
        const first = r.cells.find((c, i) => i !== g && i !== s && i !== p && c.text);
        rows.push({ gap, state: s !== undefined ? r.cells[s] : undefined, prio: p !== undefined ? r.cells[p] : undefined, label: first ? show(first) : `row ${r.line + 1}` });
      }
    }
    const minors = rows.filter((r) => gapMark(r.gap.text) === 'minor' && r.prio && !noPriority(r.prio.text));
    for (const r of rows) {
      const gm = gapMark(r.gap.text);
      const sm = r.state ? stateMark(r.state.text) : 'unknown';
      const prio = r.prio && !noPriority(r.prio.text) ? r.prio : undefined;
      if (gm === 'none' && prio) {
        ctx.report({ range: prio.range, message: `${r.label} is marked ${show(r.gap)} (no gap) but rated ${show(prio)}; a row with no gap has no priority, or the Gap column is out of date.` });
      } else if (gm === 'none' && sm === 'unmet') {
        ctx.report({ range: r.gap.range, message: `${r.label} is marked ${show(r.gap)} (no gap) but its current state is ${show(r.state!)}.` });
      } else if (sm === 'met' && gm === 'gap') {
        ctx.report({ range: r.gap.range, message: `${r.label} is marked as a gap (${show(r.gap)}) but its current state is ${show(r.state!)}, fully met.` });
      } else if (sm === 'met' && prio && topPriority(prio.text) && gm !== 'minor') {
        ctx.report({ range: prio.range, message: `${r.label} is rated ${show(prio)} but its current state is ${show(r.state!)}, fully met.` });
      } else if (gm === 'minor' && prio && topPriority(prio.text)) {
        const others = minors.filter((o) => o !== r);
        if (others.length && others.every((o) => !topPriority(o.prio!.text))) {
          ctx.report({
            range: r.gap.range,
            message: `${r.label} is a ${show(r.gap)} but is rated ${show(prio)}, the top priority; the other ${others.length} minor gap${others.length === 1 ? ' is' : 's are'} rated lower.`,
          });
        }
      }
    }
  },
};
