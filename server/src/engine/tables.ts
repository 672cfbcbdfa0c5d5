/**
 * Our own table reader, linear in the size of the table. remark-gfm's table tokenizer is quadratic in
 * rows (a 4,000-row register took 211 s), so tables are read here from the lines remark leaves as
 * paragraphs. Cells are split code-span-aware (a `|` inside backticks is content) and honour `\|`.
 */
/** A cell as read: its trimmed text and where that sits on its line (0-based UTF-16 characters). */
export interface RawCell {
  raw: string;
  start: number;
  end: number;
}

export interface RawTable {
  headerLine: number;
  delimiterLine: number;
  endLine: number;
  header: RawCell[];
  /** A row's cells; undefined for a row scanTables' caller knew (KnownCellCount). */
  rows: { line: number; cells: RawCell[] | undefined }[];
}

const DELIMITER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** Splits one table line into cells with their exact spans on the line. */
export function splitRow(text: string): RawCell[] {
  const cells: RawCell[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  // A blockquote or list marker never reaches here; a leading pipe is optional.
  let hadLeadingPipe = false;
  if (text[i] === '|') {
    hadLeadingPipe = true;
    i++;
  }
  let cellStart = i;
  const pushCell = (end: number) => {
    let s = cellStart;
    let e = end;
    while (s < e && (text[s] === ' ' || text[s] === '\t')) s++;
    while (e > s && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
    cells.push({ raw: text.slice(s, e), start: s, end: e });
  };
  while (i < n) {
    const c = text[i];
    if (c === '\\' && i + 1 < n) {
      i += 2;
      continue;
    }
    if (c === '`') {
      const { run, close } = codeSpanAt(text, i);
      i = close >= 0 ? close + run : i + run;
      continue;
    }
    if (c === '|') {
      pushCell(i);
      cellStart = i + 1;
    }
    i++;
  }
  // Trailing content after the last pipe is a cell; a trailing pipe closes the row.
  const rest = text.slice(cellStart);
  if (rest.trim() !== '' || (!hadLeadingPipe && cells.length === 0)) pushCell(n);
  return cells;
}

/** Inline code on a table line that holds a `|` GFM would split the row at. */
export interface CodePipes {
  /** The code span, backticks included (0-based UTF-16 characters on the line). */
  start: number;
  end: number;
  /** Where each unescaped `|` inside it is. */
  pipes: number[];
}

/**
 * The code spans of a table line that hold an unescaped `|`. This reader keeps such a pipe in its cell
 * (what the author meant); GitHub and other GFM renderers split the row at every unescaped pipe before
 * they read code spans, so there the cell ends at it. `\|` is a pipe inside a cell for both.
 */
export function pipesInCode(text: string): CodePipes[] {
  if (text.indexOf('`') < 0 || text.indexOf('|') < 0) return NO_CODE_PIPES;
  let out: CodePipes[] | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '\\' && i + 1 < n) {
      i += 2;
      continue;
    }
    if (c !== '`') {
      i++;
      continue;
    }
    const { run, close } = codeSpanAt(text, i);
    if (close < 0) {
      i += run;
      continue;
    }
    const pipes: number[] = [];
    // GFM counts a pipe as escaped when a backslash stands right before it (cmark-gfm's table scanner).
    for (let k = i + run; k < close; k++) if (text[k] === '|' && text[k - 1] !== '\\') pipes.push(k);
    if (pipes.length) (out ??= []).push({ start: i, end: close + run, pipes });
    i = close + run;
  }
  return out ?? NO_CODE_PIPES;
}

const NO_CODE_PIPES: CodePipes[] = [];

/** The code span opening at `i` (a backtick): its run of ticks, and where the closing run starts (-1: none). */
function codeSpanAt(text: string, i: number): { run: number; close: number } {
  let run = 0;
  while (text[i + run] === '`') run++;
  return { run, close: findClosingTicks(text, i + run, run) };
}

function findClosingTicks(text: string, from: number, run: number): number {
  let i = text.indexOf('`', from);
  while (i >= 0) {
    let r = 0;
    while (text[i + r] === '`') r++;
    if (r === run) return i;
    i = text.indexOf('`', i + r);
  }
  return -1;
}

/**
 * The cells of a body row (undefined when the caller knows the line: `known`), or false when the line
 * has no pipe outside code (it ends the table). One split serves both questions.
 */
function bodyRow(text: string, line: number, known: KnownCellCount | undefined): RawCell[] | undefined | false {
  if (!text.includes('|')) return false;
  const count = known?.(line, text);
  const cells = count === undefined ? splitRow(text) : undefined;
  return (cells ? cells.length : count!) > 1 || /^\s*\|/.test(text) ? cells : false;
}

