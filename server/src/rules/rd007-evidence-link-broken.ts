import { TableRowItem, type Item, type Link } from '../engine/model.js';
import type { Report, Rule, RuleContext } from '../engine/rule.js';
import { REGISTER_KINDS, itemLabel } from './register-util.js';
import { displayPath, reportLinkFindings, resolveLink, type LinkStatus, type ReportList } from './util.js';
import { documentMemo, manyOf, oneOrMany, perItem, workspaceKey, type ItemValues, type OneOrMany } from '../engine/memo.js';

const PLANNED = /\b(?:missing|planned|to add|todo|tbd|not (?:yet )?(?:created|written|implemented)|will be|pending)\b|❌/i;

/**
 * RD007: an evidence link (or backticked path in an evidence field) to a relative path that does not
 * exist in the workspace, a `#heading` the target lacks, or a path that climbs out of the workspace
 * (reported, never read). Markdown links anywhere in a register row are checked too.
 *
 * A register's rows are judged once and kept while unchanged (perItem); what the document says as a whole
 * (every path missing: one summary instead of thousands) comes from counts kept per row.
 */
export const rd007: Rule = {
  meta: {
    id: 'RD007',
    name: 'evidence-link-broken',
    description: 'An evidence link points to a file or heading that does not exist in the workspace.',
    defaultSeverity: 'error',
    kinds: REGISTER_KINDS,
  },
  check(ctx) {
    const model = ctx.model;
    const items = model.items;
    const rows = perItem(model, 'rd007', `${model.path}\u0000${workspaceKey(ctx.workspace)}`, rowLinks);
    const totals = rowTotals(ctx, rows);

    // Section items and evidence field lines: judged every time, once per link.
    const seen = new Set<Link>();
    if (model.fieldLines.some((f) => f.role === 'evidence')) {
      // An evidence field line may hold a row's own links: a section adding fields to its summary row (only
      // such a row's fields are not its record's; a cell's links are never a field line's).
      rows.values.forEach((links, i) => {
        if (!links) return;
        const item = items[i]!;
        if (item instanceof TableRowItem && item.memoKey === item.record) return;
        for (const l of item.fields.evidence?.links ?? []) seen.add(l);
      });
    }
    const loose: { v: Verdict; label: () => string; fieldLine: boolean }[] = [];
    const looseLinks = (links: readonly Link[], label: () => string, fieldLine: boolean) => {
      for (const l of links) {
        if (seen.has(l)) continue;
        seen.add(l);
        const v = verdict(ctx, l, true);
        if (v) loose.push({ v, label, fieldLine });
      }
    };
    for (const i of rows.changed) {
      const item = items[i]!;
      if (rows.values[i] || item.source !== 'section') continue;
      const ev = item.fields.evidence;
      if (ev && !PLANNED.test(ev.text)) looseLinks(ev.links, () => itemLabel(item), false);
    }
    for (const f of model.fieldLines) {
      if (f.role === 'evidence' && !PLANNED.test(f.text)) looseLinks(f.links, () => `Evidence on line ${f.line + 1}`, true);
    }

    let resolved = totals.resolved;
    let unjudged = totals.unjudged;
    let missingCount = totals.missing;
    const sectionMissing: Report[] = [];
    const fieldMissing: Report[] = [];
    const other: Report[] = [];
    for (const { v, label, fieldLine } of loose) {
      const r = v.r;
      if (r.status === 'ok' || r.status === 'anchor-missing') resolved++;
      if (r.status === 'unknown' && v.link.form === 'code-path') unjudged++;
      if (r.status === 'missing') {
        missingCount++;
        (fieldLine ? fieldMissing : sectionMissing).push(report(ctx, v.link, r, label));
      } else if (r.status === 'outside' || r.status === 'anchor-missing') other.push(report(ctx, v.link, r, label));
    }
    // Rows with something to say besides "missing" (or a link into this document, judged again).
    for (const i of [...totals.other].sort((a, b) => a - b)) {
      const item = items[i]!;
      for (const l of manyOf(rows.values[i])) {
        const r = resolveLink(ctx, l);
        if (r.status === 'outside' || r.status === 'anchor-missing') other.push(report(ctx, l, r, () => itemLabel(item)));
      }
    }
    const rowMissing = (i: number): Report[] => {
      const item = items[i]!;
      return manyOf(rows.values[i])
        .map((l) => judge(ctx, l))
        .filter((v) => v.r.status === 'missing')
        .map((v) => report(ctx, v.link, v.r, () => itemLabel(item)));
    };
    // Rows and sections in document order, then evidence field lines (the order they were always judged in).
    const all = (): Report[] => [...[...[...totals.missingRows].sort((a, b) => a - b).flatMap(rowMissing), ...sectionMissing].sort(byLine), ...fieldMissing];
    const first = (): Report => {
      let min = -1;
      for (const i of totals.missingRows) if (min < 0 || i < min) min = i;
      const row = min >= 0 ? rowMissing(min)[0] : undefined;
      const section = sectionMissing[0];
      if (row && (!section || row.range.start.line <= section.range.start.line)) return row;
      return section ?? fieldMissing[0]!;
    };
    const missing: ReportList = { length: missingCount, first, all };
    other.sort(byLine);
    reportLinkFindings(ctx, missing, other, resolved, 'evidence paths', unjudged);
  },
};

