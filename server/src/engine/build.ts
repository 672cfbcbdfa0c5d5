/**
 * Parse once, build one model. unified + remark-parse + remark-frontmatter give the block structure
 * (headings, code, HTML, quotes, lists, links); our linear scanner reads the tables from the lines
 * remark leaves as paragraphs; field lines, items, bands and suppressions are read from the prose.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { parseDocument, LineCounter, isMap, isPair, isScalar } from 'yaml';
import type { Config } from './config.js';
import { detectKind } from './kind.js';
import type {
  Column,
  DeclaredBand,
  DocumentModel,
  Field,
  FieldLine,
  FrontMatter,
  Heading,
  Item,
  Link,
  ListItem,
  Section,
  Suppression,
  Table,
  TableShape,
  CellReader,
} from './model.js';
import { CellLink, NO_LINKS, RowRecord, TableCell, TableRowItem, byLine, byLinkStart } from './model.js';
import { mapColumns, normalizeHeader, roleOf } from './roles.js';
import { scanSuppressions } from './suppress.js';
import { lineFlags, prescanMask, scanTables, splitRow, type KnownCellCount, type RawCell } from './tables.js';
import { documentMemo, keptArray, keptDocumentMemos, perKey, perLine } from './memo.js';
import { LineIndex, demojibake, detach, range } from './text.js';
import type { Range, Role } from './types.js';
import { isDefiningId } from './index-store.js';

// remark types, kept local so the engine does not depend on @types/mdast.
interface MdPoint {
  line: number;
  column: number;
  offset?: number;
}
interface MdNode {
  type: string;
  position?: { start: MdPoint; end: MdPoint };
  children?: MdNode[];
  value?: string;
  depth?: number;
  url?: string;
  identifier?: string;
  ordered?: boolean | null;
  spread?: boolean | null;
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).freeze();

/** Characters that make plainText do more than collapse white space. */
const MARKUP_CHARS = /[ÃÂâðğ<[`*_\\]/;
/** White space plainText would change: any but a single inner space. */
const UNTIDY_SPACE = /[^\S ]|  |^ | $/;

/**
 * Plain text of inline Markdown: markup, links and HTML removed, mojibake repaired. Every pattern
 * bounds how far it looks for its closing part (a link text, tag or emphasized span over 1,000
 * characters is left as written), so a cell of 20,000 unclosed `[` or `<!--` costs linear time, not
 * seconds.
 */
export function plainText(raw: string): string {
  // Fast path (most cells): nothing to strip and white space already tidy.
  if (!MARKUP_CHARS.test(raw) && !UNTIDY_SPACE.test(raw)) return raw;
  let s = raw;
  if (/[ÃÂâðğ]/.test(s)) s = demojibake(s);
  if (s.includes('<')) s = s.replace(/<br\s*\/?>/gi, ' ').replace(/<\/?[A-Za-z][^>]{0,1000}>/g, '').replace(/<!--.{0,1000}?-->/g, '');
  if (s.includes('[')) s = s.replace(/!?\[([^\]]{0,1000})\]\([^)]{0,1000}\)/g, '$1').replace(/\[([^\]]{0,1000})\]\[[^\]]{0,1000}\]/g, '$1');
  if (s.includes('`')) s = s.replace(/`+/g, '');
  if (s.includes('*') || s.includes('_')) {
    s = s.replace(/(\*\*|__)(.{1,1000}?)\1/g, '$2').replace(/(^|[^\w*])[*_](?=\S)(.{1,1000}?)(?<=\S)[*_](?=[^\w*]|$)/g, '$1$2');
  }
  if (s.includes('\\')) s = s.replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
  return s.replace(/\s+/g, ' ').trim();
}

function nodeText(n: MdNode): string {
  if (n.type === 'text' || n.type === 'inlineCode') return n.value ?? '';
  if (n.type === 'html') return '';
  if (n.type === 'break') return ' ';
  return (n.children ?? []).map(nodeText).join('');
}

const PATH_LIKE = /^(?:\.{1,2}\/|\/)?[\w@.-]+(?:\/[\w@.-]*)*(?:\.[A-Za-z0-9]{1,8}|\/)(?:#[\w.-]+)?$/;

function looksLikePath(s: string): boolean {
  if (s.length > 200 || /\s/.test(s) || /^[a-z]+:\/\//i.test(s)) return false;
  if (!PATH_LIKE.test(s)) return false;
  // `v1.2`, `0.5`, `e.g.`, `x.y`: not paths.
  if (!s.includes('/') && !/\.(?:md|markdown|ya?ml|json|toml|txt|ts|tsx|js|mjs|cjs|py|go|rs|java|kt|rb|sh|sql|erl|ex|exs|c|h|cc|cpp|hpp|cs|php|proto|tf|hcl|conf|ini|csv|html|pdf|png|svg|lock)$/i.test(s.replace(/#.*$/, ''))) return false;
  return true;
}

// Bounded like plainText's patterns: a link text over 1,000 characters or a destination over 2,000 is not a link.
const INLINE_LINK = /(!?)\[((?:[^\]\\]|\\.){0,1000})\](?:\(\s*<?([^)\s>]{0,2000})>?(?:\s+["'(][^)]{0,1000})?\)|\[([^\]]{0,1000})\])|<(https?:\/\/[^>\s]{1,2000})>|(`+)([^`]+?)\6(?!`)/g;

/** Links in one table cell (remark never sees table lines): inline, reference, autolinks, code paths. */
function inlineLinks(raw: string, line: number, offset: number, definitions: Map<string, string>, shared: (s: string) => string): readonly CellLink[] {
  if (!raw.includes('[') && !raw.includes('`') && !raw.includes('<')) return NO_CELL_LINKS;
  const out: CellLink[] = [];
  const link = (target: string, text: string, form: Link['form'], start: number, end: number) =>
    out.push(new CellLink(shared(target), shared(text), form, line, start, end));
  for (const m of raw.matchAll(INLINE_LINK)) {
    const start = offset + m.index!;
    const end = start + m[0].length;
    if (m[7] !== undefined) {
      const v = m[7].trim();
      if (looksLikePath(v)) link(v, v, 'code-path', start, end);
    } else if (m[5] !== undefined) {
      link(m[5], m[5], 'link', start, end);
    } else if (m[1] !== '!') {
      const text = plainText(m[2]!);
      if (m[3] !== undefined) link(m[3], text, 'link', start, end);
      else {
        const target = definitions.get((m[4] || m[2]!).toLowerCase().trim());
        if (target !== undefined) link(target, text, 'link', start, end);
      }
    }
  }
  return out.length ? keptArray(out) : NO_CELL_LINKS;
}

const NO_CELL_LINKS = NO_LINKS as readonly Link[] as readonly CellLink[];

/**
 * The table lines of a document's last build (kept in its documentMemo), so a one-line edit in a 4,000-row
 * register reads one row again, not 4,000. A line's cells depend only on its text, its line number, its
 * table's shape and the document's link reference definitions (for `[x][ref]` in a cell); its record is
 * reused only when all four are unchanged, so the model is exactly what a fresh read gives.
 */
interface RowMemo {
  lines: readonly string[];
  /** The record of each table line (header lines too), by line. */
  records: (RowRecord | undefined)[];
  /** Each table's shape, by its delimiter line (kept while its header reads the same). */
  shapes: (TableShape | undefined)[];
  refs: string;
  reader: DocumentCellReader;
}

function sameShape(a: TableShape, b: TableShape): boolean {
  return (
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => c.index === b.columns[i]!.index && c.header === b.columns[i]!.header && c.role === b.columns[i]!.role) &&
    a.roleColumns.length === b.roleColumns.length &&
    a.roleColumns.every(([role, i], k) => role === b.roleColumns[k]![0] && i === b.roleColumns[k]![1])
  );
}

/**
 * Reads a row's cells from its record: split its text, each cell with the record's links that lie in it.
 * Short values repeat down a column (scores, bands, owners, statuses, dates): one string each per document.
 * Only values V8 copies when cut (under 13 characters): a longer one is a view into its line, and keeping
 * it here would keep that line alive after it changed. Single characters are shared by V8 already.
 */
class DocumentCellReader implements CellReader {
  /** Repeated short cell values (scores, bands, owners, statuses, dates), while cells are held. */
  private readonly cellStrings = new StringPool();
  /** Link targets and texts: a register links the same few evidence files from thousands of rows. */
  private readonly linkStrings = new StringPool();

  /** One string object per distinct link target or text, detached from its line (each row's record keeps its links). */
  readonly shared = (s: string): string => (s.length > 1000 ? s : this.linkStrings.share(s));

  /** Forgets the shared strings (the cells that used them were let go too; links keep their own). */
  release(): void {
    this.cellStrings.clear();
    this.linkStrings.clear();
  }

  read(record: RowRecord): TableCell[] {
    const columns = record.shape?.columns;
    const links = record.links;
    return splitRow(record.text).map((c, i) => {
      const raw = c.raw.length > 1 && c.raw.length < 13 ? this.cellStrings.share(c.raw) : c.raw;
      const own = links.length ? links.filter((l) => l.start >= c.start && l.end <= c.end) : NO_LINKS;
      return TableCell.of(raw, plainText(raw), own.length ? own : NO_LINKS, record.line, c.start, columns?.[i]);
    });
  }
}

/** One string object per distinct value, detached from the text it was cut from; starts over when full. */
class StringPool {
  private strings = new Map<string, string>();

  share(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= 20_000) this.strings = new Map();
    const own = detach(s);
    this.strings.set(own, own);
    return own;
  }

  clear(): void {
    this.strings = new Map();
  }
}
const ROWS = 'build-rows';
const NO_LINES: readonly string[] = [];

/**
 * The lines of a document's last build: an unchanged line is the same string object build after build,
 * and every line is detached from its text (see LineIndex). What is cut from a line (cells, links, memo
 * keys) then holds that line alone, never a whole version of the document: a cell kept from the first
 * build of a register being edited would otherwise keep that first text alive as long as its row is unchanged.
 */
const LINES = 'build-lines';

/**
 * Lets go of the cells of every table row the engine keeps from the last builds (and of `models`' rows):
 * they are read again, equal, when next asked for. For when the user pauses: an idle 4,000-row register
 * then holds its rows' records, not their 44,000 cells. Returns how many rows held cells.
 */
export function releaseCells(models: Iterable<DocumentModel> = []): number {
  let released = 0;
  for (const doc of keptDocumentMemos()) {
    const rows = doc.get(ROWS) as RowMemo | undefined;
    if (!rows) continue;
    for (const r of rows.records) if (r?.release()) released++;
    rows.reader.release();
  }
  for (const m of models) for (const t of m.tables) for (const row of t.rows) if (row instanceof TableRowItem && row.record.release()) released++;
  return released;
}

function refsKey(definitions: Map<string, string>): string {
  let k = '';
  for (const [id, url] of definitions) k += `${id}\u0000${url}\u0001`;
  return k;
}

export function buildModel(text: string, path: string, config: Config): DocumentModel {
  const doc = documentMemo(path);
  const lines = new LineIndex(text, (doc.get(LINES) as readonly string[] | undefined) ?? NO_LINES);
  doc.set(LINES, lines.lines);
  const n = lines.lineCount;
  const masked: boolean[] = new Array(n).fill(false);
  const codeLines: boolean[] = new Array(n).fill(false);
  const prose: string[] = lines.lines.slice();
  const headings: Heading[] = [];
  const links: Link[] = [];
  const listNodes: { node: MdNode; depth: number; ordered: boolean }[] = [];
  const definitions = new Map<string, string>();
  const refLinks: { node: MdNode; range: Range }[] = [];
  const htmlNodes: MdNode[] = [];
  let frontMatterNode: MdNode | undefined;

  // Tables first, by our linear reader; their lines are blanked out of what remark parses.
  const memo = doc.get(ROWS) as RowMemo | undefined;
  const known: KnownCellCount | undefined = memo ? (l, t) => (memo.lines[l] === t ? memo.records[l]?.cellCount : undefined) : undefined;
  const rawTables = scanTables(lines.lines, prescanMask(lines.lines, perLine({ path }, 'prescan', lines.lines, lineFlags)), known);
  // remark parses the text without the table lines (each table leaves one blank line, so what stood
  // before and after it stays apart); `lineMap` takes remark's line numbers back to ours.
  const lineMap: number[] = [];
  const keptText: string[] = [];
  {
    let t = 0;
    for (let l = 0; l < n; l++) {
      const tb = rawTables[t];
      if (tb && l === tb.headerLine) {
        lineMap.push(l);
        keptText.push('');
        l = tb.endLine;
        t++;
        continue;
      }
      lineMap.push(l);
      keptText.push(lines.lines[l]!);
    }
  }
  const deep = tameForRemark(rawTables.length ? keptText : lines.lines);
  let parseText: string;
  if (rawTables.length) parseText = (deep ?? keptText).join('\n');
  else if (deep) {
    // Each line keeps its own terminator (a lone CR inside front matter means something to YAML).
    parseText = '';
    for (let l = 0; l < n; l++) parseText += deep[l]! + (l + 1 < n ? text.slice(lines.lineStarts[l]! + lines.lines[l]!.length, lines.lineStarts[l + 1]!) : '');
  } else parseText = text;
  const mapLine = rawTables.length ? (remarkLine: number) => lineMap[remarkLine - 1] ?? n - 1 : (remarkLine: number) => remarkLine - 1;

  let tree: MdNode;
  try {
    tree = processor.parse(parseText) as unknown as MdNode;
  } catch {
    tree = { type: 'root', children: [] };
  }

  const blank = (line: number, from: number, to: number) => {
    const t = prose[line];
    if (t === undefined) return;
    const a = Math.max(0, from);
    const b = Math.min(t.length, to);
    if (b > a) prose[line] = t.slice(0, a) + ' '.repeat(b - a) + t.slice(b);
  };
  const maskLines = (node: MdNode, code: boolean) => {
    const p = node.position;
    if (!p) return;
    for (let l = mapLine(p.start.line); l <= mapLine(p.end.line) && l < n; l++) {
      masked[l] = true;
      if (code) codeLines[l] = true;
      prose[l] = ' '.repeat(lines.lines[l]!.length);
    }
  };
  const blankSpan = (node: MdNode) => {
    const p = node.position;
    if (!p) return;
    const s = { line: mapLine(p.start.line), character: p.start.column - 1 };
    const e = { line: mapLine(p.end.line), character: p.end.column - 1 };
    for (let l = s.line; l <= e.line; l++) blank(l, l === s.line ? s.character : 0, l === e.line ? e.character : Infinity);
  };
  const rangeOf = (node: MdNode): Range => {
    const p = node.position!;
    return range(mapLine(p.start.line), p.start.column - 1, mapLine(p.end.line), p.end.column - 1);
  };

  // Iterative walk: no recursion limit on deeply nested lists or quotes.
  const stack: { node: MdNode; listDepth: number; inQuote: boolean }[] = [{ node: tree, listDepth: -1, inQuote: false }];
  while (stack.length) {
    const { node, listDepth, inQuote } = stack.pop()!;
    switch (node.type) {
      case 'yaml':
      case 'toml':
        frontMatterNode = node;
        maskLines(node, true);
        continue;
      case 'code':
        maskLines(node, true);
        continue;
      case 'html':
        htmlNodes.push(node);
        if (node.position && node.position.start.column === 1 && isBlockish(node, lines, mapLine)) maskLines(node, false);
        else blankSpan(node);
        continue;
      case 'blockquote':
        maskLines(node, false);
        break; // still collect links for completeness? No: quoted text is an example, not the document.
      case 'inlineCode': {
        if (node.position) {
          const v = node.value ?? '';
          if (!inQuote && looksLikePath(v)) links.push({ target: v, text: v, range: rangeOf(node), form: 'code-path' });
          blankSpan(node);
        }
        continue;
      }
      case 'heading':
        if (node.position && !inQuote) {
          const r = rangeOf(node);
          const lineText = lines.lines[r.start.line] ?? '';
          const m = /^\s{0,3}#{1,6}\s*/.exec(lineText);
          const textStart = m ? m[0].length : 0;
          const textEnd = lineText.replace(/\s+#*\s*$/, '').length;
          headings.push({
            depth: node.depth ?? 1,
            text: plainText(nodeText(node)),
            line: r.start.line,
            range: r,
            textRange: m ? range(r.start.line, textStart, r.start.line, Math.max(textStart, textEnd)) : r,
          });
        }
        break;
      case 'link':
        if (node.position && !inQuote) links.push({ target: node.url ?? '', text: plainText(nodeText(node)), range: rangeOf(node), form: 'link' });
        break;
      case 'linkReference':
        if (node.position && !inQuote) refLinks.push({ node, range: rangeOf(node) });
        break;
      case 'definition':
        if (node.identifier) definitions.set(node.identifier.toLowerCase(), node.url ?? '');
        if (node.position && !inQuote) links.push({ target: node.url ?? '', text: node.identifier ?? '', range: rangeOf(node), form: 'definition' });
        continue;
      case 'list':
        if (!inQuote) listNodes.push({ node, depth: listDepth + 1, ordered: !!node.ordered });
        break;
    }
    const children = node.children;
    if (children) {
      const nextDepth = node.type === 'list' ? listDepth + 1 : listDepth;
      const q = inQuote || node.type === 'blockquote';
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, listDepth: nextDepth, inQuote: q });
    }
  }
  for (const { node, range: r } of refLinks) {
    const target = definitions.get((node.identifier ?? '').toLowerCase());
    if (target !== undefined) links.push({ target, text: plainText(nodeText(node)), range: r, form: 'link' });
  }
  links.sort(byLinkStart);
  headings.sort(byLine);

  // Suppressions live in HTML comments outside code.
  const suppressions: Suppression[] = [];
  for (const h of htmlNodes) {
    const p = h.position;
    if (!p || !(h.value ?? '').includes('readiness-')) continue;
    for (let l = mapLine(p.start.line); l <= mapLine(p.end.line); l++) suppressions.push(...scanSuppressions(lines.lines[l] ?? '', l));
  }
  suppressions.sort(byLine);

  const frontMatter = frontMatterNode ? readFrontMatter(frontMatterNode, mapLine) : undefined;

  // Sections.
  const root: Section = { heading: undefined, startLine: 0, endLine: n - 1, parent: undefined, children: [] };
  const sections: Section[] = [root];
  const open: Section[] = [root];
  for (const h of headings) {
    while (open.length > 1 && open[open.length - 1]!.heading!.depth >= h.depth) {
      open.pop()!.endLine = h.line - 1;
    }
    const parent = open[open.length - 1]!;
    const s: Section = { heading: h, startLine: h.line + 1, endLine: n - 1, parent, children: [] };
    parent.children.push(s);
    sections.push(s);
    open.push(s);
  }
  const sectionOfLine = buildSectionLookup(sections, n);

  // Tables.
  const linksByLine = new Map<number, Link[]>();
  for (const l of links) {
    const arr = linksByLine.get(l.range.start.line);
    if (arr) arr.push(l);
    else linksByLine.set(l.range.start.line, [l]);
  }
  const cellLinks = (r: Range): Link[] => {
    const arr = linksByLine.get(r.start.line);
    if (!arr) return [];
    return arr.filter((l) => l.range.start.character >= r.start.character && l.range.end.character <= r.end.character);
  };
  const refs = rawTables.length ? refsKey(definitions) : '';
  const kept = memo && memo.refs === refs ? memo : undefined;
  const reader = memo?.reader ?? new DocumentCellReader();
  const records: (RowRecord | undefined)[] = [];
  const shapes: (TableShape | undefined)[] = [];
  /** A table line's record: the last build's when its text, line, shape and links are the same. */
  const recordOf = (line: number, raw: readonly RawCell[] | undefined, shape: TableShape | undefined): RowRecord => {
    const text = lines.lines[line]!;
    const before = kept?.records[line];
    let record = before && before.text === text && before.shape === shape ? before : undefined;
    if (!record) {
      const cells = raw ?? splitRow(text);
      let rowLinks: readonly CellLink[] | undefined;
      for (const c of cells) {
        const own = inlineLinks(c.raw, line, c.start, definitions, reader.shared);
        if (own.length) rowLinks = rowLinks ? [...rowLinks, ...own] : own;
      }
      record = new RowRecord(text, line, cells.length, shape, rowLinks ?? NO_CELL_LINKS, reader);
    }
    record.addLinksTo(links);
    records[line] = record;
    return record;
  };

  const tableLines: boolean[] = new Array(n).fill(false);
  const tables: Table[] = [];
  for (const raw of rawTables) {
    const header = recordOf(raw.headerLine, raw.header, undefined).cells;
    const { roles, byRole } = mapColumns(header.map((h) => h.text), config);
    let shape: TableShape = {
      columns: header.map((h, i) => ({ index: i, header: h.text, role: roles[i] })),
      roleColumns: Object.entries(byRole) as [Role, number][],
    };
    // The same shape while the header reads the same: the rows' records (whose cells know their column) are kept.
    const before = kept?.shapes[raw.delimiterLine];
    if (before && sameShape(before, shape)) shape = before;
    shapes[raw.delimiterLine] = shape;
    const table: Table = {
      headerLine: raw.headerLine,
      endLine: raw.endLine,
      header,
      columns: shape.columns as Column[],
      roles: byRole,
      rows: [],
      range: range(raw.headerLine, 0, raw.endLine, lines.lines[raw.endLine]!.length),
      section: sectionOfLine(raw.headerLine),
    };
    for (let l = raw.headerLine; l <= raw.endLine; l++) tableLines[l] = true;
    for (const r of raw.rows) table.rows.push(new TableRowItem(recordOf(r.line, r.cells, shape), table));
    tables.push(table);
  }
  if (rawTables.length) doc.set(ROWS, { lines: lines.lines, records, shapes, refs, reader } satisfies RowMemo);
  else doc.delete(ROWS);

  links.sort(byLinkStart);

  // List items and checkboxes.
  const listItems: ListItem[] = [];
  for (const { node, depth, ordered } of listNodes) {
    for (const li of node.children ?? []) {
      if (li.type !== 'listItem' || !li.position) continue;
      const line = mapLine(li.position.start.line);
      if (masked[line]) continue;
      const t = lines.lines[line] ?? '';
      const m = /^(\s*(?:[-*+]|\d{1,9}[.)])\s+)(\[([ xX])\]\s*)?/.exec(t);
      if (!m) continue;
      const textStart = m[0].length;
      const boxStart = m[1]!.length;
      const endTrim = t.trimEnd().length;
      listItems.push({
        line,
        depth,
        checked: m[2] ? m[3] !== ' ' : undefined,
        text: plainText(prose[line]!.slice(textStart)),
        textRange: range(line, textStart, line, Math.max(textStart, endTrim)),
        boxRange: m[2] ? range(line, boxStart, line, boxStart + 3) : undefined,
        ordered,
        section: sectionOfLine(line),
      });
    }
  }
  listItems.sort(byLine);

  // Field lines.
  const headingLines = new Set(headings.map((h) => h.line));
  const fieldLines: FieldLine[] = [];
  for (let l = 0; l < n; l++) {
    if (masked[l] || tableLines[l] || headingLines.has(l)) continue;
    const f = readFieldLine(lines.lines[l]!, prose[l]!, l, config);
    if (!f) continue;
    fieldLines.push({ ...f, links: cellLinks(f.valueRange), section: sectionOfLine(l) });
  }

  const declaredBands = readDeclaredBands(prose, headings, perLine({ path }, 'rpn-lines', prose, (t) => /rpn/i.test(t)));

  const model: DocumentModel = {
    path,
    text,
    lines,
    kind: 'other',
    kindSource: 'none',
    frontMatter,
    title: headings.find((h) => h.depth === 1) ?? headings[0],
    headings,
    root,
    sections,
    tables,
    listItems,
    fieldLines,
    links,
    prose,
    masked,
    items: [],
    suppressions,
    declaredBands,
  };
  model.items = buildItems(model);
  const k = detectKind(model, config);
  model.kind = k.kind;
  model.kindSource = k.source;
  return model;
}

/** Container markers (block quotes and list items) remark gets to see on one line, and their indentation. */
const MAX_CONTAINERS = 24;
const MAX_CONTAINER_INDENT = 96;
/** A line longer than this, or with more inline openers than MAX_INLINE_OPENERS, is read as plain text. */
const MAX_INLINE_LINE = 20_000;
const MAX_INLINE_OPENERS = 256;
const INLINE_SPECIAL = /[<>[\]()`*_!&~\\]/g;

/**
 * The text remark parses, made safe from its super-linear corners; lengths are kept, so every position
 * stays valid. Returns undefined when no line needs it (every real document).
 *
 * - remark's cost grows with the square (or worse) of the nesting of lists and quotes: 2,000 nested list
 *   levels take it minutes. Markers beyond MAX_CONTAINERS on a line, or indented past
 *   MAX_CONTAINER_INDENT columns, become `x` (plain text, so the line stays a paragraph of the deepest
 *   container kept, with its lazy continuation lines).
 * - Unclosed inline openers (`<!--`, `[`, `` ` ``) make remark scan to the end of the line for each
 *   one: 5,000 `<!--` on a line take seconds. In a line over MAX_INLINE_LINE characters or with over
 *   MAX_INLINE_OPENERS openers, the inline punctuation after its block prefix becomes spaces: the line
 *   stays prose, without links or code spans.
 */
function tameForRemark(src: readonly string[]): string[] | undefined {
  let out: string[] | undefined;
  for (let l = 0; l < src.length; l++) {
    const t = src[l]!;
    if (t.length > 64 && (t.length > MAX_INLINE_LINE || countOpeners(t) > MAX_INLINE_OPENERS)) {
      const start = blockPrefixEnd(t);
      out ??= src.slice();
      out[l] = t.slice(0, start) + t.slice(start).replace(INLINE_SPECIAL, ' ');
      // The prefix itself may still nest too deep.
      const deeper = limitNesting([out[l]!]);
      if (deeper) out[l] = deeper[0]!;
      continue;
    }
    const deeper = limitNestingLine(t);
    if (deeper !== undefined) {
      out ??= src.slice();
      out[l] = deeper;
    }
  }
  return out;
}

function countOpeners(t: string): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 60 /* < */ || c === 91 /* [ */ || c === 96 /* ` */ || c === 42 /* * */ || c === 95 /* _ */ || c === 38 /* & */) n++;
  }
  return n;
}

/** Where a line's block markup ends: indentation, quote and list markers, a heading's #s. */
function blockPrefixEnd(t: string): number {
  const m = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*(?:#{1,6}[ \t]+)?/.exec(t);
  return m ? m[0].length : 0;
}

function limitNesting(src: readonly string[]): string[] | undefined {
  let out: string[] | undefined;
  for (let l = 0; l < src.length; l++) {
    const deeper = limitNestingLine(src[l]!);
    if (deeper !== undefined) {
      out ??= src.slice();
      out[l] = deeper;
    }
  }
  return out;
}

/** The line with its container markers past the limits blanked, or undefined when it is within them. */
function limitNestingLine(t: string): string | undefined {
  {
    const c = t.charCodeAt(0);
    // Fast path: a line that starts with anything but white space or a marker opens no container.
    if (!(c === 32 || c === 9 || c === 62 || c === 45 || c === 42 || c === 43 || (c >= 48 && c <= 57))) return undefined;
    let i = 0;
    let col = 0;
    let markers = 0;
    let blankFrom = -1;
    let blankTo = -1;
    while (i < t.length) {
      const ch = t[i]!;
      if (ch === ' ') {
        col++;
        i++;
        continue;
      }
      if (ch === '\t') {
        col += 4 - (col % 4);
        i++;
        continue;
      }
      let len = 0;
      if (ch === '>') len = 1;
      else if ((ch === '-' || ch === '*' || ch === '+') && (i + 1 === t.length || t[i + 1] === ' ' || t[i + 1] === '\t')) len = 1;
      else if (ch >= '0' && ch <= '9') {
        let j = i;
        while (j < t.length && j - i < 9 && t[j]! >= '0' && t[j]! <= '9') j++;
        if ((t[j] === '.' || t[j] === ')') && (j + 1 === t.length || t[j + 1] === ' ' || t[j + 1] === '\t')) len = j - i + 1;
      }
      if (!len) break;
      markers++;
      // From the first marker past a limit on, every marker of the prefix is blanked.
      if (blankFrom < 0 && (markers > MAX_CONTAINERS || col > MAX_CONTAINER_INDENT)) blankFrom = i;
      col += len;
      i += len;
      if (blankFrom >= 0) blankTo = i;
    }
    if (blankFrom < 0) return undefined;
    return t.slice(0, blankFrom) + t.slice(blankFrom, blankTo).replace(/[^ \t]/g, 'x') + t.slice(blankTo);
  }
}

/** A block of HTML that occupies whole lines (a comment, a <details> block), not inline markup. */
function isBlockish(node: MdNode, lines: LineIndex, mapLine: (l: number) => number): boolean {
  const p = node.position!;
  const last = lines.lines[mapLine(p.end.line)] ?? '';
  return last.slice(p.end.column - 1).trim() === '';
}

function buildSectionLookup(sections: Section[], n: number): (line: number) => Section {
  // Innermost section per line, filled in document order (children overwrite parents).
  const at: Section[] = new Array(n);
  for (const s of sections) {
    const from = s.heading ? s.heading.line : 0;
    for (let l = from; l <= s.endLine && l < n; l++) at[l] = s;
  }
  return (line) => at[Math.max(0, Math.min(line, n - 1))] ?? sections[0]!;
}

const LIST_PREFIX = /^(\s*(?:(?:[-*+]|\d{1,9}[.)])\s+)?(?:\[[ xX]\]\s+)?)/;

/** Reads `Key: value`, `**Key:** value`, `**Key**: value`, `- Key: value` and `_Key: value_` lines. */
function readFieldLine(
  text: string,
  proseText: string,
  line: number,
  config: Config,
): Omit<FieldLine, 'links' | 'section'> | undefined {
  if (!text.includes(':')) return undefined;
  const pre = LIST_PREFIX.exec(text)![1]!;
  let i = pre.length;
  const bullet = /[-*+]|\d[.)]/.test(pre);
  let key: string;
  let keyStart: number;
  let keyEnd: number;
  let valueStart: number;
  const rest = text.slice(i);
  const strong = /^(\*\*|__)([^*_]{1,60}?)(\*\*|__)/.exec(rest);
  if (strong) {
    let inner = strong[2]!;
    keyStart = i + 2;
    if (inner.trimEnd().endsWith(':')) {
      inner = inner.trimEnd().slice(0, -1);
      valueStart = i + strong[0].length;
    } else if (rest[strong[0].length] === ':') {
      valueStart = i + strong[0].length + 1;
    } else return undefined;
    key = inner.trim();
    keyEnd = keyStart + strong[2]!.trimEnd().replace(/:$/, '').length;
  } else {
    const em = /^[_*]?/.exec(rest)![0].length;
    const m = /^([\p{L}][\p{L}\p{N} ()/'’&.,+-]{0,50}?)\s*:(?=\s|$)/u.exec(rest.slice(em));
    if (!m) return undefined;
    key = m[1]!.trim();
    keyStart = i + em;
    keyEnd = keyStart + m[1]!.length;
    valueStart = keyStart + m[0].length;
  }
  if (!key || key.split(/\s+/).length > 6 || /^(?:https?|ftp|mailto|file)$/i.test(key)) return undefined;
  // The key must be prose (not inside code or an HTML comment).
  if (proseText.slice(keyStart, keyEnd).trim() !== key.trim() && proseText.slice(keyStart, keyEnd).trim() === '') return undefined;
  while (valueStart < text.length && /[\s]/.test(text[valueStart]!)) valueStart++;
  let valueEnd = text.trimEnd().length;
  // `_Last updated: 2026-01-02_`: the closing emphasis is not part of the value.
  while (valueEnd > valueStart && /[_*]/.test(text[valueEnd - 1]!) && !/[_*]/.test(text[valueStart]!)) valueEnd--;
  const value = text.slice(valueStart, Math.max(valueStart, valueEnd));
  const keyNorm = normalizeHeader(key);
  return {
    key,
    keyNorm,
    role: roleOf(key, config),
    value,
    text: plainText(value),
    line,
    keyRange: range(line, keyStart, line, keyEnd),
    valueRange: range(line, valueStart, line, Math.max(valueStart, valueEnd)),
    bullet,
  };
}

function readFrontMatter(node: MdNode, mapLine: (l: number) => number): FrontMatter {
  const p = node.position!;
  const startLine = mapLine(p.start.line);
  const endLine = mapLine(p.end.line);
  const keyLines = new Map<string, number>();
  let data: unknown;
  let error: string | undefined;
  if (node.type === 'yaml') {
    try {
      const lc = new LineCounter();
      const doc = parseDocument(node.value ?? '', { lineCounter: lc });
      if (doc.errors.length) throw new Error(doc.errors[0]!.message.split('\n')[0]);
      data = doc.toJS({ maxAliasCount: 100 });
      const visit = (m: unknown, prefix: string, depth: number) => {
        if (!isMap(m) || depth > 8) return;
        for (const item of m.items) {
          if (!isPair(item) || !isScalar(item.key)) continue;
          const k = prefix + String(item.key.value);
          const r = (item.key as { range?: [number, number, number] }).range;
          if (r) keyLines.set(k, startLine + 1 + lc.linePos(r[0]).line - 1);
          visit(item.value, k + '.', depth + 1);
        }
      };
      visit(doc.contents, '', 0);
    } catch (e) {
      data = undefined;
      error = (e as Error).message;
    }
  } else {
    data = undefined;
  }
  return { data, error, startLine, endLine, keyLines };
}

const BAND_LINE = /\bRPN\s*(?:(>=|≥|>|<=|≤|<)\s*(\d+)|(\d+)\s*[-–—]\s*(\d+)|(?:of\s+)?(\d+)\s*\+)/i;
const BAND_LABEL = /\b(critical|high|medium|moderate|low|lower)\b/i;

/** Bands a document declares in its own prose or headings: `High (RPN > 200)`, `RPN 100-200`. */
function readDeclaredBands(prose: string[], headings: Heading[], mentionsRpn: readonly boolean[]): DeclaredBand[] {
  const out: DeclaredBand[] = [];
  for (let l = 0; l < prose.length; l++) {
    if (!mentionsRpn[l]) continue;
    const t = prose[l]!;
    const m = BAND_LINE.exec(t);
    if (!m) continue;
    let min: number;
    let max: number;
    if (m[1]) {
      const v = +m[2]!;
      if (m[1] === '>') [min, max] = [v + 1, 1000];
      else if (m[1] === '>=' || m[1] === '≥') [min, max] = [v, 1000];
      else if (m[1] === '<') [min, max] = [1, v - 1];
      else [min, max] = [1, v];
    } else if (m[3]) [min, max] = [+m[3], +m[4]!];
    else [min, max] = [+m[5]!, 1000];
    if (min > max) continue;
    const heading = headings.find((h) => h.line === l);
    const label = (BAND_LABEL.exec(heading ? heading.text : t)?.[1] ?? '').toLowerCase();
    out.push({ label, min, max, line: l });
  }
  return out;
}

const SECTION_ID = /^(?:\d{1,3}[.)]\s*)?\[?([A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+)\]?(?=[\s:—–]|$)\s*[:—–-]?\s*/;
const REGISTER_ROLES: Role[] = ['owner', 'status', 'evidence', 'due', 'rpn', 'priority', 'severity', 'occurrence', 'detection', 'reviewed'];

/**
 * Register items: rows of tables that carry an id or RPN (or the S/O/D triple), and sections headed by an
 * id (`### G-004: Backups untested`) with `Key: value` fields below. A section whose id also has a table
 * row adds only the fields the table lacks, so a summary table plus a section per gap reports once.
 */
function buildItems(model: DocumentModel): Item[] {
  const items: Item[] = [];
  const byId = new Map<string, Item>();
  for (const t of model.tables) {
    const r = t.roles;
    // S/O/D columns without an id or an RPN are a register only when they hold scores: a legend such
    // as `| Rating | Severity | Occurrence | Detection |` with words in its cells explains the scale.
    const triple = r.severity !== undefined && r.occurrence !== undefined && r.detection !== undefined;
    const register = r.id !== undefined || r.rpn !== undefined || (triple && mostlyNumbers(t, r.severity!));
    if (!register) continue;
    for (const row of t.rows) items.push(row.item);
  }
  // Ids of the rows, for sections that add fields to their summary row: read only when some heading has one.
  let rowIds = false;
  const idsOfRows = () => {
    if (rowIds) return;
    rowIds = true;
    // Each row's id is kept while the row is unchanged: a build after an edit reads one row's cells. The
    // table rows only (section items pushed so far have no id and no memoKey).
    const rows = items.filter((item) => item.memoKey !== undefined);
    const ids = perKey(model, 'build-row-ids', rows.map((item) => item.memoKey), (_key, i) => rows[i]!.id?.text);
    ids.forEach((id, i) => {
      if (id && isDefiningId(id) && !byId.has(id.toUpperCase())) byId.set(id.toUpperCase(), rows[i]!);
    });
  };
  const fieldsBySection = new Map<Section, FieldLine[]>();
  for (const f of model.fieldLines) {
    const arr = fieldsBySection.get(f.section);
    if (arr) arr.push(f);
    else fieldsBySection.set(f.section, [f]);
  }
  for (const s of model.sections) {
    const h = s.heading;
    if (!h) continue;
    const m = SECTION_ID.exec(h.text);
    const id = m && isDefiningId(m[1]!) ? m[1]! : undefined;
    if (id) idsOfRows();
    const own = (fieldsBySection.get(s) ?? []).filter((f) => f.role);
    const fields: Partial<Record<Role, Field>> = {};
    for (const f of own) {
      if (fields[f.role!]) continue;
      fields[f.role!] = { role: f.role!, label: f.key, raw: f.value, text: f.text, range: f.valueRange, links: f.links };
    }
    const registerFields = REGISTER_ROLES.filter((r) => fields[r]).length;
    // Without an id, a heading is an item only when it carries item fields (not the document's own
    // `Last updated:` / `Status:` lines under its title): two of owner, status, evidence, due, scores.
    if (!id && (h.depth === 1 || REGISTER_ROLES.filter((r) => r !== 'reviewed' && fields[r]).length < 2 || !(fields.owner || fields.evidence || fields.due || fields.rpn || fields.priority || fields.severity))) continue;
    if (id && registerFields === 0 && !own.length) {
      // A heading with an id and no fields is still an item (a defined id), unless a row defines it.
      if (byId.has(id.toUpperCase())) continue;
    }
    let idField: Field | undefined;
    if (id) {
      const col = h.textRange.start.character + h.text.indexOf(id) ;
      const lineText = model.lines.lines[h.line]!;
      const at = lineText.indexOf(id, h.textRange.start.character);
      const start = at >= 0 ? at : col;
      idField = { role: 'id', label: 'heading', raw: id, text: id, range: range(h.line, start, h.line, start + id.length), links: [] };
    }
    // A summary row with the same id gets the section's fields; a second section is a second item.
    const existing = id ? byId.get(id.toUpperCase()) : undefined;
    if (existing && existing.source === 'table') {
      // Copy on write: a row's fields record may be shared with the next build (buildModel's row memo).
      const add = (Object.entries(fields) as [Role, Field][]).filter(([role]) => !existing.fields[role]);
      if (add.length) {
        existing.fields = { ...existing.fields };
        for (const [role, f] of add) existing.fields[role] = f;
      }
      continue;
    }
    const title = m ? h.text.slice(m[0].length).trim() : h.text;
    if (title) fields.title = { role: 'title', label: 'heading', raw: title, text: title, range: h.textRange, links: [] };
    const item: Item = { source: 'section', id: idField, fields, line: h.line, range: h.textRange, table: undefined, row: undefined, section: s };
    if (idField) fields.id = idField;
    items.push(item);
    if (id && !byId.has(id.toUpperCase())) byId.set(id.toUpperCase(), item);
  }
  items.sort(byLine);
  return items;
}

function mostlyNumbers(t: Table, col: number): boolean {
  const cells = t.rows.map((row) => row.cells[col]?.text ?? '').filter((x) => x !== '');
  return cells.length > 0 && cells.filter((x) => /^\s*\d/.test(x)).length * 2 > cells.length;
}
