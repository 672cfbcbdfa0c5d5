/**
 * The one document model every rule reads. Built once per document version by buildModel (build.ts).
 * All ranges are 0-based (line, UTF-16 character) in the original text.
 */
import type { DocKind, Range, Role } from './types.js';
import { range, trimmedRange, type LineIndex } from './text.js';
import { addEach, manyOf, oneOrMany, type OneOrMany } from './memo.js';

export interface Link {
  /** The link target as written (`./a.md#x`, `https://…`), or a backticked path treated as a reference. */
  target: string;
  text: string;
  range: Range;
  /** `link` for [x](y) and <y>, `definition` for [x]: y, `code-path` for a backticked path-like string. */
  form: 'link' | 'definition' | 'code-path';
}

/** A link in a table cell, stored like its cell: its range as three numbers, made when asked for. */
export class CellLink implements Link {
  constructor(
    readonly target: string,
    readonly text: string,
    readonly form: Link['form'],
    readonly line: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get range(): Range {
    return range(this.line, this.start, this.line, this.end);
  }

  toJSON(): Link {
    return { target: this.target, text: this.text, range: this.range, form: this.form };
  }
}

export interface Heading {
  depth: number;
  /** Plain text: inline markup removed, mojibake repaired. */
  text: string;
  line: number;
  range: Range;
  /** Range of the heading's text (after the #s). */
  textRange: Range;
}

export interface Section {
  heading: Heading | undefined; // undefined for the preamble before the first heading
  /** First line of the section's content (the line after the heading). */
  startLine: number;
  /** Last line (inclusive) before the next heading of the same or higher level. */
  endLine: number;
  parent: Section | undefined;
  children: Section[];
}

export interface Cell {
  /** The cell as written, trimmed. */
  readonly raw: string;
  /** Plain text: emphasis, code ticks, links and HTML removed; mojibake repaired; trimmed. */
  readonly text: string;
  /** Range of the trimmed content; an empty cell gets an empty range where its content would go. */
  readonly range: Range;
  readonly links: Link[];
}

/** The links of a cell without any: one shared, frozen array (a register has tens of thousands of cells). */
export const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];

/**
 * A table cell as the model stores it. A 4,000-row register has 44,000 cells, so a cell keeps its range
 * as two numbers, its line and its start (it ends where its raw text does; its `range` is made when
 * asked for) and, when its column plays a role, it is that role's Field itself (label and role come
 * from its column): no copies. Most cells are plain text without links and store neither their text nor
 * their links (`TableCell.of` picks the form). Never changed once built.
 */
export abstract class TableCell implements Cell {
  abstract readonly text: string;
  abstract readonly links: Link[];

  constructor(
    /** Cut from its line: it spans start to start + raw.length. */
    readonly raw: string,
    readonly line: number,
    readonly start: number,
    /** The column the cell stands in (undefined for header cells and cells past the header's). */
    readonly column: Column | undefined,
  ) {}

  /** A cell of `raw`, which is its line's text from `start` on (so its end is start + raw.length). */
  static of(raw: string, text: string, links: Link[], line: number, start: number, column: Column | undefined): TableCell {
    return text === raw && links.length === 0 ? new PlainCell(raw, line, start, column) : new MarkedCell(raw, line, start, column, text, links);
  }

  /** The end of the cell's trimmed content in its line. */
  get end(): number {
    return this.start + this.raw.length;
  }

  get range(): Range {
    return range(this.line, this.start, this.line, this.end);
  }

  /** The column's role: meaningful when the cell is a Field (its column plays a role). */
  get role(): Role {
    return this.column?.role as Role;
  }

  /** The column's header: a Field's label. */
  get label(): string {
    return this.column?.header ?? '';
  }

  toJSON(): Cell {
    return { raw: this.raw, text: this.text, range: this.range, links: this.links };
  }
}

/** A cell whose plain text is its raw text and that has no links. */
class PlainCell extends TableCell {
  get text(): string {
    return this.raw;
  }

  get links(): Link[] {
    return NO_LINKS;
  }
}

/** A cell with markup (its plain text differs) or links. */
class MarkedCell extends TableCell {
  constructor(
    raw: string,
    line: number,
    start: number,
    column: Column | undefined,
    readonly text: string,
    readonly links: Link[],
  ) {
    super(raw, line, start, column);
  }
}

export interface Column {
  index: number;
  header: string;
  role: Role | undefined;
}

/** A value with a role: a table cell, a `Key: value` line or a bullet field. */
export interface Field {
  readonly role: Role;
  /** The key or header it came from, as written. */
  readonly label: string;
  readonly raw: string;
  readonly text: string;
  readonly range: Range;
  readonly links: Link[];
}

/** An item's values by role. */
export type Fields = Partial<Record<Role, Field>>;