function byLine(a: Report, b: Report): number {
  return a.range.start.line - b.range.start.line;
}

function report(ctx: RuleContext, link: Link, r: LinkStatus, label: () => string): Report {
  const what = link.form === 'code-path' ? `path \`${link.target}\`` : `link "${link.target}"`;
  if (r.status === 'missing') return { range: link.range, message: `${label()}: evidence ${what} does not exist (looked for ${displayPath(ctx, r.path)}).` };
  if (r.status === 'outside') return { range: link.range, message: `${label()}: evidence ${what} points outside the workspace; evidence must live in the repository.` };
  if (r.status === 'anchor-missing') return { range: link.range, message: `${label()}: evidence ${what} names heading #${r.anchor}, which ${displayPath(ctx, r.path)} does not have.` };
  return { range: link.range, message: `${label()}: evidence ${what}.` };
}

interface Verdict {
  link: Link;
  r: LinkStatus;
  /** A link into this document: it depends on the document's headings, not on the row. */
  local: boolean;
}

/** A link this rule judges: never a link definition, and a backticked path only in an evidence field. */
function isJudged(link: Link, evidenceField: boolean): boolean {
  return link.form !== 'definition' && (link.form !== 'code-path' || evidenceField);
}

function verdict(ctx: RuleContext, link: Link, evidenceField: boolean): Verdict | undefined {
  return isJudged(link, evidenceField) ? judge(ctx, link) : undefined;
}

/** What a link resolves to (kept per target for the workspace's generation: asking again costs a lookup). */
function judge(ctx: RuleContext, link: Link): Verdict {
  const r = resolveLink(ctx, link);
  return { link, r, local: link.target.startsWith('#') || ('path' in r && r.path === ctx.model.path) };
}

/**
 * A register row's judged links: one (most rows with a link), several, or none (a shared empty array);
 * kept for every row of a register, so a single link is kept without an array, and what it resolves to
 * is asked again when needed (the row's record holds the link anyway). Undefined: not a table row.
 */
type RowLinks = OneOrMany<Link>;
const NO_LINKS: readonly Link[] = Object.freeze([]);

/** A register row's links to judge: its evidence links, then every Markdown link in its cells. */
function rowLinks(item: Item): RowLinks {
  if (item.source !== 'table' || !item.row) return undefined;
  const judged: Link[] = [];
  const own = new Set<Link>();
  const add = (l: Link, evidenceField: boolean) => {
    if (own.has(l)) return;
    own.add(l);
    if (isJudged(l, evidenceField)) judged.push(l);
  };
  const ev = item.fields.evidence;
  if (ev && !PLANNED.test(ev.text)) for (const l of ev.links) add(l, true);
  for (const c of item.row.cells) for (const l of c.links) if (l.form === 'link') add(l, false);
  return judged.length ? oneOrMany(judged) : NO_LINKS;
}

/** Counts over a document's rows, kept per path and updated for the rows that changed. */
interface RowTotals {
  values: readonly RowLinks[];
  /** Per row i: resolved, unjudged and missing links at 3i, 3i+1 and 3i+2. */
  by: Int32Array;
  resolved: number;
  unjudged: number;
  missing: number;
  missingRows: Set<number>;
  /** Rows with a link outside the workspace, a missing anchor, or a link into this document. */
  other: Set<number>;
}

function rowTotals(ctx: RuleContext, rows: ItemValues<RowLinks>): RowTotals {
  const doc = documentMemo(ctx.model.path);
  let t = doc.get('rd007-totals') as RowTotals | undefined;
  const full = !t || rows.fresh || t.values !== rows.values || t.by.length !== rows.values.length * 3;
  if (!t || full) {
    t = { values: rows.values, by: new Int32Array(rows.values.length * 3), resolved: 0, unjudged: 0, missing: 0, missingRows: new Set(), other: new Set() };
    doc.set('rd007-totals', t);
  }
  const totals = t;
  const update = (i: number) => {
    const by = totals.by;
    totals.resolved -= by[3 * i]!;
    totals.unjudged -= by[3 * i + 1]!;
    totals.missing -= by[3 * i + 2]!;
    const counts = [0, 0, 0];
    let other = false;
    for (const l of manyOf(rows.values[i])) {
      const v = judge(ctx, l);
      const s = v.r.status;
      if (s === 'ok' || s === 'anchor-missing') counts[0]++;
      if (s === 'unknown' && v.link.form === 'code-path') counts[1]++;
      if (s === 'missing') counts[2]++;
      if (v.local || s === 'outside' || s === 'anchor-missing') other = true;
    }
    by[3 * i] = counts[0]!;
    by[3 * i + 1] = counts[1]!;
    by[3 * i + 2] = counts[2]!;
    totals.resolved += counts[0];
    totals.unjudged += counts[1];
    totals.missing += counts[2];
    if (counts[2]) totals.missingRows.add(i);
    else totals.missingRows.delete(i);
    if (other) totals.other.add(i);
    else totals.other.delete(i);
  };
  if (full) rows.values.forEach((_, i) => update(i));
  else for (const i of rows.changed) update(i);
  return totals;
}
