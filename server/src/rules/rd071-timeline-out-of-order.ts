import type { Section } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { range } from '../engine/text.js';
import type { Range } from '../engine/types.js';
import { INCIDENT_KINDS, inTemplateSection, sectionsWhere } from './rd07-ops-util.js';
import { isTemplateDoc } from './util.js';
import { isWithin } from '../engine/model.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\.\\d+)?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?(?:\\s*(z|utc|gmt|[a-z]{2,4}t|[+-]\\d{2}:?\\d{2}))?';
const LEAD = '^[\\s*_~`\\[(]*';
const ISO_RE = new RegExp(`${LEAD}(\\d{4})-(\\d{2})-(\\d{2})(?:(?:t|\\s+|\\s*,\\s*)${TIME})?(?![\\d])`, 'i');
const MONTH_DAY_RE = new RegExp(`${LEAD}(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?(?:(?:,?\\s+(?:at\\s+)?)${TIME})?(?![\\d:])`, 'i');
const DAY_MONTH_RE = new RegExp(`${LEAD}(\\d{1,2})\\s+${MONTH}\\.?(?:\\s+(\\d{4}))?(?:(?:,?\\s+(?:at\\s+)?)${TIME})?(?![\\d:])`, 'i');
const TIME_RE = new RegExp(`${LEAD}${TIME}(?![\\d:])`, 'i');

export interface Stamp {
  /** Days since 1970-01-01 when the entry names a day; for yearless dates, the year is borrowed. */
  day: number | undefined;
  /** Seconds since midnight when the entry names a time. */
  seconds: number | undefined;
  /** Time-zone label as written (upper case), if any. */
  zone: string | undefined;
  /** Offsets of the timestamp in the text. */
  start: number;
  end: number;
  yearless: boolean;
}

function dayNumber(y: number, m: number, d: number): number | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d) return undefined;
  return Math.round(t / 86400000);
}

function timeOf(h?: string, mi?: string, s?: string, ampm?: string): number | undefined {
  if (h === undefined || mi === undefined) return undefined;
  let hh = Number(h);
  const mm = Number(mi);
  const ss = s ? Number(s) : 0;
  if (mm > 59 || ss > 59) return undefined;
  if (ampm) {
    if (hh < 1 || hh > 12) return undefined;
    const pm = /^p/i.test(ampm);
    hh = (hh % 12) + (pm ? 12 : 0);
  } else if (hh > 24) return undefined;
  return hh * 3600 + mm * 60 + ss;
}

/**
 * The timestamp an entry starts with: `2026-05-03 22:30`, `2026-05-03T22:30Z`, `May 4, 14:05`, `4 May 2026`,
 * `22:30 UTC`, `14:00:32`, `2:00 PM`. `year` fills in yearless dates. Undefined when the entry does not
 * start with one.
 */
export function parseStamp(text: string, year: number | undefined): Stamp | undefined {
  let m = ISO_RE.exec(text);
  if (m) {
    const day = dayNumber(+m[1]!, +m[2]!, +m[3]!);
    if (day === undefined) return undefined;
    const seconds = timeOf(m[4], m[5], m[6], m[7]);
    return { day, seconds, zone: m[8]?.toUpperCase(), start: lead(m[0]), end: m[0].length, yearless: false };
  }
  m = MONTH_DAY_RE.exec(text);
  if (m) {
    const mo = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
    const y = m[3] ? +m[3] : year;
    const day = y === undefined ? undefined : dayNumber(y, mo, +m[2]!);
    return { day, seconds: timeOf(m[4], m[5], m[6], m[7]), zone: m[8]?.toUpperCase(), start: lead(m[0]), end: m[0].length, yearless: !m[3] };
  }
  m = DAY_MONTH_RE.exec(text);
  if (m) {
    const mo = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    const y = m[3] ? +m[3] : year;
    const day = y === undefined ? undefined : dayNumber(y, mo, +m[1]!);
    return { day, seconds: timeOf(m[4], m[5], m[6], m[7]), zone: m[8]?.toUpperCase(), start: lead(m[0]), end: m[0].length, yearless: !m[3] };
  }
  m = TIME_RE.exec(text);
  if (m) {
    const seconds = timeOf(m[1], m[2], m[3], m[4]);
    if (seconds === undefined) return undefined;
    return { day: undefined, seconds, zone: m[5]?.toUpperCase(), start: lead(m[0]), end: m[0].length, yearless: false };
  }
  return undefined;
}