/** One thing a rule can judge: a table row, or a section-per-item (a heading with fields below it). */
export interface Item {
  readonly source: 'table' | 'section';
  /** The item's id, when it has one (a column with the id role, or an ID in the heading). */
  readonly id: Field | undefined;
  fields: Fields;
  /** The line of the row, or of the heading. */
  readonly line: number;
  readonly range: Range;
  readonly table: Table | undefined;
  readonly row: TableRow | undefined;
  readonly section: Section | undefined;
  /**
   * The same object (===) from build to build while the item reads the same: a table row whose text,
   * line and table columns are unchanged (per-row memos key on it). Undefined for section items, which
   * count as changed every time.
   */
  readonly memoKey?: object;
}

export interface TableRow {
  readonly line: number;
  readonly cells: Cell[];
  readonly range: Range;
  readonly item: Item;
}

/** A table's columns and which column plays each role: shared by builds while the header reads the same. */
export interface TableShape {
  readonly columns: readonly Column[];
  /** The first column that plays each role (the table's `roles`), as pairs. */
  readonly roleColumns: readonly (readonly [Role, number])[];
}

/** Reads a row's cells from its record's text (buildModel's reader: one per document). */
export interface CellReader {
  read(record: RowRecord): TableCell[];
}

/**
 * A table line as the model keeps it from build to build: its text, its line number, its table's shape
 * and its cells' links (which depend on the document's link definitions too). The cells themselves are
 * read from the text when first asked for, and kept until `release` (the server releases them when the
 * user pauses): an idle 4,000-row register then keeps 4,000 of these instead of 44,000 cells. buildModel
 * shares a record between builds while all of these are unchanged, so the model stays exactly what a
 * fresh read gives; per-row memos key on it.
 */
export class RowRecord {
  private cachedCells: TableCell[] | undefined;
  private cachedFields: Fields | undefined;
  /** The links: one (most rows with any) kept without an array. */
  private readonly linkData: OneOrMany<CellLink>;

  constructor(
    /** The line's text. */
    readonly text: string,
    readonly line: number,
    /** How many cells the line splits into. */
    readonly cellCount: number,
    /** Undefined for a header line. */
    readonly shape: TableShape | undefined,
    /** The links of the row's cells, in order (NO_LINKS: none). */
    links: readonly CellLink[],
    private readonly reader: CellReader,
  ) {
    this.linkData = oneOrMany(links);
  }

  /** The links of the row's cells, in order. */
  get links(): readonly CellLink[] {
    return manyOf(this.linkData);
  }

  /** Adds the links of the row's cells to `out`, in order (no array made on the way). */
  addLinksTo(out: Link[]): void {
    addEach<Link>(this.linkData, out);
  }

  get cells(): TableCell[] {
    return (this.cachedCells ??= this.reader.read(this));
  }

  /** The cells that stand in a role's column (the first column that plays it). */
  get fields(): Fields {
    if (this.cachedFields) return this.cachedFields;
    const cells = this.cells;
    const fields: Fields = {};
    for (const [role, idx] of this.shape?.roleColumns ?? []) {
      const c = cells[idx];
      if (c) fields[role] = c as TableCell & Field;
    }
    return (this.cachedFields = fields);
  }

  /** The trimmed line. */
  get range(): Range {
    return trimmedRange(this.line, this.text);
  }

  /** True while the cells are held (read and not released since). */
  get holdsCells(): boolean {
    return this.cachedCells !== undefined;
  }

  /** Lets go of the cells: they are read again, equal, when next asked for. True when it held them. */
  release(): boolean {
    const held = this.cachedCells !== undefined;
    this.cachedCells = undefined;
    this.cachedFields = undefined;
    return held;
  }
}

/**
 * A register table's row: the row and its item in one object (a 4,000-row register has 4,000), over the
 * row's record. Made by every build; its record may be the previous build's.
 */
export class TableRowItem implements Item, TableRow {
  /** Fields a section added to the row (`### G-004` below a summary table): a copy, the record's are shared. */
  private added: Fields | undefined;

  constructor(
    readonly record: RowRecord,
    readonly table: Table,
  ) {}

  get source(): 'table' {
    return 'table';
  }

  get fields(): Fields {
    return this.added ?? this.record.fields;
  }

  set fields(f: Fields) {
    this.added = f;
  }

  get id(): Field | undefined {
    return this.fields.id;
  }

  get line(): number {
    return this.record.line;
  }

  get range(): Range {
    return this.record.range;
  }

  get cells(): Cell[] {
    return this.record.cells;
  }

  get row(): TableRow {
    return this;
  }

  get item(): Item {
    return this;
  }

  get section(): Section {
    return this.table.section;
  }

  get memoKey(): object {
    return this.added ?? this.record;
  }

  /** Plain data (the table by its header line). */
  toJSON(): unknown {
    return { source: 'table', id: this.id, fields: this.fields, line: this.line, range: this.range, table: this.table.headerLine, cells: this.cells };
  }
}

export interface Table {
  headerLine: number;
  /** Last line (inclusive). */
  endLine: number;
  header: Cell[];
  columns: Column[];
  /** Column index per role (the first column that plays it). */
  roles: Partial<Record<Role, number>>;
  rows: TableRow[];
  range: Range;
  /** The innermost section holding the table. */
  section: Section;
}

