/**
 * SLOs as RD030–RD032 see them, and the parsing of targets, windows and error budgets.
 *
 * An SLO is a row of a table with an SLI or target column, or a section with an objective/target or
 * SLI field (`- **Objective**: 99.5% …`). Each knows which fields the document's own format has a place
 * for: the table's columns, or for sections the fields other SLO sections carry.
 */
import type { DocumentModel, Section, Table, TableRow } from '../engine/model.js';
import type { Range, Role } from '../engine/types.js';
import { plainText } from '../engine/build.js';
import { roleOf } from '../engine/roles.js';
import { range } from '../engine/text.js';
import { isDraftDoc, isNotApplicable, isPlaceholder, isWipText, labelsIn, sectionSpan } from './kd-util.js';

export type SloRole = 'sli' | 'target' | 'window' | 'owner' | 'alert' | 'budget';
export const SLO_ROLES: readonly SloRole[] = ['sli', 'target', 'window', 'owner', 'alert', 'budget'];
/** The fields RD030 asks for (a budget is optional). */
export const REQUIRED_ROLES: readonly SloRole[] = ['sli', 'target', 'window', 'owner', 'alert'];

export interface SloField {
  label: string;
  text: string;
  raw: string;
  range: Range;
  /** Empty or a placeholder (`TBD`, `?`, `-`). */
  blank: boolean;
}

export interface Slo {
  name: string;
  nameRange: Range;
  line: number;
  source: 'table' | 'section';
  table: Table | undefined;
  row: TableRow | undefined;
  section: Section | undefined;
  /** Marked WIP, draft, TODO or proposed (or the document is a draft). */
  wip: boolean;
  fields: Partial<Record<SloRole, SloField>>;
  /** Fields the document's format has a place for. */
  expected: Set<SloRole>;
}

const cache = new WeakMap<DocumentModel, Slo[]>();

function sloRoleOf(label: string): SloRole | undefined {
  const r = roleOf(label);
  return r && (SLO_ROLES as readonly Role[]).includes(r) ? (r as SloRole) : undefined;
}

