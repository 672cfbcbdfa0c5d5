/** Helpers for the register and FMEA rules (RD001–RD012). */
import { isSectionItem, type Cell, type DocumentModel, type Field, type Item, type Table } from '../engine/model.js';
import { parseLeadingNumber } from '../engine/values.js';
import type { DocKind, Range, Role } from '../engine/types.js';
import { range } from '../engine/text.js';
import { documentMemo, perItem, perLine, sameAsBefore } from '../engine/memo.js';
import { statusClass } from '../engine/values.js';

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
  const sections = model.items.filter(isSectionItem);
  const having = sections.filter((i) => i.fields[role] !== undefined).length;
  return having > 0 && having * 2 >= sections.length;
}

/**
 * Document-level facts the per-item register checks read (see ItemCheck): the S/O/D scale, the roles
 * section items conventionally carry, and which tables hold scores. Part of their state and its key.
 */
export interface RegisterFacts {
  scale: number;
  /** Roles at least half of the section items carry (docHasRole for sections). */
  sectionRoles: Role[];
  /** scoredTable of each table, in order: `1` or `0`. */
  scored: string;
}

const factsCache = new WeakMap<DocumentModel, RegisterFacts>();

export function registerFacts(model: DocumentModel): RegisterFacts {
  let f = factsCache.get(model);
  if (f) return f;
  const sections = model.items.filter(isSectionItem);
  const counts = new Map<Role, number>();
  for (const i of sections) for (const r of Object.keys(i.fields) as Role[]) counts.set(r, (counts.get(r) ?? 0) + 1);
  const sectionRoles = [...counts].filter(([, n]) => n > 0 && n * 2 >= sections.length).map(([r]) => r).sort();
  primeScoredTables(model);
  f = { scale: declaredScale(model), sectionRoles, scored: model.tables.map((t) => (scoredTable(t) ? '1' : '0')).join('') };
  factsCache.set(model, f);
  return f;
}

