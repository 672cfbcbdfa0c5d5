/** Where a document says when it was last reviewed or updated (metadata lines, front matter). */
import { isSectionItem, type DocumentModel } from '../engine/model.js';
import type { Range } from '../engine/types.js';
import { findDates, type DateMention } from '../engine/dates.js';
import { range } from '../engine/text.js';

export interface DatedMention {
  date: DateMention;
  range: Range;
  label: string;
}

const FM_KEYS = /^(?:(?:last[_-]?)?(?:updated|reviewed|review(?:ed)?[_-]?(?:on|at|date)?|modified)(?:[_-]?(?:at|on|date))?|date[_-]?(?:updated|modified|reviewed)|revision\.updated|review\.last|last[_-]?review)$/i;
const NEXT_REVIEW = /^next (?:review|revision)(?: date| due)?$/;

/** Review/update dates stated for the whole document: `Last updated: …` lines outside items, and front matter. */
export function documentReviewDates(model: DocumentModel): DatedMention[] {
  const itemSections = new Set(model.items.filter(isSectionItem).map((i) => i.section));
  const out: DatedMention[] = [];
  for (const f of model.fieldLines) {
    if (f.role !== 'reviewed' || itemSections.has(f.section)) continue;
    const d = findDates(f.value)[0];
    if (!d) continue;
    const c = f.valueRange.start.character;
    out.push({ date: d, range: range(f.line, c + d.start, f.line, c + d.end), label: f.key });
  }
  const fm = model.frontMatter;
  if (fm) {
    for (const [key, line] of fm.keyLines) {
      if (!FM_KEYS.test(key)) continue;
      const text = model.lines.lines[line] ?? '';
      const colon = text.indexOf(':');
      const d = findDates(text.slice(colon + 1))[0];
      if (!d) continue;
      out.push({ date: d, range: range(line, colon + 1 + d.start, line, colon + 1 + d.end), label: key });
    }
  }
  return out;
}

/** `Next review: <date>` lines. */
export function nextReviewDates(model: DocumentModel): DatedMention[] {
  const out: DatedMention[] = [];
  for (const f of model.fieldLines) {
    if (!NEXT_REVIEW.test(f.keyNorm)) continue;
    const d = findDates(f.value)[0];
    if (!d) continue;
    const c = f.valueRange.start.character;
    out.push({ date: d, range: range(f.line, c + d.start, f.line, c + d.end), label: f.key });
  }
  return out;
}

/** The latest review/update date the document states for itself. */
export function latestReviewDate(model: DocumentModel): DatedMention | undefined {
  let best: DatedMention | undefined;
  for (const d of documentReviewDates(model)) if (!best || d.date.iso > best.date.iso) best = d;
  return best;
}

const CADENCE_KEY = /^(?:(?:update|review|refresh|revision)\s+)?(?:cadence|frequency|schedule|interval)$|^review(?:ed)? (?:every|cadence)$|^updated$/;
const CADENCE: [RegExp, number][] = [
  [/\bdaily\b|\bevery day\b/i, 1],
  [/\bbi-?weekly\b|\bfortnightly\b|\bevery (?:two|2) weeks\b/i, 14],
  [/\bweekly\b|\bevery week\b/i, 7],
  [/\bmonthly\b|\bevery month\b/i, 31],
  [/\bquarterly\b|\bevery quarter\b|\bevery (?:three|3) months\b/i, 92],
  [/\bsemi-?annual(?:ly)?\b|\bevery (?:six|6) months\b/i, 183],
  [/\bannual(?:ly)?\b|\byearly\b|\bevery year\b/i, 366],
];

/** The review cadence a document states (`Update cadence: Weekly`, `Review frequency: monthly`), in days. */
export function statedCadence(model: DocumentModel): { days: number; text: string } | undefined {
  for (const f of model.fieldLines) {
    if (!CADENCE_KEY.test(f.keyNorm)) continue;
    const every = /\bevery\s+(\d+)\s+(day|week|month)s?\b/i.exec(f.text);
    if (every) return { days: +every[1]! * (every[2]!.toLowerCase() === 'day' ? 1 : every[2]!.toLowerCase() === 'week' ? 7 : 31), text: f.text };
    for (const [re, days] of CADENCE) if (re.test(f.text)) return { days, text: f.text };
  }
  return undefined;
}
