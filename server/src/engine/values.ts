/**
 * Reading the values people write in cells and fields: numbers with annotations, statuses with
 * negations, placeholder owners, priority labels in several vocabularies.
 */
import type { Item } from './model.js';
import type { Role } from './types.js';
import { memoByString } from './text.js';

/** A leading number in a cell: `42`, `**42**`, `168*`, `9 (pre-fix)`, `1,000`. Undefined otherwise. */
export const parseLeadingNumber: (text: string) => number | undefined = memoByString(readLeadingNumber);

function readLeadingNumber(text: string): number | undefined {
  const m = /^\s*[~≈]?\s*(-?\d{1,3}(?:,\d{3})+|-?\d+(?:\.\d+)?)(?![\d.]*\s*[-–/]\s*\d)/.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m[0].length);
  // `3/5`, `1-5`, `10x`, `42%` are not plain scores.
  if (/^\s*(?:[/x×%]|[a-z])/i.test(rest) && !/^\s*\(/.test(rest) && !/^\s*\*/.test(rest)) return undefined;
  return Number(m[1]!.replace(/,/g, ''));
}

/** The number an item holds for a role, when the cell or field starts with one. */
export function itemNumber(item: Item, role: Role): number | undefined {
  const f = item.fields[role];
  return f ? parseLeadingNumber(f.text) : undefined;
}

/** True when the text is empty or a placeholder that names nobody. */
export function isBlankOwner(text: string): boolean {
  const t = text.trim().toLowerCase().replace(/[*_`]/g, '').trim();
  return /^(?:|tbd|tba|tbc|\?+|-+|—|–|n\/?a|none|nobody|unassigned|unknown|todo|to be (?:determined|assigned|decided)|\[?owner\]?|<owner>|\{\{\s*owner\s*\}\})$/.test(t);
}

export type StatusClass = 'closed' | 'open' | 'unknown';

const OPEN_STATUS =
  /\b(?:not|un|non)[\s-]?(?:mitigated|fixed|done|resolved|complete[d]?|implemented|started|addressed|closed|verified)\b|\bunmitigated\b|\bpartial(?:ly)?\b|\bin[\s-]?progress\b|\bopen\b|\bwip\b|\btodo\b|\bto do\b|\bdeferred\b|\bplanned\b|\bpending\b|\bblocked\b|\bbacklog\b|\bproposed\b|\binvestigating\b|\bongoing\b|\bnot yet\b|\bmissing\b|\bno-go\b|❌|⚠|🔴|🟡|⏳|🚧/i;
const CLOSED_STATUS =
  /\b(?:done|closed|complete[d]?|resolved|mitigated|fixed|implemented|verified|shipped|passed|accepted|finished|remediated|addressed|well-mitigated)\b|✅|✔|☑|:heavy_check_mark:|:white_check_mark:|^\s*\[x\]|^\s*go\s*$/i;

/** Classifies a status the way a reader would: negations and partial states first. */
export const statusClass: (text: string) => StatusClass = memoByString(classifyStatus);

function classifyStatus(text: string): StatusClass {
  if (!text.trim()) return 'unknown';
  if (OPEN_STATUS.test(text)) return 'open';
  if (CLOSED_STATUS.test(text)) return 'closed';
  return 'unknown';
}

export type Band = 'high' | 'medium' | 'low';

/** The band a priority label names, or undefined when it is not a priority label we know. */
export const priorityBand: (text: string) => Band | undefined = memoByString(readPriorityBand);

function readPriorityBand(text: string): Band | undefined {
  const t = text.trim().toLowerCase().replace(/[*_`]/g, '');
  if (!t) return undefined;
  if (/🔴|🟥/.test(t)) return 'high';
  if (/🟡|🟠|🟨|🟧/.test(t)) return 'medium';
  if (/🟢|🟩/.test(t)) return 'low';
  const m = /^(critical|crit|high|hi|medium|med|moderate|low|lo|p[0-3]|sev[-\s]?[0-3])\b/.exec(t);
  if (!m) return undefined;
  switch (m[1]) {
    case 'critical':
    case 'crit':
    case 'high':
    case 'hi':
    case 'p0':
    case 'p1':
      return 'high';
    case 'medium':
    case 'med':
    case 'moderate':
    case 'p2':
      return 'medium';
    case 'low':
    case 'lo':
    case 'p3':
      return 'low';
  }
  if (m[1]!.startsWith('sev')) {
    const n = Number(m[1]!.slice(-1));
    return n <= 1 ? 'high' : n === 2 ? 'medium' : 'low';
  }
  return undefined;
}

/** The band an RPN falls in, with thresholds High > high, Medium ≥ medium, Low below. */
export function rpnBand(rpn: number, bands: { high: number; medium: number }): Band {
  if (rpn > bands.high) return 'high';
  if (rpn >= bands.medium) return 'medium';
  return 'low';
}

/** A canonical label per band for each vocabulary, when a document has no example of its own. */
export function defaultLabel(band: Band, sample: string): string {
  const t = sample.trim();
  if (/🔴|🟡|🟢/.test(t)) return band === 'high' ? '🔴' : band === 'medium' ? '🟡' : '🟢';
  if (/^p[0-3]\b/i.test(t)) return band === 'high' ? 'P1' : band === 'medium' ? 'P2' : 'P3';
  const word = band === 'high' ? 'High' : band === 'medium' ? 'Medium' : 'Low';
  if (t === t.toUpperCase() && /[A-Z]/.test(t)) return word.toUpperCase();
  if (t === t.toLowerCase() && /[a-z]/.test(t)) return word.toLowerCase();
  return word;
}
