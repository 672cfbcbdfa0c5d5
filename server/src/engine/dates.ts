/**
 * Dates as people write them. Day dates in words (`31 Jan 2026`, `Jan 31, 2026`, `April 28, 2026`) are
 * read by chrono-node in strict mode, which only accepts formal dates; ISO dates (the common case) take a
 * fast path; month, quarter and ISO-week dates (`April 2026`, `Q3 2026`, `2026-W14`), which chrono does not
 * read, count from their last day. Yearless dates (`May 5`) are not dates we can judge and are skipped.
 */
import * as chrono from 'chrono-node';
import { memoByString } from './text.js';

export interface DateMention {
  /** ISO day (YYYY-MM-DD); for a month, quarter or week, its last day. */
  iso: string;
  /** Character offsets in the scanned string. */
  start: number;
  end: number;
  precision: 'day' | 'month' | 'quarter' | 'week';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_WORD = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

const ISO = /(?<![\d.])(\d{4})([-/.])(\d{2})\2(\d{2})(?![\d])(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g;
const MONTH_YEAR = new RegExp(`\\b${MONTH_WORD}\\.?,?\\s+(\\d{4})\\b`, 'gi');
const QUARTER = /\b(?:Q([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*[-/ ]?\s*Q([1-4]))\b/g;
const ISO_WEEK = /\b(\d{4})-?W(\d{2})\b/g;
/** `2025-05` (ISO year and month), not part of a longer date, range or version. */
const ISO_MONTH = /(?<![\d./-])(\d{4})-(0[1-9]|1[0-2])(?![\d./-])/g;
const HAS_MONTH_WORD = new RegExp(`\\b${MONTH_WORD}\\b`, 'i');

const pad = (n: number) => String(n).padStart(2, '0');

export function isoOf(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function isoWeekEnd(year: number, week: number): string | undefined {
  if (week < 1 || week > 53) return undefined;
  // ISO week 1 contains January 4th; weeks start on Monday.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - (((jan4.getUTCDay() + 6) % 7) * 86400000));
  const sunday = new Date(monday.getTime() + ((week - 1) * 7 + 6) * 86400000);
  return isoOf(sunday.getUTCFullYear(), sunday.getUTCMonth() + 1, sunday.getUTCDate());
}

const REF = new Date(Date.UTC(2000, 0, 1));

const findDatesKept = memoByString(scanDates);

/** Every date in a string, in order, without overlaps. The caller owns the array and its objects. */
export function findDates(text: string): DateMention[] {
  const kept = findDatesKept(text);
  return kept.length ? kept.map((d) => ({ ...d })) : [];
}

function scanDates(text: string): DateMention[] {
  const out: DateMention[] = [];
  const taken = (s: number, e: number) => out.some((d) => s < d.end && d.start < e);
  if (/\d{4}/.test(text)) {
    for (const m of text.matchAll(ISO)) {
      const y = +m[1]!, mo = +m[3]!, d = +m[4]!;
      if (validDay(y, mo, d)) out.push({ iso: isoOf(y, mo, d), start: m.index!, end: m.index! + m[0].length, precision: 'day' });
    }
    for (const m of text.matchAll(ISO_WEEK)) {
      const end = isoWeekEnd(+m[1]!, +m[2]!);
      if (end && !taken(m.index!, m.index! + m[0].length)) out.push({ iso: end, start: m.index!, end: m.index! + m[0].length, precision: 'week' });
    }
    for (const m of text.matchAll(ISO_MONTH)) {
      const y = +m[1]!, mo = +m[2]!;
      if (y >= 1990 && y <= 2100 && !taken(m.index!, m.index! + m[0].length)) {
        out.push({ iso: isoOf(y, mo, daysInMonth(y, mo)), start: m.index!, end: m.index! + m[0].length, precision: 'month' });
      }
    }
    for (const m of text.matchAll(QUARTER)) {
      const q = +(m[1] ?? m[4])!;
      const y = +(m[2] ?? m[3])!;
      if (!taken(m.index!, m.index! + m[0].length)) out.push({ iso: isoOf(y, q * 3, daysInMonth(y, q * 3)), start: m.index!, end: m.index! + m[0].length, precision: 'quarter' });
    }
    if (HAS_MONTH_WORD.test(text)) {
      for (const r of chrono.strict.parse(text, REF)) {
        const s = r.start;
        if (!s.isCertain('year') || !s.isCertain('month') || !s.isCertain('day')) continue;
        const y = s.get('year')!, mo = s.get('month')!, d = s.get('day')!;
        const start = r.index, end = r.index + r.text.length;
        if (!validDay(y, mo, d) || taken(start, end)) continue;
        out.push({ iso: isoOf(y, mo, d), start, end, precision: 'day' });
      }
      for (const m of text.matchAll(MONTH_YEAR)) {
        const start = m.index!, end = m.index! + m[0].length;
        if (taken(start, end)) continue;
        const mo = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
        const y = +m[2]!;
        out.push({ iso: isoOf(y, mo, daysInMonth(y, mo)), start, end, precision: 'month' });
      }
    }
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

/** The first date in a string. */
export function firstDate(text: string): DateMention | undefined {
  return findDates(text)[0];
}

const dayNumber = memoByString((iso: string) => Date.parse(iso + 'T00:00:00Z'));

/** Whole days from a to b (b − a), both ISO days. */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayNumber(b) - dayNumber(a)) / 86400000);
}

export function addDays(iso: string, days: number): string {
  const t = new Date(Date.parse(iso + 'T00:00:00Z') + days * 86400000);
  return isoOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
