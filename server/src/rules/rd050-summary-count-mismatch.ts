import type { Cell, DocumentModel, ListItem, Table, TableRow } from '../engine/model.js';
import { sectionAt } from '../engine/model.js';
import type { Rule, RuleContext } from '../engine/rule.js';
import { normalizeHeader } from '../engine/roles.js';
import { range } from '../engine/text.js';
import type { Fix, Range } from '../engine/types.js';
import { parseLeadingNumber, statusClass } from '../engine/values.js';
import { NUMBER_WORDS, formatLike, headingChain, numberValue, singular } from './rd07-ops-util.js';

/** Nouns a count can name. Generic ones fit any register table; the others must match the table's headers or heading. */
const GENERIC_NOUNS = new Set(['gap', 'blocker', 'item', 'row', 'entry', 'risk', 'issue', 'finding', 'action item', 'task', 'failure mode']);
const SPECIFIC_NOUNS = new Set([
  'requirement', 'check', 'control', 'alert', 'invariant', 'criterion', 'category', 'area', 'test', 'service', 'component', 'signal',
  'metric', 'objective', 'slo', 'gate', 'step', 'action', 'scenario', 'dependency', 'playbook', 'runbook', 'dashboard',
]);
const PRIORITY_WORDS = new Set(['mandatory', 'recommended', 'optional', 'critical', 'high', 'medium', 'low', 'major', 'minor', 'p0', 'p1', 'p2', 'p3', 'must-have', 'should-have', 'nice-to-have']);
const OPEN_WORDS = new Set(['open', 'remaining', 'outstanding', 'unresolved', 'pending', 'active', 'unmitigated']);
const CLOSED_WORDS = new Set(['closed', 'resolved', 'done', 'fixed', 'completed', 'complete', 'mitigated', 'remediated']);
/** Adjectives that do not narrow what is counted. */
const NEUTRAL_WORDS = new Set(['primary', 'main', 'key', 'core', 'known', 'listed', 'following', 'defined', 'documented', 'configured', 'current', 'distinct', 'separate', 'identified', 'total', 'production']);

