import type { Rule } from '../engine/rule.js';
import { findDates, isoOf } from '../engine/dates.js';
import { range } from '../engine/text.js';
import { perLine } from '../engine/memo.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:day|s|sday|nesday|rsday|urday)?\\.?';
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?';
/** `Thu Apr 28`, `Thursday, April 28, 2026`, `Thu 28 Apr`, `Tue 2026-04-28`, `2026-04-28 (Thu)`. */
const FORMS: RegExp[] = [
  new RegExp(`\\b${DAY},?\\s+${MON}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`, 'gi'),
  new RegExp(`\\b${DAY},?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s+${MON}(?:,?\\s+(\\d{4}))?`, 'gi'),
  new RegExp(`\\b${DAY},?\\s+(\\d{4})-(\\d{2})-(\\d{2})\\b`, 'gi'),
  new RegExp(`\\b(\\d{4})-(\\d{2})-(\\d{2})\\s*\\(${DAY}\\)`, 'gi'),
];

/**
 * RD013: a weekday that does not match its date (`Thu Apr 28` when April 28 of the document's year is a
 * Tuesday). A date without a year takes the document's year only when every full date in the document
 * shares one year; otherwise it is left alone.
 */
export const rd013: Rule = {
  meta: {
    id: 'RD013',
    name: 'weekday-mismatch',
    description: 'A weekday written next to a date is not the weekday of that date.',
    defaultSeverity: 'warning',
    kinds: ['gap-register', 'fmea', 'invariants', 'slo', 'checklist', 'gap-analysis', 'incident', 'postmortem', 'runbook', 'summary'],
  },
  check(ctx) {
    const model = ctx.model;
    const mentions = perLine(model, 'weekdays', model.prose, weekdayMentions);
    if (!mentions.some(isNonEmpty)) return;
    const docYear = soleYear(perLine(model, 'years', model.prose, yearsOf));
    mentions.forEach((found, line) => {
      for (const w of found) {
        const year = w.y ?? docYear;
        if (year === undefined || w.mo < 1) continue;
        const date = new Date(Date.UTC(year, w.mo - 1, w.d));
        if (date.getUTCMonth() !== w.mo - 1) continue; // not a real date
        const actual = date.getUTCDay();
        if (w.stated === actual) continue;
        ctx.report({
          range: range(line, w.index, line, w.index + w.text.length),
          message: `${w.text.trim()}: ${isoOf(year, w.mo, w.d)} is a ${DAY_NAMES[actual]}, not a ${DAY_NAMES[w.stated]}${w.y === undefined ? ` (the year ${year} is the document's)` : ''}.`,
        });
      }
    });
  },
};

interface WeekdayMention {
  index: number;
  text: string;
  /** The stated weekday (0 = Sunday). */
  stated: number;
  y: number | undefined;
  mo: number;
  d: number;
}

/** Weekdays written next to a date on a line, kept per line text. */
function weekdayMentions(text: string): readonly WeekdayMention[] {
  if (!/\b(?:mon|tue|wed|thu|fri|sat|sun)/i.test(text)) return NO_MENTIONS;
  const out: WeekdayMention[] = [];
  const seen = new Set<number>();
  FORMS.forEach((re, form) => {
    for (const m of text.matchAll(re)) {
      if (seen.has(m.index!)) continue;
      seen.add(m.index!);
      let day: string, y: number | undefined, mo: number, d: number;
      if (form === 0) [day, mo, d, y] = [m[1]!, MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1, +m[3]!, m[4] ? +m[4] : undefined];
      else if (form === 1) [day, d, mo, y] = [m[1]!, +m[2]!, MONTHS.indexOf(m[3]!.slice(0, 3).toLowerCase()) + 1, m[4] ? +m[4] : undefined];
      else if (form === 2) [day, y, mo, d] = [m[1]!, +m[2]!, +m[3]!, +m[4]!];
      else [y, mo, d, day] = [+m[1]!, +m[2]!, +m[3]!, m[4]!];
      out.push({ index: m.index!, text: m[0], stated: DAYS.indexOf(day.slice(0, 3).toLowerCase()), y, mo, d });
    }
  });
  return out;
}
const NO_MENTIONS: readonly WeekdayMention[] = [];
// Made once (see isSectionItem in engine/model.ts): called for every line of the document.
const isNonEmpty = (m: readonly unknown[]): boolean => m.length > 0;

/** The years of the full dates on a line, kept per line text. */
function yearsOf(l: string): readonly number[] {
  if (!/\d{4}/.test(l)) return NO_YEARS;
  const ys = [...new Set(findDates(l).map((d) => +d.iso.slice(0, 4)))];
  return ys.length ? ys : NO_YEARS;
}
const NO_YEARS: readonly number[] = [];

/** The one year every full date in the document shares, if they all share one. */
function soleYear(years: readonly (readonly number[])[]): number | undefined {
  let year: number | undefined;
  for (const ys of years) {
    for (const y of ys) {
      if (year === undefined) year = y;
      else if (year !== y) return undefined;
    }
  }
  return year;
}
