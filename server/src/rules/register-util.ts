/** Helpers for the register and FMEA rules (RD001–RD012). */
import type { DocumentModel, Field, Item } from '../engine/model.js';
import type { DocKind, Range, Role } from '../engine/types.js';
import { range } from '../engine/text.js';
import { parseLeadingNumber, statusClass } from '../engine/values.js';

export const REGISTER_KINDS: readonly DocKind[] = ['gap-register', 'fmea'];

/** The range of the leading number inside a field (`**42**` → the `42`), or the field's range. */
export function numberRange(field: Field): Range {
  const m = /-?\d[\d,]*(?:\.\d+)?/.exec(field.raw);
  if (!m) return field.range;
  const start = field.range.start.character + m.index;
  return range(field.range.start.line, start, field.range.start.line, start + m[0].length);
}

/** A field that holds something (not empty, not a dash or TBD-like placeholder). */
export function hasValue(f: Field | undefined): boolean {
  if (!f) return false;
  const t = f.text.trim();
  return t !== '' && !/^(?:-+|—|–|n\/?a|tbd|tba|\?+|none|todo)$/i.test(t);
}

export function num(f: Field | undefined): number | undefined {
  return f ? parseLeadingNumber(f.text) : undefined;
}

/**
 * True when the document gives items of this shape a place for the role: a column, or (for sections)
 * a field that at least half of the section items carry — the document's own convention.
 */
export function docHasRole(model: DocumentModel, item: Item, role: Role): boolean {
  if (item.table) return item.table.roles[role] !== undefined;
  const sections = model.items.filter((i) => i.source === 'section');
  const having = sections.filter((i) => i.fields[role] !== undefined).length;
  return having > 0 && having * 2 >= sections.length;
}

export function isClosed(item: Item): boolean {
  const s = item.fields.status;
  return s ? statusClass(s.text) === 'closed' : false;
}

export function isOpen(item: Item): boolean {
  const s = item.fields.status;
  return s ? statusClass(s.text) !== 'closed' : true;
}

/** A short label for an item in messages: its id, else its title, else its line. */
export function itemLabel(item: Item): string {
  if (item.id && item.id.text) return item.id.text;
  const t = item.fields.title?.text;
  if (t) return `"${t.length > 40 ? t.slice(0, 37) + '…' : t}"`;
  return `the row on line ${item.line + 1}`;
}

/** Where to point when a field is missing: the empty cell, else the item's id or heading. */
export function missingRange(item: Item, role: Role): Range {
  const f = item.fields[role];
  if (f) return f.range.start.character === f.range.end.character && item.row ? item.row.range : f.range;
  return item.id?.range ?? item.range;
}