export function slosOf(model: DocumentModel): Slo[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: Slo[] = [];
  const draftDoc = isDraftDoc(model);

  for (const t of model.tables) {
    if (t.roles.sli === undefined && t.roles.target === undefined) continue;
    // A table without an SLI column is an SLO table only when its targets read as thresholds
    // (a `Goal` column of plans is not).
    if (t.roles.sli === undefined) {
      const cells = t.rows.map((r) => r.cells[t.roles.target!]?.raw ?? '').filter((x) => x.trim() && !isPlaceholder(x));
      if (!cells.length || cells.filter((x) => parseTarget(x).ok).length * 2 < cells.length) continue;
    }
    const cols = new Map<SloRole, number>();
    t.columns.forEach((c, i) => {
      const r = c.role && (SLO_ROLES as readonly Role[]).includes(c.role) ? (c.role as SloRole) : undefined;
      if (r && !cols.has(r)) cols.set(r, i);
    });
    const expected = new Set<SloRole>([...cols.keys()].filter((r) => r !== 'budget'));
    let prevName: string | undefined;
    for (const row of t.rows) {
      if (row.cells.every((c) => !c.text.trim())) continue;
      // A group row (`| **API** | | | |`) names what follows; it is not an SLO.
      if (row.cells.filter((c) => c.text.trim()).length === 1 && row.cells.length > 2) continue;
      const fields: Partial<Record<SloRole, SloField>> = {};
      for (const [r, i] of cols) {
        const c = row.cells[i];
        const at = c ? c.range : range(row.line, row.range.end.character, row.line, row.range.end.character);
        fields[r] = { label: t.columns[i]!.header, text: c?.text ?? '', raw: c?.raw ?? '', range: at, blank: isPlaceholder(c?.raw ?? '') };
      }
      const nameCell = cols.has('sli') ? row.cells[cols.get('sli')!] : row.cells[0];
      let name = nameCell?.text.trim() ?? '';
      // An empty SLI cell under a named row continues it ("same as above").
      if (!name && prevName && fields.sli) {
        fields.sli = { ...fields.sli, blank: false, text: prevName };
        name = prevName;
      }
      if (name) prevName = name;
      // A leading column that names the service (`| svc-2 | availability | …`) is part of the SLO's name.
      const sliCol = cols.get('sli');
      const lead = sliCol !== undefined && sliCol > 0 && (!t.columns[0]!.role || t.columns[0]!.role === 'id') ? row.cells[0] : undefined;
      const leadText = lead?.text.trim() ?? '';
      const statusCol = t.roles.status;
      const wip =
        draftDoc ||
        (statusCol !== undefined && isWipText(row.cells[statusCol]?.raw ?? '')) ||
        row.cells.some((c) => /__\s*(?:wip|todo|draft)\s*__|[[(]\s*(?:wip|draft|todo)\s*[\])]|^\s*(?:wip|draft|todo|proposed)\s*$/i.test(c.raw)) ||
        isWipText(t.section.heading?.text ?? '');
      out.push({
        name: leadText && name ? `${leadText} ${name}` : name || leadText || `row ${row.line + 1}`,
        nameRange: lead && leadText ? lead.range : nameCell && nameCell.text ? nameCell.range : row.range,
        line: row.line,
        source: 'table',
        table: t,
        row,
        section: t.section,
        wip,
        fields,
        expected,
      });
    }
  }

  // Sections: their own `Key: value` fields and run-in labels (not those of sub-sections).
  const sectionSlos: Slo[] = [];
  for (const s of model.sections) {
    const h = s.heading;
    if (!h) continue;
    const [from, to0] = sectionSpan(s);
    const to = s.children.length ? s.children[0]!.heading!.line - 1 : to0;
    const labels = labelsIn(model, from, to).filter((l) => !tableLine(model, l.line));
    const fields: Partial<Record<SloRole, SloField>> = {};
    for (const l of labels) {
      const r = sloRoleOf(l.label);
      if (!r || fields[r]) continue;
      fields[r] = { label: l.label, text: l.text, raw: l.raw, range: l.text ? l.valueRange : l.labelRange, blank: isPlaceholder(l.text) };
    }
    if (!fields.target && !fields.sli) continue;
    // A section is an SLO when its target reads as a threshold, or it carries two SLO fields
    // (an overview's `Objective: provide a reliable service` is not one).
    const explicit = SLO_ROLES.filter((r) => fields[r] && !fields[r]!.blank).length;
    if (!(fields.target && parseTarget(fields.target.raw).ok) && explicit < 2) continue;
    // The heading names the SLI when no field does.
    if (!fields.sli || fields.sli.blank) {
      if (!fields.sli || !fields.sli.text) fields.sli = { label: 'heading', text: h.text, raw: h.text, range: h.textRange, blank: false };
    }
    const wip = draftDoc || isWipText(h.text) || labels.some((l) => roleOf(l.label) === 'status' && isWipText(l.raw));
    sectionSlos.push({
      name: h.text,
      nameRange: h.textRange,
      line: h.line,
      source: 'section',
      table: undefined,
      row: undefined,
      section: s,
      wip,
      fields,
      expected: new Set(),
    });
  }
  for (const slo of sectionSlos) {
    for (const r of REQUIRED_ROLES) {
      if (sectionSlos.some((o) => o !== slo && o.fields[r] && !o.fields[r]!.blank)) slo.expected.add(r);
    }
  }
  out.push(...sectionSlos);
  out.sort((a, b) => a.line - b.line);
  // An owner stated once for the whole document ("Owner: @sre", "owner defaults to Desk Ops").
  if (documentOwner(model)) {
    for (const slo of out) slo.expected.delete('owner');
  }
  cache.set(model, out);
  return out;
}

function tableLine(model: DocumentModel, line: number): boolean {
  return model.tables.some((t) => line >= t.headerLine && line <= t.endLine);
}