function lead(s: string): number {
  return s.match(/^[\s*_~`[(]*/)?.[0].length ?? 0;
}

function fmtDay(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

function fmtTime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}${s ? ':' + String(s).padStart(2, '0') : ''}`;
}

interface Entry {
  line: number;
  /** Text to parse and where it starts on the line. */
  text: string;
  offset: number;
  container: object;
}

interface Placed {
  entry: Entry;
  stamp: Stamp;
  /** The day used for comparison (explicit, or carried over from an earlier entry, or a running count). */
  day: number;
  explicitDay: boolean;
}

function describe(p: Placed): string {
  const t = p.stamp.seconds !== undefined ? fmtTime(p.stamp.seconds) : undefined;
  if (p.explicitDay || (p.stamp.day !== undefined && p.day > 1000)) {
    const d = fmtDay(p.day);
    return t ? `${d} ${t}` : d;
  }
  return t ?? '?';
}

/**
 * RD071: timeline entries (list items or table rows under a Timeline heading) that go back in time.
 * Entries with only a time take the date of the entry before (or of the first date above); a drop of more
 * than 12 hours between two time-only entries is read as crossing midnight; entries without a timestamp are
 * skipped. The first entry that goes backwards is reported, with both times.
 */
export const rd071: Rule = {
  meta: {
    id: 'RD071',
    name: 'timeline-out-of-order',
    description: 'A timeline entry is earlier than the entry before it.',
    defaultSeverity: 'warning',
    kinds: INCIDENT_KINDS,
  },
  check(ctx) {
    const model = ctx.model;
    if (isTemplateDoc(model)) return;
    const timelines = sectionsWhere(model, (n, s) => /\b(?:timeline|chronology|sequence of events)\b/.test(n) && !inTemplateSection(s));
    if (!timelines.length) return;
    // A year for yearless dates: the first full date in the document (title, metadata, timeline).
    const docYear = (() => {
      for (const l of model.prose) {
        const m = /\b(20\d{2}|19\d{2})-\d{2}-\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(20\d{2})\b/i.exec(l);
        if (m) return Number(m[1] ?? m[2]);
      }
      return undefined;
    })();
    for (const tl of timelines) {
      const entries: Entry[] = [];
      const depth = minDepth(tl);
      for (const li of model.listItems) {
        if (!isWithin(li.section, tl) || li.depth !== depth) continue;
        const raw = model.lines.lines[li.line]!;
        entries.push({ line: li.line, text: raw.slice(li.textRange.start.character), offset: li.textRange.start.character, container: li.section });
      }
      for (const t of model.tables) {
        if (!isWithin(t.section, tl)) continue;
        const col = t.roles.time ?? 0;
        for (const r of t.rows) {
          const c = r.cells[col];
          if (!c || !c.text) continue;
          entries.push({ line: r.line, text: c.raw, offset: c.range.start.character, container: t });
        }
      }
      entries.sort((a, b) => a.line - b.line);
      checkSequence(entries);
    }

    function minDepth(tl: Section): number {
      const ds = model.listItems.filter((li) => isWithin(li.section, tl)).map((li) => li.depth);
      return ds.length ? Math.min(...ds) : 0;
    }

    function checkSequence(entries: Entry[]) {
      let prev: Placed | undefined;
      let container: object | undefined;
      let year = docYear;
      let lastDay: number | undefined;
      let rolling = 0; // day counter for time-only timelines
      for (const e of entries) {
        if (e.container !== container) {
          // A new list or table (another subsection, `Day 2`) starts its own sequence.
          container = e.container;
          prev = undefined;
        }
        const st = parseStamp(e.text, year);
        if (!st) continue;
        if (st.day !== undefined && !st.yearless) year = new Date(st.day * 86400000).getUTCFullYear();
        let day: number;
        let explicitDay = false;
        if (st.day !== undefined) {
          day = st.day;
          explicitDay = true;
          lastDay = day;
        } else if (lastDay !== undefined) day = lastDay;
        else day = rolling;
        // `Dec 30` then `Jan 2` without years: the timeline crossed into the next year.
        if (st.yearless && st.day !== undefined && prev && prev.day - st.day > 180) {
          const next = parseStamp(e.text, new Date(prev.day * 86400000).getUTCFullYear() + 1);
          if (next?.day !== undefined) {
            day = next.day;
            lastDay = day;
            year = new Date(day * 86400000).getUTCFullYear();
          }
        }
        const cur: Placed = { entry: e, stamp: st, day, explicitDay };
        if (prev) {
          const zonesDiffer = prev.stamp.zone && st.zone && prev.stamp.zone !== st.zone;
          if (!zonesDiffer) {
            let backwards = false;
            if (cur.day < prev.day) backwards = true;
            else if (cur.day === prev.day && st.seconds !== undefined && prev.stamp.seconds !== undefined && st.seconds < prev.stamp.seconds) {
              if (!explicitDay && prev.stamp.seconds - st.seconds > 12 * 3600) {
                // 23:50 then 00:10 with no date: the timeline crossed midnight.
                cur.day = day + 1;
                if (lastDay !== undefined) lastDay = cur.day;
                else rolling = cur.day;
              } else backwards = true;
            }
            if (backwards) {
              const r: Range = range(e.line, e.offset + st.start, e.line, e.offset + st.end);
              ctx.report({
                range: trimRange(model.lines.lines[e.line]!, r),
                message: `Timeline entry ${describe(cur)} comes after ${describe(prev)} (line ${prev.entry.line + 1}); entries should be in chronological order.`,
                related: [{ range: model.lines.trimmedLineRange(prev.entry.line), message: `The entry before it: ${describe(prev)}.` }],
              });
              return;
            }
          }
        }
        prev = cur;
      }
    }
  },
};

/** Shrinks a range to the non-space text it covers. */
function trimRange(line: string, r: Range): Range {
  let s = r.start.character;
  let e = Math.min(r.end.character, line.length);
  while (s < e && /\s/.test(line[s]!)) s++;
  while (e > s && /\s/.test(line[e - 1]!)) e--;
  return range(r.start.line, s, r.end.line, e);
}
