/**
 * Checklists and scorecards as RD040–RD043 see them: completion claims and the boxes under them,
 * category-score tables with a stated overall, readiness levels and the criteria a document sets for them.
 */
import type { DocumentModel, Section, Table, TableRow } from '../engine/model.js';
import type { Range } from '../engine/types.js';
import { normalizeHeader } from '../engine/roles.js';
import { range } from '../engine/text.js';
import { plainText } from '../engine/build.js';
import { isWithin } from '../engine/model.js';

// ---------------------------------------------------------------------------------------------------
// Completion claims

export interface DoneClaim {
  /** The claim as written, for messages (`COMPLETE`, `Done`). */
  word: string;
  range: Range;
  line: number;
  /** The section the claim covers. */
  section: Section;
  /** True when the claim is in a heading (the section is the heading's own). */
  heading: boolean;
}

const DONE_WORD = '(?:complete|completed|done|finished|ready|production[\\s-]ready|prod[\\s-]ready|approved|signed[\\s-]off|closed|go)';
const DONE_VALUE = new RegExp(`^\\s*(?:✅\\s*|\\[x\\]\\s*)?(?:100\\s*%\\s*)?(${DONE_WORD})(?:\\s*✅)?\\s*(?:$|[(\\-–—:;,.!]|for\\s+(?:production|prod|launch|release|go-?live|ga)\\b)`, 'i');