function documentOwner(model: DocumentModel): boolean {
  const firstH2 = model.headings.find((h) => h.depth >= 2)?.line ?? Infinity;
  if (model.fieldLines.some((f) => f.role === 'owner' && f.line < firstH2 && f.text.trim() && !isPlaceholder(f.text))) return true;
  const fm = model.frontMatter?.data as Record<string, unknown> | undefined;
  if (fm && typeof fm === 'object' && (typeof fm.owner === 'string' || Array.isArray(fm.owners))) return true;
  return model.prose.some((p) => /\bowners?\b[^.|]{0,40}\bdefaults?\s+to\b/i.test(p));
}

/** True when a field value is missing: absent, empty or a placeholder. `N/A` is a declared value. */
export function isMissing(f: SloField | undefined): boolean {
  if (!f) return true;
  if (isNotApplicable(f.text)) return false;
  return f.blank;
}

// ---------------------------------------------------------------------------------------------------
// Targets

export interface ParsedTarget {
  ok: boolean;
  /** Percentages in the text, with their offsets in the plain text. */
  percents: number[];
  /** `upper` for `≤ 0.1%` (an error-rate ceiling), `lower` for `≥ 99.5%` or a bare `99.9%`. */
  bound: 'upper' | 'lower';
  /** Only a placeholder threshold (`<= X`, `X.Y.Z`). */
  placeholder: boolean;
}

const UNIT =
  '(?:ms|msec|µs|us|ns|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|rps|qps|tps|req\\/s|reqs?\\/s|requests?\\/s(?:ec)?|requests per second|ops\\/s|[kmg]?bps|[kmgt]i?b|%|x|nines)';
const COMPARATOR = '(?:<=|>=|=<|=>|≤|≥|<|>|⩽|⩾|at\\s+(?:most|least)|under|below|above|over|within|less\\s+than|more\\s+than|greater\\s+than|no\\s+more\\s+than|no\\s+less\\s+than|up\\s+to|exceed(?:s|ing)?|slower\\s+than|longer\\s+than|faster\\s+than)';
const CMP_NUM = new RegExp(`${COMPARATOR}\\s*[~≈]?\\s*\\d`, 'i');
const NUM_UNIT = new RegExp(`\\d(?:\\.\\d+)?\\s*${UNIT}(?![\\w])`, 'i');
const CMP_PLACEHOLDER = new RegExp(`${COMPARATOR}\\s*(?:X|Y|N|TBD|\\?+)(?![\\w])`);

/** Parses a target the way a reader would; `ok` is false when it states no threshold at all. */
export function parseTarget(raw: string): ParsedTarget {
  const t = plainText(raw);
  const percents = [...t.matchAll(/(-?\d+(?:\.\d+)?)\s*%/g)].map((m) => Number(m[1]));
  const bareNumber = /^\s*[~≈]?\s*\d+(?:\.\d+)?\s*$/.test(t);
  const nines = /\b(?:two|three|four|five|[2-5])\s+nines\b/i.test(t);
  // `Zero data loss`, `No lost writes`: a threshold of zero.
  const zero = /\bzero\b/i.test(t) || /^\s*no\s+[\w-]+(?:\s+[\w-]+)?\s*\.?$/i.test(t);
  const ok = percents.length > 0 || CMP_NUM.test(t) || NUM_UNIT.test(t) || bareNumber || nines || zero;
  const firstPct = /(?:(<=|=<|≤|⩽|<|at\s+most|under|below|less\s+than|no\s+more\s+than|up\s+to)\s*)?[~≈]?\s*-?\d+(?:\.\d+)?\s*%/i.exec(t);
  const bound = firstPct && firstPct[1] ? 'upper' : 'lower';
  const placeholder = !ok && (CMP_PLACEHOLDER.test(t) || /\bX(?:\.Y){1,2}(?:\.Z)?\b/.test(t) || /^\s*(?:X|N|\?+)\s*%?\s*$/.test(t));
  return { ok, percents, bound, placeholder };
}