/** docHasRole from the prepared facts (a per-item check has no model). */
export function hasPlaceFor(facts: RegisterFacts, item: Item, role: Role): boolean {
  return item.table ? item.table.roles[role] !== undefined : facts.sectionRoles.includes(role);
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

/** What a row says about its risk: S, O, D and the RPN, wherever they are written. */
export interface Scores {
  s: number | undefined;
  o: number | undefined;
  d: number | undefined;
  rpn: number | undefined;
  /** The RPN's cell or field, and the range of its number. */
  rpnField: Field | undefined;
  rpnRange: Range | undefined;
  /** True when the row has all three of S, O and D (separate fields, or one `S/O/D → RPN` cell). */
  triple: boolean;
}

const COMBINED = /^\s*(\d{1,2})\s*[/×x*·]\s*(\d{1,2})\s*[/×x*·]\s*(\d{1,2})\s*(?:→|->|=|⇒)\s*[*_]*\s*(\d{1,4})\b/i;

/** S, O, D and RPN of an item; reads the combined form `9/3/8 → **216**` (or `9 × 3 × 8 = 216`) too. */
export function scoresOf(item: Item): Scores {
  const f = item.fields;
  const rpnField = f.rpn;
  const combined = rpnField ? COMBINED.exec(rpnField.text) : null;
  if (combined && rpnField) {
    const at = rpnField.raw.lastIndexOf(combined[4]!);
    const c = rpnField.range.start.character + Math.max(0, at);
    return {
      s: f.severity ? parseLeadingNumber(f.severity.text) : +combined[1]!,
      o: f.occurrence ? parseLeadingNumber(f.occurrence.text) : +combined[2]!,
      d: f.detection ? parseLeadingNumber(f.detection.text) : +combined[3]!,
      rpn: +combined[4]!,
      rpnField,
      rpnRange: range(rpnField.range.start.line, c, rpnField.range.start.line, c + combined[4]!.length),
      triple: true,
    };
  }
  const triple = item.table
    ? scoredTable(item.table)
    : f.severity !== undefined && f.occurrence !== undefined && f.detection !== undefined;
  return {
    s: num(f.severity),
    o: num(f.occurrence),
    d: num(f.detection),
    rpn: num(rpnField),
    rpnField,
    rpnRange: rpnField ? numberRange(rpnField) : undefined,
    triple,
  };
}

/** True for an RPN cell written as `S/O/D → RPN`. */
export function isCombinedScore(field: Field | undefined): boolean {
  return !!field && COMBINED.test(field.text);
}

const scaleCache = new WeakMap<DocumentModel, number | undefined>();
const SCALE = /\b1\s*[-–—]\s*(3|4|5|10)\b(?:\s*(?:point\s+)?scale)?|\bscale\s*(?:of|:|\()?\s*1\s*(?:[-–—]|to)\s*(3|4|5|10)\b|\b1\s+to\s+(3|4|5|10)\b/i;

/**
 * The top of the S/O/D scale the document declares (`1-5 scale`, `scale of 1 to 3`), on a line that
 * speaks of severity, occurrence, detection, likelihood or the RPN; 10 when it declares none or several.
 */
/** The scale one line declares, if any (kept per line text: a register's rows repeat across edits). */
function scaleOfLine(line: string): number | undefined {
  if (!/severity|occurrence|detection|detectability|likelihood|rpn|\bS\s*[×x*]\s*O\b/i.test(line)) return undefined;
  const m = SCALE.exec(line);
  return m ? +(m[1] ?? m[2] ?? m[3])! : undefined;
}

export function declaredScale(model: DocumentModel): number {
  if (scaleCache.has(model)) return scaleCache.get(model) ?? 10;
  const found = new Set<number>();
  for (const top of perLine(model, 'scale', model.prose, scaleOfLine)) if (top !== undefined) found.add(top);
  const scale = found.size === 1 ? [...found][0]! : undefined;
  scaleCache.set(model, scale);
  return scale ?? 10;
}

const scoredCache = new WeakMap<Table, boolean>();

/**
 * True when a table's S, O and D columns hold scores: each mostly numbers. A `Detection` column of
 * detection methods (`Latency telemetry`) beside Severity × Likelihood is not a D score.
 */
export function scoredTable(t: Table): boolean {
  const hit = scoredCache.get(t);
  if (hit !== undefined) return hit;
  const cols = [t.roles.severity, t.roles.occurrence, t.roles.detection];
  const ok = cols.every((c) => {
    if (c === undefined) return false;
    let values = 0;
    let numbers = 0;
    for (const r of t.rows) {
      const k = scoreClass(r.cells[c]);
      if (k === 0) continue;
      values++;
      if (k === 1) numbers++;
    }
    return values === 0 || numbers * 2 > values;
  });
  scoredCache.set(t, ok);
  return ok;
}

/** 0: empty or a placeholder, 1: starts with a number, 2: anything else. */
function scoreClass(cell: Cell | undefined): number {
  if (!cell) return 0;
  const x = cell.text.trim();
  return !x || /^(?:-+|—|–|n\/?a|tbd|\?+)$/i.test(x) ? 0 : /^[~≈]?\s*\d/.test(x) ? 1 : 2;
}

/**
 * scoredTable of every register table at once, from each row's S/O/D classes kept per unchanged row
 * (every row of a register table is an item), so an edit of one row reads one row.
 */
function primeScoredTables(model: DocumentModel): void {
  const scores = perItem(model, 'score-classes', '', (item) => {
    const t = item.table;
    if (!t || !item.row) return undefined;
    const { severity: s, occurrence: o, detection: d } = t.roles;
    if (s === undefined || o === undefined || d === undefined) return undefined;
    // The three classes (0–2) as one number: kept for every row of a register, so no array each.
    return scoreClass(item.row.cells[s]) + 3 * scoreClass(item.row.cells[o]) + 9 * scoreClass(item.row.cells[d]);
  });
  // The rows that changed have the classes they had: every register table scores as it did.
  const doc = documentMemo(model.path);
  const kept = doc.get('scored-tables') as Map<number, boolean> | undefined;
  const same = (a: number | undefined, b: number | undefined) => a === b;
  if (kept && sameAsBefore(scores, same)) {
    for (const t of model.tables) {
      const v = kept.get(t.headerLine);
      if (v !== undefined && !scoredCache.has(t)) scoredCache.set(t, v);
    }
    return;
  }
  const classes = scores.values;
  const counts = new Map<Table, number[]>();
  model.items.forEach((item, i) => {
    const packed = classes[i];
    if (packed === undefined || !item.table) return;
    const k = [packed % 3, Math.floor(packed / 3) % 3, Math.floor(packed / 9)];
    let c = counts.get(item.table);
    if (!c) counts.set(item.table, (c = [0, 0, 0, 0, 0, 0]));
    for (let j = 0; j < 3; j++) {
      if (k[j] === 0) continue;
      c[j]!++;
      if (k[j] === 1) c[j + 3]!++;
    }
  });
  const byHeader = new Map<number, boolean>();
  for (const [t, c] of counts) {
    const v = [0, 1, 2].every((j) => c[j] === 0 || c[j + 3]! * 2 > c[j]!);
    byHeader.set(t.headerLine, v);
    if (!scoredCache.has(t)) scoredCache.set(t, v);
  }
  // scoredTable of each register table, by header line, for the next lint.
  doc.set('scored-tables', byHeader);
}