/** Words before a number that make it approximate, a selection or not a count of rows at all. */
const NOT_A_COUNT_BEFORE =
  /(?:~|≈|\babout|\baround|\bapprox\.?|\bapproximately|\broughly|\bover|\bmore than|\bfewer than|\bless than|\bat least|\bat most|\bnearly|\balmost|\bup to|\btop|\bfirst|\blast|\bnext|\banother|\badditional|\bextra|\bstep|\bphase|\bstage|\bsprint|\bweek|\bday|\bmonth|\byear|\bversion|\bv|#|\bno\.|\bof|\bout of|\bevery|\beach|\bper|\bclosed|\bfixed|\bresolved|\badded|\bremoved|\bopened|\breopened|\bmerged|\bdeleted|\bmigrated|\bmoved|\bdropped|\bhealed)\s*$/i;

const NUM = new RegExp(`(?<![\\w$€£#~≈.,/+:-])(\\d{1,4}|${NUMBER_WORDS.join('|')})\\b`, 'gi');

interface Mention {
  line: number;
  start: number;
  end: number;
  numText: string;
  n: number;
  qualifiers: string[];
  noun: string | undefined;
  /** The stated phrase as written (`8 mandatory gaps`). */
  phrase: string;
  /** `Count:` / `Total:` label before the number. */
  labelled: boolean;
}

/** Count phrases on one prose line: `8 mandatory gaps`, `Total: 12 gaps`, `3 open / 2 closed`, `four primary alerts`. */
export function countMentions(text: string, line: number): Mention[] {
  const s = text.replace(/[*_]/g, ' ');
  const out: Mention[] = [];
  for (const m of s.matchAll(NUM)) {
    const start = m.index!;
    const end = start + m[0].length;
    const n = numberValue(m[1]!);
    if (n === undefined) continue;
    const before = s.slice(Math.max(0, start - 30), start);
    if (NOT_A_COUNT_BEFORE.test(before)) continue;
    const after = s.slice(end);
    if (/^(?:[.,:/-]\d|\s*[%+x×]|\s*(?:-|–|—|to)\s*\d|\s*(?:of|out of)\b|\s*\/\s*\d)/i.test(after)) continue;
    const labelled = /\b(?:count|total)\s*:?\s*$/i.test(before);
    // `Open gaps: 4`, `Mandatory: 8`, `Total gaps: 12`, `Count: 8` — the label names what is counted.
    if (/^\s*(?:$|[|,;.)(·•/]|—|–)/.test(after)) {
      const lab = labelMention(s, start, end, line, m[1]!, n);
      if (lab) out.push(lab);
      continue;
    }
    const qualifiers: string[] = [];
    let noun: string | undefined;
    let pos = 0;
    let ok = true;
    for (let k = 0; k < 3; k++) {
      const w = /^\s+([A-Za-z][A-Za-z'-]*)/.exec(after.slice(pos));
      if (!w) break;
      const word = w[1]!.toLowerCase();
      const next = /^\s+([A-Za-z][A-Za-z'-]*)/.exec(after.slice(pos + w[0].length));
      const two = next ? `${singular(word)} ${singular(next[1]!)}` : '';
      if (two && (GENERIC_NOUNS.has(two) || SPECIFIC_NOUNS.has(two))) {
        noun = two;
        pos += w[0].length + next![0].length;
        break;
      }
      const sing = singular(word);
      if (GENERIC_NOUNS.has(sing) || SPECIFIC_NOUNS.has(sing)) {
        noun = sing;
        pos += w[0].length;
        break;
      }
      if (PRIORITY_WORDS.has(word) || OPEN_WORDS.has(word) || CLOSED_WORDS.has(word) || NEUTRAL_WORDS.has(word)) {
        qualifiers.push(word);
        pos += w[0].length;
        continue;
      }
      // Any other word: the number counts something we do not know (`3 days`, `11 Variables`, `3 open questions`).
      ok = false;
      break;
    }
    if (!ok) continue;
    if (!noun) {
      // `3 open / 2 closed`: a status or priority word alone, followed by a separator or the end.
      if (!qualifiers.length || qualifiers.every((q) => NEUTRAL_WORDS.has(q))) continue;
      if (!/^\s*(?:$|[/,;|)]|and\b|\.|—|–)/i.test(after.slice(pos))) continue;
    }
    out.push({ line, start, end, numText: m[1]!, n, qualifiers, noun, phrase: s.slice(start, end + pos).replace(/\s+/g, ' ').trim(), labelled });
  }
  return out;
}

function isQualifier(w: string): boolean {
  return PRIORITY_WORDS.has(w) || OPEN_WORDS.has(w) || CLOSED_WORDS.has(w) || NEUTRAL_WORDS.has(w);
}

/** A count written after its label: `Open gaps: 4`, `Mandatory: 8`, `Total: 12`. */
function labelMention(s: string, start: number, end: number, line: number, numText: string, n: number): Mention | undefined {
  const m = /(?:^|[^\w-])((?:[A-Za-z][A-Za-z-]*\s+){0,2})([A-Za-z][A-Za-z-]*)\s*:\s*$/.exec(s.slice(0, start));
  if (!m) return undefined;
  const pre = m[1]!.trim() ? m[1]!.trim().toLowerCase().split(/\s+/) : [];
  const last = m[2]!.toLowerCase();
  const labelStart = m.index + m[0].search(/[A-Za-z]/);
  let noun: string | undefined;
  const qualifiers: string[] = [];
  let labelled = false;
  if (GENERIC_NOUNS.has(singular(last)) || SPECIFIC_NOUNS.has(singular(last))) noun = singular(last);
  else if (last === 'total' || last === 'count') labelled = true;
  else if (PRIORITY_WORDS.has(last) || OPEN_WORDS.has(last) || CLOSED_WORDS.has(last)) qualifiers.push(last);
  else return undefined;
  for (const w of pre) {
    if (w === 'total' || w === 'count' || w === 'number' || w === 'of') {
      labelled = true;
      continue;
    }
    if (!isQualifier(w)) return undefined;
    qualifiers.push(w);
  }
  if (!noun && !labelled && !qualifiers.some((q) => !NEUTRAL_WORDS.has(q))) return undefined;
  return { line, start, end, numText, n, qualifiers, noun, phrase: s.slice(labelStart, end).replace(/\s+/g, ' ').trim(), labelled };
}

function blank(model: DocumentModel, from: number, to: number): boolean {
  for (let l = from; l <= to; l++) if ((model.lines.lines[l] ?? '').trim()) return false;
  return true;
}

function dataRows(t: Table): TableRow[] {
  return t.rows.filter((r) => r.cells.some((c) => c.text) && !/^(?:total|sum|overall|all)\b/i.test(r.cells[0]?.text ?? ''));
}

function words(s: string): string[] {
  return normalizeHeader(s).split(' ').filter(Boolean).map(singular);
}

interface Referent {
  kind: 'table' | 'list';
  where: string;
  table?: Table;
  items?: ListItem[];
}

/** The table or list a count refers to, or undefined when that is not clear. */
function referentOf(model: DocumentModel, m: Mention): Referent | undefined {
  const sec = sectionAt(model, m.line);
  const here = model.tables.filter((t) => t.section === sec);
  const above = here.filter((t) => t.endLine < m.line && blank(model, t.endLine + 1, m.line - 1)).pop();
  const below = here.find((t) => t.headerLine > m.line && blank(model, m.line + 1, t.headerLine - 1));
  const lineText = model.prose[m.line]!.replace(/[*_\s]+$/g, '');
  if (above && below) {
    if (m.labelled) return { kind: 'table', table: above, where: 'the table above' };
    if (lineText.endsWith(':')) return { kind: 'table', table: below, where: 'the table below' };
    return undefined;
  }
  if (above) return { kind: 'table', table: above, where: 'the table above' };
  if (below) return { kind: 'table', table: below, where: 'the table below' };
  // A line ending in `:` that introduces a list.
  if (lineText.endsWith(':')) {
    const self = model.listItems.find((li) => li.line === m.line);
    const first = model.listItems.find((li) => li.line > m.line && (self ? true : blank(model, m.line + 1, li.line - 1)));
    if (first && (!self || first.depth === self.depth + 1)) {
      const items = listRun(model, first);
      if (items.length) return { kind: 'list', items, where: 'the list below' };
    }
  }
  // The document's introduction (before the first `##`) counting the rows of one table: the one table named
  // after the noun (`four alerts` / `| Alert |`), or, for gaps, items and the like, the document's only table.
  const intro = sec === model.root || (sec.heading !== undefined && sec.heading === model.title && sec.heading.depth === 1);
  if (intro) {
    let pick: Table | undefined;
    if (m.noun && SPECIFIC_NOUNS.has(m.noun)) {
      const named = model.tables.filter((t) => singular(normalizeHeader(t.columns[0]?.header ?? '')) === m.noun);
      if (named.length === 1) pick = named[0];
    } else if (!m.noun || GENERIC_NOUNS.has(m.noun)) {
      const tables = model.tables.filter((t) => countColumn(t) === undefined);
      if (tables.length === 1 && model.tables.length === 1 && dataRows(tables[0]!).length >= 2) pick = tables[0];
    }
    if (pick) {
      const h = pick.section.heading && pick.section.heading !== model.title ? pick.section.heading.text : undefined;
      return { kind: 'table', table: pick, where: h ? `the table under "${h}"` : 'the table' };
    }
  }
  return undefined;
}

/** The items of one list at the first item's depth, up to the end of that list. */
function listRun(model: DocumentModel, first: ListItem): ListItem[] {
  const out = [first];
  let prev = first;
  for (const li of model.listItems) {
    if (li.line <= first.line) continue;
    if (li.depth < first.depth) break;
    if (li.depth > first.depth) continue;
    // Between two items only blank, indented or deeper-list lines: same list.
    for (let l = prev.line + 1; l < li.line; l++) {
      const t = model.lines.lines[l]!;
      if (t.trim() && !/^\s+/.test(t) && !model.listItems.some((x) => x.line === l)) return out;
    }
    if (li.section !== first.section) break;
    out.push(li);
    prev = li;
  }
  return out;
}

/** Rows of a table the qualifiers select, with a label for the message, or undefined when they cannot be read. */
function selectRows(t: Table, m: Mention): { rows: TableRow[]; marked: string } | undefined {
  let rows = dataRows(t);
  const heading = words(headingChain(t.section)[0] ?? '');
  const marks: string[] = [];
  const quals = [...m.qualifiers];
  if (m.noun === 'blocker' && t.roles.priority !== undefined && rows.some((r) => /\bblockers?\b/i.test(r.cells[t.roles.priority!]?.text ?? ''))) quals.push('blocker');
  for (const q of quals) {
    if (NEUTRAL_WORDS.has(q)) continue;
    if (PRIORITY_WORDS.has(q) || q === 'blocker') {
      const col = t.roles.priority;
      const re = new RegExp(`(?:^|[^\\p{L}])${q.replace(/-/g, '[- ]?')}s?(?:[^\\p{L}]|$)`, 'iu');
      if (col !== undefined && rows.some((r) => re.test(r.cells[col]?.text ?? ''))) {
        rows = rows.filter((r) => re.test(r.cells[col]?.text ?? ''));
        marks.push(q[0]!.toUpperCase() + q.slice(1));
      } else if (!heading.includes(singular(q))) return undefined;
      continue;
    }
    const want = OPEN_WORDS.has(q) ? 'open' : 'closed';
    const col = t.roles.status;
    if (col !== undefined && rows.some((r) => statusClass(r.cells[col]?.text ?? '') !== 'unknown')) {
      rows = rows.filter((r) => statusClass(r.cells[col]?.text ?? '') === want);
      marks.push(want);
    } else if (!heading.includes(q)) return undefined;
  }
  return { rows, marked: marks.length ? ` marked ${marks.join(' and ')}` : '' };
}

function nounFits(t: Table, noun: string | undefined): boolean {
  if (!noun || GENERIC_NOUNS.has(noun)) return true;
  const ws = new Set([...t.columns.flatMap((c) => words(c.header)), ...headingChain(t.section).flatMap(words)]);
  return noun.split(' ').every((w) => ws.has(w));
}

function numberFix(m: Mention, actual: number): Fix[] {
  const r: Range = range(m.line, m.start, m.line, m.end);
  const text = formatLike(actual, m.numText);
  return [{ title: `Change "${m.numText}" to "${text}"`, edits: [{ range: r, newText: text }] }];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function checkProse(ctx: RuleContext) {
  const model = ctx.model;
  const tableLines = new Set<number>();
  for (const t of model.tables) for (let l = t.headerLine; l <= t.endLine; l++) tableLines.add(l);
  const headingLines = new Set(model.headings.map((h) => h.line));
  for (let l = 0; l < model.prose.length; l++) {
    if (model.masked[l] || tableLines.has(l) || headingLines.has(l)) continue;
    const p = model.prose[l]!;
    if (!/\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty/i.test(p)) continue;
    for (const m of countMentions(p, l)) {
      const ref = referentOf(model, m);
      if (!ref) continue;
      if (ref.kind === 'list') {
        // A narrowing word (`mandatory`, `open`) must be what the section is about: every item then counts.
        const heading = words(headingChain(sectionAt(model, m.line))[0] ?? '');
        if (m.qualifiers.some((q) => !NEUTRAL_WORDS.has(q) && !heading.includes(singular(q)))) continue;
        const actual = ref.items!.length;
        if (actual === m.n) continue;
        ctx.report({
          range: range(l, m.start, l, m.end),
          message: `States ${m.phrase}; ${ref.where} has ${plural(actual, 'item')}.`,
          fixes: numberFix(m, actual),
        });
        continue;
      }
      const t = ref.table!;
      const cc = countColumn(t);
      if (cc !== undefined) {
        // A line next to a table of counts (`| Priority | Count |`): a total is their sum, a qualified count the matching row.
        const lc = t.columns.findIndex((_, i) => i !== cc);
        const quals = m.qualifiers.filter((q) => !NEUTRAL_WORDS.has(q));
        let actual: number | undefined;
        let what: string;
        if (!quals.length) {
          actual = dataRows(t).reduce((sum, r) => sum + (parseLeadingNumber(r.cells[cc]?.text ?? '') ?? 0), 0);
          what = `counts adding up to ${actual}`;
        } else {
          const row = quals.length === 1 ? t.rows.find((r) => labelMatches(quals[0]!, r.cells[lc]?.text ?? '')) : undefined;
          actual = row ? parseLeadingNumber(row.cells[cc]?.text ?? '') : undefined;
          what = `${actual} for "${row?.cells[lc]?.text ?? ''}"`;
        }
        if (actual === undefined || actual === m.n) continue;
        ctx.report({ range: range(l, m.start, l, m.end), message: `States ${m.phrase}; ${ref.where} gives ${what}.`, fixes: numberFix(m, actual) });
        continue;
      }
      if (!nounFits(t, m.noun)) continue;
      const sel = selectRows(t, m);
      if (!sel) continue;
      const actual = sel.rows.length;
      if (actual === m.n) continue;
      const what = m.noun && SPECIFIC_NOUNS.has(m.noun) && !sel.marked ? plural(actual, m.noun) : plural(actual, 'row');
      ctx.report({
        range: range(l, m.start, l, m.end),
        message: `States ${m.phrase}; ${ref.where} lists ${what}${sel.marked}.`,
        fixes: numberFix(m, actual),
      });
    }
  }
}

/** Normalised label for matching summary labels to detail cells: emoji kept, markup and punctuation dropped. */
function labelKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*_`~]/g, '')
    .replace(/[^\p{L}\p{N}\p{Extended_Pictographic}\s-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function labelMatches(label: string, cell: string): boolean {
  const a = labelKey(label);
  const b = labelKey(cell);
  if (!a || !b) return false;
  if (a === b || b.startsWith(a + ' ') || b.endsWith(' ' + a)) return true;
  const ea = a.match(/\p{Extended_Pictographic}/gu);
  const eb = b.match(/\p{Extended_Pictographic}/gu);
  return !!(ea && eb && ea.length === 1 && ea[0] === eb[0]);
}

function countColumn(t: Table): number | undefined {
  const i = t.roles.count ?? t.columns.findIndex((c) => /^(?:count|total|number|no|n|#)$/.test(normalizeHeader(c.header)) && t.roles.id !== c.index);
  if (i === undefined || i < 0) return undefined;
  const vals = t.rows.map((r) => r.cells[i]?.text ?? '').filter(Boolean);
  if (vals.length < 2 || !vals.every((v) => parseLeadingNumber(v) !== undefined)) return undefined;
  return i;
}

function countCellRange(c: Cell): Range {
  const m = /\d+/.exec(c.raw);
  if (!m) return c.range;
  const s = c.range.start.character + m.index;
  return range(c.range.start.line, s, c.range.start.line, s + m[0].length);
}

/** A summary table of counts (`| Priority | Count |`) against the detail table(s) below it. */
function checkSummaryTables(ctx: RuleContext) {
  const model = ctx.model;
  const countTables = new Map<Table, number>();
  for (const t of model.tables) {
    const c = countColumn(t);
    if (c !== undefined && t.columns.length <= 4) countTables.set(t, c);
  }
  for (const [summary, cc] of countTables) {
    const lc = summary.columns.findIndex((_, i) => i !== cc);
    if (lc < 0) continue;
    const entries = summary.rows
      .map((r) => ({ label: r.cells[lc]?.text ?? '', cell: r.cells[cc]!, n: parseLeadingNumber(r.cells[cc]?.text ?? '') }))
      .filter((e) => e.label && e.cell && e.n !== undefined);
    if (!entries.length) continue;
    const later = model.tables.filter((t) => t.headerLine > summary.endLine && !countTables.has(t) && (t.roles.priority ?? t.roles.status ?? t.roles.category) !== undefined);
    if (!later.length) continue;
    const sig = (t: Table) => t.columns.map((c) => normalizeHeader(c.header)).join('|');
    const group = later.filter((t) => sig(t) === sig(later[0]!));
    const rows = group.flatMap(dataRows);
    const named = entries.filter((e) => !/^(?:total|all|sum|overall)\b/i.test(e.label));
    let best: { role: 'priority' | 'status' | 'category'; matched: number } | undefined;
    for (const role of ['priority', 'status', 'category'] as const) {
      const col = group[0]!.roles[role];
      if (col === undefined) continue;
      const matched = named.filter((e) => rows.some((r) => labelMatches(e.label, r.cells[col]?.text ?? ''))).length;
      if (matched && (!best || matched > best.matched)) best = { role, matched };
    }
    if (!best || best.matched * 2 < named.length) continue;
    const col = group[0]!.roles[best.role]!;
    const where = group.length === 1 ? 'the detail table' : `the ${group.length} detail tables`;
    for (const e of entries) {
      const total = /^(?:total|all|sum|overall)\b/i.test(e.label);
      const actual = total ? rows.length : rows.filter((r) => labelMatches(e.label, r.cells[col]?.text ?? '')).length;
      if (actual === e.n) continue;
      const r = countCellRange(e.cell);
      ctx.report({
        range: r,
        message: total
          ? `Summary states ${e.n} in total; ${where} ${group.length === 1 ? 'lists' : 'list'} ${plural(actual, 'row')}.`
          : `Summary states ${e.n} for "${e.label}"; ${where} ${group.length === 1 ? 'lists' : 'list'} ${plural(actual, 'row')} with ${best.role} "${e.label}".`,
        fixes: [{ title: `Change ${e.n} to ${actual}`, edits: [{ range: r, newText: String(actual) }] }],
      });
    }
  }
}

/** A column headed `Top 3` (`Biggest Gaps (Top 3)`) whose `;`-separated cells list more than three. */
function checkTopN(ctx: RuleContext) {
  for (const t of ctx.model.tables) {
    t.columns.forEach((col, i) => {
      const m = new RegExp(`\\btop\\s+(\\d{1,2}|${NUMBER_WORDS.join('|')})\\b`, 'i').exec(col.header);
      if (!m) return;
      const n = numberValue(m[1]!);
      if (!n) return;
      const cells = t.rows.map((r) => r.cells[i]).filter((c): c is Cell => !!c && !!c.text);
      const counts = cells.map((c) => c.text.split(';').map((x) => x.trim()).filter(Boolean).length);
      if (counts.filter((k) => k === n).length * 2 < cells.length) return;
      cells.forEach((c, k) => {
        if (counts[k]! <= n) return;
        ctx.report({ range: c.range, message: `Lists ${counts[k]} entries in a column headed "${col.header}"; keep the top ${n} or rename the column.` });
      });
    });
  }
}

/**
 * RD050: a count stated in prose or in a summary table that does not match the rows it summarises: `**Count:
 * 8 mandatory gaps**` under a table with 7 Mandatory rows, `Total: 12 gaps`, `3 open / 2 closed`, a `| Priority
 * | Count |` table against the detail rows below it, `four primary alerts` against the one Alert table.
 * Only counts whose referent is clear are read: the table right above or below the line in the same section,
 * the list a `…:` line introduces, or (from the introduction) the one table whose first column names the
 * counted thing. Approximate counts (`~9`, `about 9`) and selections (`top 3`, `3 of 8`) are not read.
 */
export const rd050: Rule = {
  meta: {
    id: 'RD050',
    name: 'summary-count-mismatch',
    description: 'A stated count (in prose or a summary table) does not match the rows it summarises.',
    defaultSeverity: 'warning',
    kinds: ['gap-analysis', 'gap-register', 'fmea', 'checklist', 'summary', 'runbook'],
    fixable: true,
  },
  check(ctx) {
    checkProse(ctx);
    checkSummaryTables(ctx);
    checkTopN(ctx);
  },
};

