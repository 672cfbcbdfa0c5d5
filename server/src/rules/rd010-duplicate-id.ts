import type { Item, Table } from '../engine/model.js';
import { documentMemo, itemDiff, perItem, sameAsBefore } from '../engine/memo.js';
import type { Report, Rule } from '../engine/rule.js';
import { isDefiningId } from '../engine/index-store.js';
import type { DocKind } from '../engine/types.js';
import { displayPath } from './util.js';

const FAMILY: Partial<Record<DocKind, string>> = { 'gap-register': 'register', fmea: 'register', invariants: 'invariants' };

/**
 * RD010: an id defined twice: in one table (any id, `11` included), in one document (ids such as G-003),
 * or in two documents of the same family across the workspace (two registers, two invariant lists).
 * Placeholder ids (`—`, `-`) and tables that restart their numbering are not duplicates.
 */
export const rd010: Rule = {
  meta: {
    id: 'RD010',
    name: 'duplicate-id',
    description: 'The same id is defined twice, in this document or across the workspace.',
    defaultSeverity: 'error',
    kinds: ['gap-register', 'fmea', 'invariants'],
  },
  check(ctx) {
    const model = ctx.model;
    const ids = perItem(model, 'rd010', '', (item) => (item.id ? comparable(item.id.text) : undefined));
    // Nothing this rule reads changed since the last lint (an edit of a row's other cells): say it again.
    // A changed row whose id is reported (its id may have moved within the row) is read again, and so is
    // every row when one changed place (a line, or a table boundary, moved past it: its scope changed).
    const key = `${model.kind}\u0000${model.tables.map(signature).join('\u0001')}\u0000${ctx.index ? `${indexIds(ctx.index)}.${ctx.index.idGeneration}` : '-'}\u0000${displayPath(ctx, model.path)}`;
    const doc = documentMemo(model.path);
    const kept = doc.get('rd010-reports') as { key: string; reports: Report[]; reported: Set<string> } | undefined;
    if (
      kept &&
      kept.key === key &&
      sameAsBefore(ids, (a, b) => a === b) &&
      !itemDiff(model).moved &&
      ids.changed.every((i) => model.items[i]!.source === 'table' && !kept.reported.has(compareKey(ids.values[i])))
    ) {
      for (const r of kept.reports) ctx.report(r);
      return;
    }
    const reports: Report[] = [];
    const reported = new Set<string>();
    const report = (c: Classified, r: Report) => {
      reports.push(r);
      reported.add(c.key);
      ctx.report(r);
    };
    doc.set('rd010-reports', { key, reports, reported });
    const first = new Map<string, Map<string, Item>>();
    const firsts: { item: Item; c: Classified }[] = [];
    const classOf = (id: string): Classified => ({ id, defining: isDefiningId(id), key: compareKey(id) });
    const groups = numberingGroups(ctx.model.items);
    const classes = ids.values;
    const scopes = new Map<Table, string>();
    for (let i = 0; i < ctx.model.items.length; i++) {
      const item = ctx.model.items[i]!;
      // An id is kept only for an item with one: no need to read unchanged rows' cells for it.
      const id = classes[i];
      if (id === undefined) continue;
      const c = classOf(id);
      // Bare numbers are row numbers: a repeat counts within one table, or across tables that share a
      // header and continue one numbering (a register split by band), not where each table restarts.
      // Ids such as G-003 repeat legitimately in tables of another shape (a timeline, a "top risks" view),
      // so they are compared within tables of one header (or among sections), like row numbers.
      let scope: string;
      if (!item.table) scope = c.defining ? 'sections' : 's';
      else if (!c.defining) scope = groups.get(item.table)!;
      else {
        scope = scopes.get(item.table)!;
        if (scope === undefined) scopes.set(item.table, (scope = `h:${signature(item.table)}`));
      }
      const key = c.key;
      let inScope = first.get(scope);
      if (!inScope) first.set(scope, (inScope = new Map()));
      const prev = inScope.get(key);
      if (!prev) {
        inScope.set(key, item);
        firsts.push({ item, c });
        continue;
      }
      report(c, {
        range: item.id!.range,
        message: `Id ${c.id} is already used on line ${prev.line + 1}; give each ${c.defining ? 'item' : 'row'} its own id.`,
        related: [{ range: prev.id!.range, message: `First definition of ${c.id}` }],
      });
    }
    const family = FAMILY[ctx.model.kind];
    const index = ctx.index;
    if (!index || !family) return;
    const reportedIds = new Set<string>();
    {
      for (const { item, c } of firsts) {
        if (!c.defining || reportedIds.has(c.key)) continue;
        reportedIds.add(c.key);
        const all = index.definitionsOfUpper(c.key);
        if (!all.some((d) => d.path !== ctx.model.path && FAMILY[d.kind] === family)) continue;
        const elsewhere = all.filter((d) => d.path !== ctx.model.path && FAMILY[d.kind] === family);
        const other = elsewhere[0]!;
        report(c, {
          range: item.id!.range,
          message: `Id ${c.id} is also defined in ${displayPath(ctx, other.path)} (line ${other.range.start.line + 1}); an id must name one ${family === 'register' ? 'gap' : 'invariant'} in the workspace.`,
          related: elsewhere.map((d) => ({ path: d.path, range: d.range, message: `Also defines ${c.id}` })),
        });
      }
    }
  },
};

/** The id an id cell holds, undefined for a placeholder (`—`, `TBD`): kept for every row of a register. */
function comparable(text: string): string | undefined {
  const id = text.trim();
  if (!id || /^[-—–?]*$/.test(id) || /^(?:tbd|n\/a)$/i.test(id)) return undefined;
  return id;
}

/** What an id is compared by: a defining id (G-003) without its case, a row number as it is. */
function compareKey(id: string | undefined): string {
  return id === undefined ? '' : isDefiningId(id) ? id.toUpperCase() : id;
}

/** An id, and how it compares: a defining id (G-003, case-insensitive) or a row number. */
interface Classified {
  id: string;
  defining: boolean;
  /** compareKey(id) */
  key: string;
}

const indexIdsMap = new WeakMap<object, number>();
let nextIndexId = 1;
function indexIds(index: object): number {
  let id = indexIdsMap.get(index);
  if (id === undefined) indexIdsMap.set(index, (id = nextIndexId++));
  return id;
}


/**
 * Tables that share a header and continue one numbering get one group; a table whose numbers restart
 * (most of its ids repeat an earlier table's) keeps its own.
 */
function numberingGroups(items: readonly Item[]): Map<Table, string> {
  const out = new Map<Table, string>();
  const byHeader = new Map<string, Table[]>();
  for (const item of items) {
    const t = item.table;
    if (!t || out.has(t)) continue;
    out.set(t, `t${out.size}`);
    const sig = signature(t);
    const list = byHeader.get(sig) ?? [];
    list.push(t);
    byHeader.set(sig, list);
  }
  for (const tables of byHeader.values()) {
    if (tables.length < 2) continue;
    const ids = tables.map((t) => t.rows.map((r) => r.item.id?.text.trim() ?? '').filter((x) => x && !isDefiningId(x)));
    const all = ids.flat();
    const repeats = all.length - new Set(all).size;
    if (repeats <= Math.max(1, Math.floor(all.length / 10))) for (const t of tables) out.set(t, out.get(tables[0]!)!);
  }
  return out;
}

const signatures = new WeakMap<Table, string>();

function signature(t: Table): string {
  let s = signatures.get(t);
  if (s === undefined) signatures.set(t, (s = t.columns.map((c) => c.header.toLowerCase()).join('|')));
  return s;
}