/** The percentile an SLI or target names (`95th percentile`, `p99`), if any. */
export function percentileOf(text: string): number | undefined {
  const t = plainText(text);
  const m = /\b(\d{2}(?:\.\d+)?)(?:st|nd|rd|th)?\s+percentile\b/i.exec(t) ?? /\bp(\d{2}(?:\.\d+)?)\b/i.exec(t);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v > 0 && v < 100 ? v : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Windows and budgets

const MIN = 1;
const HOUR = 60;
const DAY = 24 * HOUR;
const MONTHS = [28, 30, 30.4375, 31].map((d) => d * DAY);
const QUARTERS = [90, 91, 91.3125, 92].map((d) => d * DAY);
const YEARS = [365, 365.25].map((d) => d * DAY);

export function unitMinutes(u: string): number[] | undefined {
  const x = u.toLowerCase();
  if (/^(?:ms|msec|milliseconds?)$/.test(x)) return [1 / 60000];
  if (/^(?:s|secs?|seconds?)$/.test(x)) return [1 / 60];
  if (/^(?:m|mins?|minutes?)$/.test(x)) return [MIN];
  if (/^(?:h|hrs?|hours?)$/.test(x)) return [HOUR];
  if (/^(?:d|days?)$/.test(x)) return [DAY];
  if (/^(?:w|wks?|weeks?)$/.test(x)) return [7 * DAY];
  if (/^(?:mo|mos|months?)$/.test(x)) return MONTHS;
  if (/^(?:q|quarters?)$/.test(x)) return QUARTERS;
  if (/^(?:y|yrs?|years?)$/.test(x)) return YEARS;
  return undefined;
}

/** A window's length in minutes: `30d`, `28 days`, `30-day rolling window`, `Monthly (30 days)`, `Weekly`. */
export function parseWindow(raw: string): number[] | undefined {
  const t = plainText(raw).toLowerCase();
  const m = /(\d+(?:\.\d+)?)\s*-?\s*(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|months?|q|quarters?|y|yrs?|years?)\b/.exec(t);
  if (m) {
    const u = unitMinutes(m[2]!);
    if (u) return u.map((x) => Number(m[1]) * x);
  }
  if (/\b(?:monthly|month|calendar month)\b/.test(t)) return MONTHS;
  if (/\b(?:weekly|week)\b/.test(t)) return [7 * DAY];
  if (/\b(?:daily|day)\b/.test(t)) return [DAY];
  if (/\b(?:hourly|hour)\b/.test(t)) return [HOUR];
  if (/\b(?:quarterly|quarter)\b/.test(t)) return QUARTERS;
  if (/\b(?:yearly|annual(?:ly)?|year)\b/.test(t)) return YEARS;
  return undefined;
}

/**
 * A window written into a target or objective (`99.5% of requests over a 30-day rolling window`,
 * `99.9% per calendar month`); a bare duration (`within 2 hours`) is a threshold, not a window.
 */
export function windowInText(raw: string): number[] | undefined {
  const t = plainText(raw).toLowerCase();
  const units = '(?:days?|d|weeks?|w|months?|quarters?|years?|hours?|h)';
  const m =
    new RegExp(`\\b(?:over|per|across|during|measured\\s+over)\\s+(?:a|an|the|any|each|every)?\\s*(?:rolling|calendar|trailing|sliding)?\\s*(\\d+(?:\\.\\d+)?\\s*-?\\s*${units})\\b`).exec(t) ??
    new RegExp(`\\b(\\d+(?:\\.\\d+)?\\s*-?\\s*${units})\\s+(?:rolling\\s+|sliding\\s+|calendar\\s+)?window\\b`).exec(t) ??
    /\b(?:per|over\s+(?:a|the|each|every)?)\s*(?:calendar\s+)?(month|week|day|quarter|year)\b/.exec(t) ??
    /\b(monthly|weekly|daily|quarterly|yearly|annually)\b/.exec(t);
  return m ? parseWindow(m[1]!) : undefined;
}

export interface ParsedBudget {
  na: boolean;
  percent: { value: number; decimals: number; text: string } | undefined;
  duration: { minutes: number; value: number; unit: string; unitMinutes: number; decimals: number; text: string } | undefined;
  /** The budget's own period (`3.6 hours/month`), in minutes, and as written (`month`). */
  period: number[] | undefined;
  periodText: string | undefined;
}

const DURATION = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b(?:\s*(?:\/|per|a|each|every)\s*(\d+\s*-?\s*(?:days?|d|weeks?|w)|day|week|month|quarter|year|30\s*days|28\s*days))?/i;

export function parseBudget(raw: string): ParsedBudget {
  const t0 = plainText(raw);
  const na = /^\s*(?:n\/?a|none|not applicable|-+|—|–)\b/i.test(t0) || !t0.trim();
  // `5% of requests > 100ms`: the 100ms is a latency threshold, not budget time.
  const t = t0.replace(new RegExp(`${COMPARATOR}\\s*[~≈]?\\s*\\d+(?:\\.\\d+)?\\s*${UNIT}?`, 'gi'), ' ');
  const p = /(\d+(?:\.\d+)?)\s*%/.exec(t);
  const percent = p ? { value: Number(p[1]), decimals: (p[1]!.split('.')[1] ?? '').length, text: p[0] } : undefined;
  const d = DURATION.exec(t);
  let duration: ParsedBudget['duration'];
  let period: number[] | undefined;
  let periodText: string | undefined;
  if (d) {
    const um = unitMinutes(d[2]!)![0]!;
    duration = { minutes: Number(d[1]) * um, value: Number(d[1]), unit: d[2]!, unitMinutes: um, decimals: (d[1]!.split('.')[1] ?? '').length, text: d[0] };
    if (d[3]) {
      period = parseWindow(d[3]);
      periodText = d[3].trim();
    }
  }
  return { na, percent, duration, period, periodText };
}

export interface BudgetCheck {
  /** What the target and window imply. */
  expectedPercent: number;
  problem: 'percent' | 'duration' | undefined;
  /** Expected duration in the stated unit (for messages), when the duration is off. */
  expectedDuration: number | undefined;
  windowMinutes: number | undefined;
}

/** Compares a stated budget with target × window; undefined when there is nothing to compare. */
export function checkBudget(targetPct: number, bound: 'upper' | 'lower', budget: ParsedBudget, window: number[] | undefined): BudgetCheck | undefined {
  if (budget.na) return undefined;
  if (targetPct <= 0 || targetPct >= 100) return undefined;
  const e = bound === 'upper' ? targetPct : 100 - targetPct;
  if (!budget.percent && !budget.duration) return undefined;
  if (budget.percent) {
    if (!close(budget.percent.value, e, 0.5 * 10 ** -budget.percent.decimals)) {
      return { expectedPercent: e, problem: 'percent', expectedDuration: undefined, windowMinutes: undefined };
    }
  }
  if (budget.duration) {
    const periods = budget.period ?? window;
    if (!periods) return undefined;
    const d = budget.duration;
    const fits = periods.some((w) => close(d.minutes, (e / 100) * w, 0.5 * 10 ** -d.decimals * d.unitMinutes));
    if (!fits) {
      const w = periods.length > 1 ? periods[1]! : periods[0]!; // 30 days for a month, 91 for a quarter
      return { expectedPercent: e, problem: 'duration', expectedDuration: ((e / 100) * w) / d.unitMinutes, windowMinutes: w };
    }
  }
  return undefined;
}

/**
 * True when a stated figure matches the expected one: within 1% relative, or within the rounding of the
 * stated figure when that rounding is fine enough to be meant (`43 min` for 43.2; not `1%` for 0.5%).
 */
function close(stated: number, expected: number, rounding: number): boolean {
  const d = Math.abs(stated - expected);
  if (d <= expected * 0.01 + 1e-9) return true;
  return rounding <= expected * 0.1 && d <= rounding + 1e-9;
}

/** `43.2 min`, `3.6 hours`, `30 days` for messages. */
export function describeMinutes(m: number): string {
  const r = (x: number) => String(Math.round(x * 100) / 100);
  if (m >= DAY && Math.abs(m / DAY - Math.round(m / DAY)) < 1e-9) return `${r(m / DAY)} days`;
  if (m >= 2 * HOUR) return `${r(m / HOUR)} hours`;
  if (m >= 1) return `${r(m)} min`;
  return `${r(m * 60)} s`;
}
