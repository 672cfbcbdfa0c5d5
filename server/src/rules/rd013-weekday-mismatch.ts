import type { Rule } from '../engine/rule.js';
import { findDates, isoOf } from '../engine/dates.js';
import { range } from '../engine/text.js';

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
    const prose = ctx.model.prose;
    if (!prose.some((l) => /\b(?:mon|tue|wed|thu|fri|sat|sun)/i.test(l))) return;
    const docYear = soleYear(prose);
    prose.forEach((text, line) => {
      if (!/\b(?:mon|tue|wed|thu|fri|sat|sun)/i.test(text)) return;
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
          const year = y ?? docYear;
          if (year === undefined || mo < 1) continue;
          const date = new Date(Date.UTC(year, mo - 1, d));
          if (date.getUTCMonth() !== mo - 1) continue; // not a real date
          const actual = date.getUTCDay();
          const stated = DAYS.indexOf(day.slice(0, 3).toLowerCase());
          if (stated === actual) continue;
          ctx.report({
            range: range(line, m.index!, line, m.index! + m[0].length),
            message: `${m[0].trim()}: ${isoOf(year, mo, d)} is a ${DAY_NAMES[actual]}, not a ${DAY_NAMES[stated]}${y === undefined ? ` (the year ${year} is the document's)` : ''}.`,
          });
        }
      });
    });
  },
};

/** The one year every full date in the document shares, if they all share one. */
function soleYear(prose: readonly string[]): number | undefined {
  let year: number | undefined;
  for (const l of prose) {
    if (!/\d{4}/.test(l)) continue;
    for (const d of findDates(l)) {
      const y = +d.iso.slice(0, 4);
      if (year === undefined) year = y;
      else if (year !== y) return undefined;
    }
  }
  return year;
}
