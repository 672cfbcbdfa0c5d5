/**
 * Helpers shared by the invariants, SLO and checklist rules (RD020–RD043): placeholders, WIP marks,
 * run-in labels (`**Enforced.** …`), section spans, and whether the workspace can judge a document's
 * links at all.
 */
import type { DocumentModel, Link, Section } from '../engine/model.js';
import type { Range } from '../engine/types.js';
import { range } from '../engine/text.js';
import { plainText } from '../engine/build.js';

/** First and last line (inclusive) of a section's content, sub-sections included. */
export function sectionSpan(section: Section): [number, number] {
  return [section.heading ? section.heading.line + 1 : 0, section.endLine];
}

/** A value that names nothing: empty, dashes, TBD/TODO, `?`, `none`, `missing`. */
export function isPlaceholder(text: string): boolean {
  const t = plainText(text).toLowerCase().replace(/[.!]+$/, '').trim();
  return /^(?:|-+|—|–|\?+|tbd|tba|tbc|todo|to do|none|nothing|missing|pending|xxx+|\.\.\.|…)$/.test(t);
}

/** `N/A`, `not applicable`: declared as not applying, never missing. */
export function isNotApplicable(text: string): boolean {
  return /^\s*(?:n\/?a|not applicable|not needed)\b/i.test(plainText(text));
}

/** WIP, draft, TODO or proposed marks on a row, a cell or a heading. */
export function isWipText(text: string): boolean {
  const t = plainText(text);
  if (/__\s*(?:wip|todo|draft)\s*__/i.test(text)) return true;
  return /^\s*(?:wip|draft|todo|tbd|proposed|planned|work in progress|in draft)\b/i.test(t) || /[[(]\s*(?:wip|draft|todo|proposed)\s*[\])]/i.test(t);
}

/** A document whose own status says it is a draft. */
export function isDraftDoc(model: DocumentModel): boolean {
  const fm = model.frontMatter?.data as Record<string, unknown> | undefined;
  if (fm && typeof fm === 'object' && typeof fm.status === 'string' && /^(?:draft|wip|proposed)\b/i.test(fm.status)) return true;
  const firstH2 = model.headings.find((h) => h.depth >= 2)?.line ?? Infinity;
  return model.fieldLines.some((f) => f.role === 'status' && f.line < firstH2 && /^(?:draft|wip|work in progress)\b/i.test(f.text));
}

/** A placeholder path (`path/to/file.rs`, `<file>`, `{{x}}`) that names no real file. */
export function isPlaceholderPath(target: string): boolean {
  return /(?:^|\/)path\/to\/|[<>{}]|\bxxx\b|^\.\.\.$|…/i.test(target);
}

/** A run-in label (`**Tests.** …`, `**Enforcement:** …`, `Owner: …`) with the text that follows it. */
export interface Label {
  label: string;
  line: number;
  labelRange: Range;
  /** The value on the label's own line (may be empty). */
  valueRange: Range;
  /** Plain text of the value, continuation lines included. */
  text: string;
  /** Raw text of the value, continuation lines joined with newlines. */
  raw: string;
  /** Lines the value spans: [line, startCharacter, endCharacter][]. */
  segments: [number, number, number][];
  links: Link[];
}

const BOLD_LABEL = /^(\s*(?:[-*+]\s+)?)(\*\*|__)([^*_\n]{1,70}?)\s*([.:])?\s*\2\s*([.:])?/;

/**
 * Run-in labels in lines [from, to]: bold labels ending with `.` or `:` (inside or after the bold), plus
 * the model's `Key: value` field lines. A value continues on following lines until a blank line, a
 * heading, a table, a rule, code or another label.
 */
export function labelsIn(model: DocumentModel, from: number, to: number): Label[] {
  const out: Label[] = [];
  const lines = model.lines.lines;
  const heads = new Set(model.headings.map((h) => h.line));
  const fieldAt = new Map(model.fieldLines.filter((f) => f.line >= from && f.line <= to).map((f) => [f.line, f]));
  const startAt = new Map<number, { label: string; labelRange: Range; valueStart: number }>();
  for (let l = from; l <= to && l < lines.length; l++) {
    if (model.masked[l] || heads.has(l)) continue;
    const f = fieldAt.get(l);
    if (f) {
      startAt.set(l, { label: f.key, labelRange: f.keyRange, valueStart: f.valueRange.start.character });
      continue;
    }
    const m = BOLD_LABEL.exec(lines[l]!);
    if (!m || !(m[4] || m[5])) continue;
    const label = m[3]!.trim();
    if (!label || label.split(/\s+/).length > 6) continue;
    const keyStart = m[1]!.length + m[2]!.length;
    let valueStart = m[0].length;
    while (valueStart < lines[l]!.length && /\s/.test(lines[l]![valueStart]!)) valueStart++;
    startAt.set(l, { label, labelRange: range(l, keyStart, l, keyStart + m[3]!.trimEnd().length), valueStart });
  }
  const tableLines = new Set<number>();
  for (const t of model.tables) for (let l = t.headerLine; l <= t.endLine; l++) tableLines.add(l);
  for (const [l, s] of [...startAt].sort((a, b) => a[0] - b[0])) {
    const first = lines[l]!;
    const segments: [number, number, number][] = [[l, s.valueStart, first.length]];
    const indent = /^\s*/.exec(first)![0].length;
    const isBullet = /^\s*[-*+]\s/.test(first);
    for (let k = l + 1; k <= to && k < lines.length; k++) {
      const t = lines[k]!;
      if (!t.trim() || heads.has(k) || tableLines.has(k) || model.masked[k] || startAt.has(k) || /^\s*(?:---+|\*\*\*+|___+)\s*$/.test(t)) break;
      // A sibling bullet of a bulleted label starts a new entry.
      if (isBullet && /^\s*[-*+]\s/.test(t) && /^\s*/.exec(t)![0].length <= indent) break;
      segments.push([k, 0, t.length]);
    }
    const rawParts = segments.map(([k, c, e]) => lines[k]!.slice(c, e));
    const raw = rawParts.join('\n');
    const endLine = segments[segments.length - 1]![0];
    const links = model.links.filter(
      (x) => x.range.start.line >= l && x.range.start.line <= endLine && (x.range.start.line > l || x.range.start.character >= s.valueStart),
    );
    out.push({
      label: s.label,
      line: l,
      labelRange: s.labelRange,
      valueRange: range(l, s.valueStart, l, Math.max(s.valueStart, first.trimEnd().length)),
      text: plainText(rawParts.map((p) => p.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')).join(' ')),
      raw,
      segments,
      links,
    });
  }
  return out;
}

/** A number formatted for messages: at most 2 decimals, no trailing zeros. */
export function fmt(n: number): string {
  const r = Math.round(n * 100) / 100;
  return String(r);
}
