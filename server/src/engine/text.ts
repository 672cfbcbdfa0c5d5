import type { Position, Range } from './types.js';

/**
 * Each line equal to the previous version's line at the same index becomes that string object; every
 * other line is detached from the text it was cut from, so kept lines never hold a whole earlier version
 * of the document alive.
 */
function reuseLines(lines: string[], previous: readonly string[]): string[] {
  for (let l = 0; l < lines.length; l++) {
    const prev = previous[l];
    lines[l] = prev !== undefined && prev === lines[l] ? prev : detach(lines[l]!);
  }
  return lines;
}

/** Line table over a text: offsets <-> positions in O(log n). Handles LF, CRLF and lone CR. */
export class LineIndex {
  readonly lineStarts: number[];
  /** The text of each line without its terminator. */
  readonly lines: string[];

  /**
   * `previous`: the lines of an earlier version of the same document (already detached, see reuseLines).
   * An unchanged line is taken from it: the same string object, so lookups keyed by line text find its
   * hash already computed; every other line is detached from this text.
   */
  constructor(
    readonly text: string,
    previous?: readonly string[],
  ) {
    const starts = [0];
    const lines: string[] = [];
    let lineStart = 0;
    if (!text.includes('\r')) {
      // LF only (the common case): let indexOf find the line ends.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', lineStart)) {
        lines.push(text.slice(lineStart, i));
        lineStart = i + 1;
        starts.push(lineStart);
      }
      lines.push(text.slice(lineStart));
      this.lineStarts = starts;
      this.lines = previous ? reuseLines(lines, previous) : lines;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */ || c === 13 /* \r */) {
        lines.push(text.slice(lineStart, i));
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        lineStart = i + 1;
        starts.push(lineStart);
      }
    }
    lines.push(text.slice(lineStart));
    this.lineStarts = starts;
    this.lines = previous ? reuseLines(lines, previous) : lines;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  offsetAt(pos: Position): number {
    const line = Math.max(0, Math.min(pos.line, this.lines.length - 1));
    const ch = Math.max(0, Math.min(pos.character, this.lines[line]!.length));
    return this.lineStarts[line]! + ch;
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const ch = Math.min(offset - this.lineStarts[lo]!, this.lines[lo]!.length);
    return { line: lo, character: ch };
  }

  /** The range of a whole line's text (without terminator). */
  lineRange(line: number): Range {
    return range(line, 0, line, this.lines[line]?.length ?? 0);
  }

  /** The range of a line's text without its leading and trailing white space. */
  trimmedLineRange(line: number): Range {
    return trimmedRange(line, this.lines[line] ?? '');
  }
}

export function range(l1: number, c1: number, l2: number, c2: number): Range {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

/**
 * A range that never changes, kept as four numbers: a finding's (the lint freezes them, and a register
 * being edited keeps thousands). Its positions are made when read; JSON writes it as a plain range.
 */
export class FrozenRange implements Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {
    Object.freeze(this);
  }

  get start(): Position {
    return { line: this.startLine, character: this.startCharacter };
  }

  get end(): Position {
    return { line: this.endLine, character: this.endCharacter };
  }

  toJSON(): Range {
    return { start: this.start, end: this.end };
  }
}

/** Where a range starts, without making a position for a FrozenRange (for sorting thousands). */
export function startLineOf(r: Range): number {
  return r instanceof FrozenRange ? r.startLine : r.start.line;
}

export function startCharacterOf(r: Range): number {
  return r instanceof FrozenRange ? r.startCharacter : r.start.character;
}

/** The range of line `line`, whose text is `text`, without leading and trailing white space (all of it when blank). */
export function trimmedRange(line: number, text: string): Range {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return end > start ? range(line, start, line, end) : range(line, 0, line, text.length);
}

/** True when two ranges cover the same characters. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

/**
 * Repairs the mojibake real documents carry (UTF-8 emoji read as cp1252 or cp1254 and saved again) for
 * matching only; ranges always refer to the original text. Returns the text unchanged where there is none.
 */
export function demojibake(s: string): string {
  if (!/[ÃÂâðğ]/.test(s)) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const lead = s.charCodeAt(i);
    // Try to read a run of cp1252/cp1254 characters that encode a UTF-8 sequence.
    const n = lead === 0xf0 || lead === 0x11f ? 4 : lead === 0xe2 ? 3 : lead === 0xc2 || lead === 0xc3 ? 2 : 0;
    if (n > 0) {
      const bytes: number[] = [];
      let j = i;
      for (; j < s.length && bytes.length < n; j++) {
        const b = toByte(s[j]!);
        if (b === undefined) break;
        bytes.push(b);
      }
      if (bytes.length >= 2) {
        const decoded = tryDecode(bytes);
        if (decoded) {
          out += decoded;
          i = j;
          continue;
        }
        // A byte may have been lost (âŒ for ❌): decode the prefix we have if it forms a known symbol.
        const guess = LOST_BYTE[s.slice(i, i + bytes.length)];
        if (guess) {
          out += guess;
          i += bytes.length;
          continue;
        }
      }
    }
    out += s[i];
    i++;
  }
  return out;
}

const LOST_BYTE: Record<string, string> = { 'âŒ': '❌', 'âš': '⚠' };

const CP125X: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
  'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
  '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
  // cp1254 (Turkish) differences
  'Ğ': 0xd0, 'İ': 0xdd, 'Ş': 0xde, 'ğ': 0xf0, 'ı': 0xfd, 'ş': 0xfe,
};

function toByte(ch: string): number | undefined {
  const mapped = CP125X[ch];
  if (mapped !== undefined) return mapped;
  const c = ch.charCodeAt(0);
  if (c <= 0xff) return c;
  return undefined;
}

function tryDecode(bytes: number[]): string | undefined {
  const lead = bytes[0]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  if (need === 0 || bytes.length < need) return undefined;
  for (let k = 1; k < need; k++) if ((bytes[k]! & 0xc0) !== 0x80) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes.slice(0, need)));
  } catch {
    return undefined;
  }
}

/**
 * The same string, not tied to the text it was cut from. V8 keeps a long slice as a view into its parent
 * string, so a cell kept from an earlier build (or a memo key) would keep that build's whole document
 * alive: an editor session of 10,000 edits would hold 10,000 versions of a 400 KB register. Concatenating
 * and slicing makes a flat copy of the string alone (short strings are copied by V8 anyway).
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

const NONE = Symbol('none');

/**
 * Memoizes a pure function of one string. Cells repeat (a 4,000-row register has a few hundred distinct
 * dates and statuses) and a relint after a one-line edit asks the same questions again. The cache is
 * bounded: strings longer than `maxKey` are not kept, and the cache starts over when it is full.
 */
export function memoByString<R>(fn: (s: string) => R, maxEntries = 20_000, maxKey = 200): (s: string) => R {
  const cache = new Map<string, R | typeof NONE>();
  return (s: string): R => {
    if (s.length > maxKey) return fn(s);
    const hit = cache.get(s);
    if (hit !== undefined) return (hit === NONE ? undefined : hit) as R;
    const r = fn(s);
    if (cache.size >= maxEntries) cache.clear();
    cache.set(detach(s), r === undefined ? NONE : r);
    return r;
  };
}