/**
 * How many cells splitRow(text) gives, when the caller knows it from an earlier read of the same line
 * (same text, same line number); undefined otherwise. scanTables then does not split the line again.
 */
export type KnownCellCount = (line: number, text: string) => number | undefined;

/**
 * Finds the tables in `lines`, skipping masked lines (code, HTML, quotes, front matter). A table is a
 * header row, a delimiter row with the same number of cells, then every following row that has a pipe,
 * up to a blank or masked line. A body row the caller knows (`known`) comes without its cells.
 */
export function scanTables(lines: readonly string[], masked: readonly boolean[], known?: KnownCellCount): RawTable[] {
  const tables: RawTable[] = [];
  let i = 0;
  while (i + 1 < lines.length) {
    const headerText = lines[i]!;
    const delimText = lines[i + 1]!;
    if (masked[i] || masked[i + 1] || !headerText.includes('|') || !DELIMITER.test(delimText) || !delimText.includes('-')) {
      i++;
      continue;
    }
    const header = splitRow(headerText);
    const delim = splitRow(delimText);
    if (header.length === 0 || delim.length !== header.length || (header.length === 1 && !headerText.includes('|'))) {
      i++;
      continue;
    }
    const table: RawTable = { headerLine: i, delimiterLine: i + 1, endLine: i + 1, header, rows: [] };
    let j = i + 2;
    for (; j < lines.length; j++) {
      const t = lines[j]!;
      if (masked[j] || t.trim() === '') break;
      const cells = bodyRow(t, j, known);
      if (cells === false) break;
      table.rows.push({ line: j, cells });
      table.endLine = j;
    }
    tables.push(table);
    i = j;
  }
  return tables;
}

/**
 * A line-level pass, before remark, that marks what cannot hold a table: fenced code, front matter and
 * multi-line HTML comments. Tables found outside them are blanked out of the text remark parses, so a
 * 4,000-row register costs remark nothing and costs us one linear pass.
 */
export function prescanMask(lines: readonly string[], flags: readonly number[] = lines.map(lineFlags)): boolean[] {
  const mask: boolean[] = new Array(lines.length).fill(false);
  let fence: { ch: string; len: number } | undefined;
  let comment = false;
  let i = 0;
  if (lines.length > 1 && /^(?:\uFEFF)?(?:---|\+\+\+)\s*$/.test(lines[0]!)) {
    const close = lines[0]!.replace('\uFEFF', '').trim();
    for (let j = 1; j < lines.length; j++) {
      if (lines[j]!.trim() === close || (close === '---' && lines[j]!.trim() === '...')) {
        for (let k = 0; k <= j; k++) mask[k] = true;
        i = j + 1;
        break;
      }
    }
  }
  for (; i < lines.length; i++) {
    const f = flags[i]!;
    if (fence) {
      mask[i] = true;
      if (!(f & FENCE)) continue;
      const m = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[i]!);
      if (m && m[1]![0] === fence.ch && m[1]!.length >= fence.len) fence = undefined;
      continue;
    }
    if (comment) {
      mask[i] = true;
      if (f & CLOSES) comment = false;
      continue;
    }
    const o = f & FENCE ? /^\s*(?:>\s*)*(?:(?:[-*+]|\d{1,9}[.)])\s+)?(`{3,}|~{3,})([^`]*)$/.exec(lines[i]!) : null;
    if (o && (o[1]![0] === '~' || !o[2]!.includes('`'))) {
      fence = { ch: o[1]![0]!, len: o[1]!.length };
      mask[i] = true;
      continue;
    }
    if (f & OPENS) {
      comment = true;
      mask[i] = true;
    }
  }
  return mask;
}

const FENCE = 1;
const OPENS = 2;
const CLOSES = 4;

/**
 * What prescanMask needs to know of one line, from its text alone (so it can be kept per line): it may
 * open or close a fence, it opens an HTML comment it does not close, it closes one.
 */
export function lineFlags(t: string): number {
  let f = 0;
  if (t.includes('```') || t.includes('~~~')) f |= FENCE;
  const open = t.lastIndexOf('<!--');
  if (open >= 0 && t.indexOf('-->', open + 4) < 0) f |= OPENS;
  if (t.includes('-->')) f |= CLOSES;
  return f;
}

/**
 * The text with the given lines emptied (their terminators kept), so remark sees blank lines there.
 * Line numbers, and columns on every other line, stay valid.
 */
export function blankLines(text: string, lineStarts: readonly number[], lineLengths: readonly number[], which: readonly number[]): string {
  if (!which.length) return text;
  const parts: string[] = [];
  let pos = 0;
  for (const l of which) {
    const s = lineStarts[l]!;
    parts.push(text.slice(pos, s));
    pos = s + lineLengths[l]!;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