/** The completion a status value claims (`COMPLETE`, `✅ Done`, `Ready`), or undefined. */
export function doneWord(text: string): string | undefined {
  const t = plainText(text).replace(/^[\s*_]+|[\s*_]+$/g, '');
  if (/^✅\s*$/.test(t)) return '✅';
  const m = DONE_VALUE.exec(t);
  if (!m) return undefined;
  // `Done: 3 of 5` is a count, not a claim; `Go/No-Go` is a legend.
  if (/^go\s*\//i.test(t) || /^(?:done|complete)\s*:\s*\d/i.test(t)) return undefined;
  return m[1]!;
}

/** Headings whose boxes are criteria, targets, procedures or templates: never a status. */
const NOT_STATUS_HEADING =
  /\b(?:procedures?|how\s+to|templates?|runbooks?|definition\s+of\s+done|criteria|success|goals?|targets?|update\s+protocol|checklist\s+for|before\s+every|per[\s-]pr|audit\s+checklist|when\s+done|ongoing|recurring|routine|periodic|maintenance|weekly|monthly|daily|quarterly|on[\s-]call)\b/i;
/** Headings whose boxes are plans for later. */
const PLAN_HEADING =
  /\b(?:next\s+steps?|follow[\s-]?ups?|future|roadmap|backlog|plans?|planned|planning|todo|to\s+do|later|out\s+of\s+scope|nice\s+to\s+have|open\s+questions|ideas|wishlist|phase\s+\d+|upcoming|remaining|pending|deferred|post[\s-]launch)\b/i;

/** A heading whose boxes are plans, procedures, criteria or templates rather than status. */
export function isPlanHeading(text: string): boolean {
  return PLAN_HEADING.test(text) || NOT_STATUS_HEADING.test(text);
}

/**
 * A completion mark at the end of a heading: after a separator (`Phase 1 — Done`, `Backups (complete)`,
 * `Phase 1: COMPLETE`), in capitals (`Phase 1 COMPLETE`), a check mark, or the heading alone (`## Done`).
 * `Getting ready` and `What's done` are not claims.
 */
const HEADING_WORD = '(?:complete|completed|done|finished|ready)';
const HEADING_DONE = new RegExp(
  `(?:^|\\s[—–:-]\\s*|:\\s*|[(\\[]\\s*|✅\\s*)(${HEADING_WORD})\\s*[)\\]]?\\s*✅?\\s*$|\\s(COMPLETE|COMPLETED|DONE|FINISHED)\\s*✅?\\s*$`,
  'i',
);

export function doneClaims(model: DocumentModel): DoneClaim[] {
  const out: DoneClaim[] = [];
  const sectionOf = (line: number): Section => {
    let s = model.root;
    for (;;) {
      const c = s.children.find((x) => x.heading && x.heading.line <= line && line <= x.endLine);
      if (!c) return s;
      s = c;
    }
  };
  // Front matter `status: complete`.
  const fm = model.frontMatter;
  const data = fm?.data as Record<string, unknown> | undefined;
  if (fm && data && typeof data === 'object' && typeof data.status === 'string') {
    const w = doneWord(data.status);
    const line = fm.keyLines.get('status');
    if (w && line !== undefined) out.push({ word: data.status, range: model.lines.trimmedLineRange(line), line, section: model.root, heading: false });
  }
  // `Status: COMPLETE` field lines.
  for (const f of model.fieldLines) {
    if (f.role !== 'status' || !/^(?:status|state|overall status|document status|doc status|progress|current status)$/.test(f.keyNorm)) continue;
    const w = doneWord(f.value);
    if (!w) continue;
    out.push({ word: plainText(f.value).replace(/^[\s*_]+|[\s*_]+$/g, ''), range: f.valueRange, line: f.line, section: f.section, heading: false });
  }
  // A line that is only `**COMPLETE**` or `✅ Done`.
  const heads = new Set(model.headings.map((h) => h.line));
  for (let l = 0; l < model.prose.length; l++) {
    if (model.masked[l] || heads.has(l)) continue;
    const p = model.prose[l]!;
    const m = /^(\s*)((?:\*\*|__)?\s*(?:✅\s*)?(?:complete|completed|done)\s*✅?\s*(?:\*\*|__)?)\s*$/i.exec(p);
    if (!m) continue;
    if (!/✅|\*\*|__|^[A-Z\s]+$/.test(m[2]!)) continue; // a bare lowercase word is prose, not a status
    const start = m[1]!.length;
    out.push({ word: plainText(m[2]!), range: range(l, start, l, start + m[2]!.trimEnd().length), line: l, section: sectionOf(l), heading: false });
  }
  // Headings that end with a completion mark (`## Phase 1 — COMPLETE`, `### Backups ✅`).
  for (const s of model.sections) {
    const h = s.heading;
    if (!h || NOT_STATUS_HEADING.test(h.text)) continue;
    const m = HEADING_DONE.exec(h.text) ?? /(✅)\s*$/.exec(h.text);
    if (!m) continue;
    // The capitals-only form must really be in capitals.
    if (m[2] && !/[A-Z]{4}/.test(m[2])) continue;
    if (/\bdefinition\s+of\s+done\b|\bwhen\s+done\b/i.test(h.text)) continue;
    out.push({ word: m[1] ?? m[2]!, range: h.textRange, line: h.line, section: s, heading: true });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Task boxes a claim covers: in its section, not in plan/procedure sub-sections, not deferred. */
export function boxesUnder(model: DocumentModel, claim: DoneClaim): { total: number; unchecked: { line: number; range: Range; text: string }[] } {
  let total = 0;
  const unchecked: { line: number; range: Range; text: string }[] = [];
  for (const li of model.listItems) {
    if (li.checked === undefined || !isWithin(li.section, claim.section)) continue;
    // Sub-sections that are plans, procedures or templates do not count against a claim above them.
    let plan = false;
    for (let s: Section | undefined = li.section; s && s !== claim.section; s = s.parent) {
      if (s.heading && isPlanHeading(s.heading.text)) plan = true;
    }
    if (plan) continue;
    if (/\b(?:deferred|out\s+of\s+scope|won'?t\s+do|wontfix|n\/a|not\s+applicable|dropped|cancell?ed|skipped)\b|~~/i.test(model.lines.lines[li.line]!)) continue;
    total++;
    if (!li.checked) unchecked.push({ line: li.line, range: li.boxRange ?? li.textRange, text: li.text });
  }
  return { total, unchecked };
}

// ---------------------------------------------------------------------------------------------------
// Score tables

export interface ScoreRow {
  name: string;
  row: TableRow;
  /** Percentage 0–100. */
  pct: number;
  /** Points and maximum, when the row gives them (`12/20`, or a Max column). */
  points: { value: number; max: number } | undefined;
  weight: number | undefined;
}

export interface StatedOverall {
  pct: number;
  approx: boolean;
  /** Range of the number (digits only), for the fix. */
  numberRange: Range;
  /** The number as written. */
  numberText: string;
  /** True for `12/20`-style and point totals (no fix offered). */
  points: boolean;
  /** The wider range reported (the cell, or the figure in prose). */
  range: Range;
  line: number;
  weighted: boolean;
}

export interface ScoreTable {
  table: Table;
  nameCol: number;
  scoreCol: number;
  maxCol: number | undefined;
  weightCol: number | undefined;
  rows: ScoreRow[];
  /** Category rows whose score is not a number (`N/A`, `TBD`). */
  unscored: number;
  overall: StatedOverall[];
}

const OVERALL_NAME = /^(?:overall|total|average|mean|aggregate|weighted\s+(?:average|total|score)|overall\s+(?:score|readiness|total|average|rating))\b/i;
const PCT = /^[~≈]?\s*(\d+(?:\.\d+)?)\s*%/;
const FRACTION = /^[~≈]?\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)/;
const BARE = /^[~≈]?\s*(\d+(?:\.\d+)?)(?:\s|$|\()/;

function parseScoreCell(text: string, max: number | undefined, pctHeader: boolean): { pct: number; points?: { value: number; max: number } } | undefined {
  const t = text.replace(/[*_`]/g, '').trim();
  let m = PCT.exec(t);
  if (m) return { pct: Number(m[1]) };
  m = FRACTION.exec(t);
  if (m && Number(m[2]) > 0) return { pct: (Number(m[1]) / Number(m[2])) * 100, points: { value: Number(m[1]), max: Number(m[2]) } };
  m = BARE.exec(t);
  if (m) {
    if (max !== undefined && max > 0) return { pct: (Number(m[1]) / max) * 100, points: { value: Number(m[1]), max } };
    if (pctHeader) return { pct: Number(m[1]) };
  }
  return undefined;
}

function cellMax(text: string): number | undefined {
  const m = /^[~≈]?\s*(\d+(?:\.\d+)?)\s*%?/.exec(text.replace(/[*_`]/g, '').trim());
  return m ? Number(m[1]) : undefined;
}

export function scoreTables(model: DocumentModel, weights: Record<string, number>): ScoreTable[] {
  const out: ScoreTable[] = [];
  const weightOf = new Map(Object.entries(weights).map(([k, v]) => [normalizeHeader(k), v]));
  for (const t of model.tables) {
    if (t.rows.length < 2) continue;
    const headers = t.columns.map((c) => normalizeHeader(c.header));
    const maxCol = headers.findIndex((h) => /^(?:max|maximum|out of|max score|max points|possible|total possible|of)$/.test(h));
    const weightCol = headers.findIndex((h) => /^(?:weight|wt\b)/.test(h));
    const nameCol = t.roles.category ?? 0;
    let scoreCol = t.roles.score;
    if (scoreCol === undefined || scoreCol === nameCol) {
      // A column (not the names) where most cells are percentages or fractions.
      scoreCol = undefined;
      for (let i = 0; i < t.columns.length; i++) {
        if (i === nameCol || i === maxCol || i === weightCol) continue;
        const n = t.rows.filter((r) => {
          const c = (r.cells[i]?.text ?? '').trim();
          return PCT.test(c) || FRACTION.test(c) || (maxCol >= 0 && BARE.test(c));
        }).length;
        if (n >= Math.max(2, Math.ceil(t.rows.length * 0.6))) {
          scoreCol = i;
          break;
        }
      }
    }
    if (scoreCol === undefined) continue;
    const pctHeader = /%|percent/.test(t.columns[scoreCol]!.header);
    const rows: ScoreRow[] = [];
    const overall: StatedOverall[] = [];
    let unscored = 0;
    for (const row of t.rows) {
      const name = row.cells[nameCol]?.text.trim() ?? '';
      const scoreCell = row.cells[scoreCol];
      if (!scoreCell) continue;
      const max = maxCol >= 0 ? cellMax(row.cells[maxCol]?.text ?? '') : undefined;
      const parsed = parseScoreCell(scoreCell.text, max, pctHeader);
      if (OVERALL_NAME.test(name)) {
        if (!parsed) continue;
        const numM = /\d+(?:\.\d+)?/.exec(scoreCell.raw);
        if (!numM) continue;
        const at = scoreCell.range.start.character + numM.index;
        overall.push({
          pct: parsed.pct,
          approx: /[~≈]/.test(scoreCell.raw),
          numberRange: range(row.line, at, row.line, at + numM[0].length),
          numberText: numM[0],
          points: !!parsed.points || !/%/.test(scoreCell.raw),
          range: scoreCell.range,
          line: row.line,
          weighted: /weighted/i.test(name),
        });
        continue;
      }
      if (!name) continue;
      if (!parsed) {
        unscored++;
        continue;
      }
      const configured = weightOf.get(normalizeHeader(name));
      const colWeight = weightCol >= 0 ? cellMax(row.cells[weightCol]?.text ?? '') : undefined;
      rows.push({ name, row, pct: parsed.pct, points: parsed.points, weight: configured ?? colWeight });
    }
    if (rows.length < 2) continue;
    // A stated overall in prose near the table, in the same section.
    const sec = t.section;
    const from = sec.heading ? sec.heading.line + 1 : 0;
    const to = sec.children.length ? sec.children[0]!.heading!.line - 1 : sec.endLine;
    for (let l = from; l <= to; l++) {
      if (l >= t.headerLine && l <= t.endLine) continue;
      if (model.masked[l] || model.tables.some((o) => l >= o.headerLine && l <= o.endLine)) continue;
      const p = model.prose[l]!;
      const m = /\b(overall|total|average|aggregate)\b([^:|\n]{0,50}?)(?:\s*[:=]\s*|\s+(?:is|at|of|stands\s+at)\s+)(?:\*\*|__)?\s*([~≈]?)\s*(\d+(?:\.\d+)?)\s*%/di.exec(p);
      if (!m || !m.indices) continue;
      // Prose that sits closer to another score table of the section belongs to that one.
      const closer = model.tables.some((o) => o !== t && o.section === sec && Math.abs(o.endLine - l) < Math.abs(t.endLine - l) && o.rows.length >= 2);
      if (closer) continue;
      const [ns, ne] = m.indices[4]!;
      const figureStart = m[3] ? m.indices[3]![0] : ns;
      overall.push({
        pct: Number(m[4]),
        approx: !!m[3],
        numberRange: range(l, ns, l, ne),
        numberText: m[4]!,
        points: false,
        range: range(l, figureStart, l, m.indices[0]![1]),
        line: l,
        weighted: /weighted/i.test(p),
      });
    }
    out.push({ table: t, nameCol, scoreCol, maxCol: maxCol >= 0 ? maxCol : undefined, weightCol: weightCol >= 0 ? weightCol : undefined, rows, unscored, overall });
  }
  return out;
}

/** The mean of the category percentages, weighted where weights are known. */
export function meanScore(rows: ScoreRow[]): number {
  let sw = 0;
  let s = 0;
  for (const r of rows) {
    const w = r.weight ?? 1;
    sw += w;
    s += w * r.pct;
  }
  return sw > 0 ? s / sw : 0;
}

/** Points scored over points possible, when every row has points. */
export function pooledScore(rows: ScoreRow[]): number | undefined {
  if (!rows.every((r) => r.points)) return undefined;
  const v = rows.reduce((a, r) => a + r.points!.value, 0);
  const m = rows.reduce((a, r) => a + r.points!.max, 0);
  return m > 0 ? (v / m) * 100 : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Levels

/** A level token: `L2`, `L1.5`, `Level 2`, `Tier 1`. */
export interface LevelRef {
  value: number;
  kind: 'L' | 'tier';
  text: string;
  index: number;
}

const LEVEL = /\b(?:L|Level\s*|Tier\s*)(\d(?:\.\d)?)\b/g;

export function levelsIn(text: string): LevelRef[] {
  return [...text.matchAll(LEVEL)].map((m) => ({ value: Number(m[1]), kind: /^tier/i.test(m[0]) ? 'tier' : 'L', text: m[0], index: m.index! }));
}

/** The level a claim states when the value starts with one (`L2`, `**L1.5 overall**`). */
export function leadingLevel(text: string): LevelRef | undefined {
  const t = plainText(text);
  const m = /^\s*[~≈]?\s*((?:L|Level\s*|Tier\s*)(\d(?:\.\d)?))\b/i.exec(t);
  if (!m) return undefined;
  return { value: Number(m[2]), kind: /^tier/i.test(m[1]!) ? 'tier' : 'L', text: m[1]!, index: m.index };
}