export interface ListItem {
  line: number;
  /** Nesting depth, 0 for a top-level item. */
  depth: number;
  /** `true`/`false` for a task item (`[x]`/`[ ]`), undefined otherwise. */
  checked: boolean | undefined;
  /** Plain text of the item's first line (after the marker and checkbox). */
  text: string;
  /** Range of the item's first line text (after the marker and checkbox). */
  textRange: Range;
  /** Range of the `[ ]`/`[x]` box. */
  boxRange: Range | undefined;
  ordered: boolean;
  section: Section;
}

/** A `Key: value` line (`**Owner:** @sre`, `- Status: Open`, `Evidence: …`). */
export interface FieldLine {
  key: string;
  /** Normalised key for matching. */
  keyNorm: string;
  role: Role | undefined;
  value: string;
  /** Plain text of the value. */
  text: string;
  line: number;
  keyRange: Range;
  valueRange: Range;
  links: Link[];
  section: Section;
  /** True when the line is a list item. */
  bullet: boolean;
}

export interface Suppression {
  kind: 'disable' | 'enable' | 'disable-next-line';
  /** Rule ids or names; empty means all rules. */
  rules: string[];
  line: number;
  range: Range;
}

export interface FrontMatter {
  /** Parsed YAML, or undefined when it is not valid YAML (then `error` says why). */
  data: unknown;
  error: string | undefined;
  /** Lines of the block, including the `---` fences. */
  startLine: number;
  endLine: number;
  /** First line of each top-level key, and of nested keys joined with dots (`revision.updated`). */
  keyLines: Map<string, number>;
}

export interface DocumentModel {
  path: string;
  text: string;
  lines: LineIndex;
  kind: DocKind;
  /** What decided the kind. */
  kindSource: 'front-matter' | 'config' | 'file-name' | 'title' | 'folder' | 'content' | 'none';
  frontMatter: FrontMatter | undefined;
  /** The first H1 (or the first heading when there is no H1). */
  title: Heading | undefined;
  headings: Heading[];
  /** The root of the section tree (the preamble); every heading starts a section below it. */
  root: Section;
  /** Every section in document order, the root first. */
  sections: Section[];
  tables: Table[];
  listItems: ListItem[];
  fieldLines: FieldLine[];
  links: Link[];
  /**
   * The text of each line with what is not prose blanked out by spaces (fenced and indented code, HTML,
   * comments, block quotes, front matter, inline code): scan these with regular expressions and the
   * offsets still point into the original line.
   */
  prose: string[];
  /** True for lines that are entirely not prose (inside code, HTML, comments, quotes or front matter). */
  masked: boolean[];
  /** Register/FMEA items: table rows of tables with an id or RPN role, and section-per-item entries. */
  items: Item[];
  suppressions: Suppression[];
  /** Priority bands declared in the document's prose (`RPN > 200`, `RPN 100-200`), if any. */
  declaredBands: DeclaredBand[];
}

export interface DeclaredBand {
  label: string;
  /** Inclusive bounds. */
  min: number;
  max: number;
  line: number;
}

/** The section containing a line. */
export function sectionAt(model: DocumentModel, line: number): Section {
  let s = model.root;
  for (;;) {
    const child = s.children.find((c) => c.heading && c.heading.line <= line && line <= c.endLine);
    if (!child) return s;
    s = child;
  }
}

/** The headings from the top down to a section, e.g. ["Gap register", "Open gaps"]. */
export function sectionPath(section: Section): Heading[] {
  const out: Heading[] = [];
  for (let s: Section | undefined = section; s; s = s.parent) if (s.heading) out.unshift(s.heading);
  return out;
}

/** True when `inner` is `outer` or nested below it. */
export function isWithin(inner: Section, outer: Section): boolean {
  for (let s: Section | undefined = inner; s; s = s.parent) if (s === outer) return true;
  return false;
}

/*
 * Callbacks the lint runs thousands of times are made once, here: V8 keeps a function's optimized code
 * only while a function object that uses it lives, so a callback made anew on every call loses it at each
 * full collection, and the first lint after the user pauses runs it in the interpreter.
 */

/** A section item (`### G-004`), not a table row. */
export const isSectionItem = (i: Item): boolean => i.source === 'section';

/** Orders by line. */
export const byLine = (a: { line: number }, b: { line: number }): number => a.line - b.line;

/** A table row's memo key (see Item.memoKey). */
export const memoKeyOfRow = (r: TableRow): object | undefined => r.item.memoKey;

/** Orders links by where they start (a cell link's range is not made for it). */
export const byLinkStart = (a: Link, b: Link): number => linkLine(a) - linkLine(b) || linkCharacter(a) - linkCharacter(b);

function linkLine(l: Link): number {
  return l instanceof CellLink ? l.line : l.range.start.line;
}

function linkCharacter(l: Link): number {
  return l instanceof CellLink ? l.start : l.range.start.character;
}
