/**
 * Invariants as the rules RD020–RD022 see them: rows of tables with an id (`| I-01 | … | Enforcement |`)
 * and sections headed by an id (`### INV-AI-01 — …`, `### I-V1 — Backing`) with `**Enforcement:**`
 * fields or run-in labels (`**Where enforced.**`, `**Tests.**`). Coverage tables (`Artefact | Path |
 * Covers`) map checks to the invariants they enforce.
 */
import type { DocumentModel, Link, Section, Table, TableRow } from '../engine/model.js';
import type { Range } from '../engine/types.js';
import { normalizeHeader, roleOf } from '../engine/roles.js';
import { isDefiningId } from '../engine/index-store.js';
import { range } from '../engine/text.js';
import { plainText } from '../engine/build.js';
import { isNotApplicable, isPlaceholder, labelsIn, sectionSpan } from './kd-util.js';

/** A check or alert value of an invariant: a table cell or a labelled field in its section. */
export interface InvField {
  label: string;
  text: string;
  raw: string;
  range: Range;
  links: Link[];
  /** Empty or a placeholder (`TBD`, `-`, `none`). */
  blank: boolean;
  /** Spans of the value, [line, start, end] (for scanning test names in the raw text). */
  segments: [number, number, number][];
}

export interface Invariant {
  id: string;
  idRange: Range;
  line: number;
  source: 'table' | 'section';
  table: Table | undefined;
  row: TableRow | undefined;
  section: Section | undefined;
  checks: InvField[];
  alerts: InvField[];
  /** The row or section text mentions a test, check or enforcement in prose. */
  mentionsCheck: boolean;
}

export interface CoverageRow {
  table: Table;
  row: TableRow;
  ids: string[];
  links: Link[];
}

export interface Invariants {
  invariants: Invariant[];
  /** Rows of coverage tables (`Covers` column listing ids). */
  coverage: CoverageRow[];
  /** Ids named by some coverage row or by a prose line that also names a check. */
  coveredIds: Set<string>;
  /** Table invariants whose table has an alert column; section invariants when any carries an alert label. */
  alertConvention: { tables: Set<Table>; sections: boolean };
}

const ID_TOKEN = /\b[A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)*[-_.]?\d+[A-Z0-9]*\b/g;
const SECTION_ID = /^(?:\d{1,3}[.)]\s*)?\[?([A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+)\]?(?=[\s:—–-]|$)/;
const CHECK_LABEL = /\b(?:enforc\w*|tests?|tested|check(?:s|ed)?|verif\w*|covered by|covers|coverage|proofs?|proven|asserted|assertions?|guards?|guarded|lint(?:ed|s)?|semgrep)\b/i;
const ALERT_LABEL = /\b(?:alert\w*|monitor\w*|alarms?|pag(?:e|ing)|pager|detection)\b/i;
const CHECK_WORDS = /\b(?:enforc\w*|tests?|tested|testing|check(?:s|ed)?|verif\w*|assert\w*|guard(?:s|ed)?|semgrep|lint\w*|pre-commit|ci)\b/i;
const TEST_PATH = /(?:^|\/)(?:tests?|spec|specs|__tests__)\/|(?:^|\/)test_|_test\.|\.test\.|\.spec\./i;

export function isCheckHeader(header: string): boolean {
  const role = roleOf(header);
  if (role === 'check') return true;
  if (role && role !== 'evidence') return false;
  return CHECK_LABEL.test(normalizeHeader(header));
}

export function isAlertHeader(header: string): boolean {
  const role = roleOf(header);
  if (role === 'alert') return true;
  if (role) return false;
  return ALERT_LABEL.test(normalizeHeader(header));
}

function isCoverageHeader(header: string): boolean {
  return /^(?:covers|covered invariants?|invariants?|invariant ids?|ids?|applies to|enforces)$/.test(normalizeHeader(header));
}

const cache = new WeakMap<DocumentModel, Invariants>();

export function invariantsOf(model: DocumentModel): Invariants {
  const hit = cache.get(model);
  if (hit) return hit;
  const invariants: Invariant[] = [];
  const byId = new Map<string, Invariant>();
  const coverage: CoverageRow[] = [];
  const alertTables = new Set<Table>();

  for (const t of model.tables) {
    const headers = t.columns.map((c) => c.header);
    const coverCol = headers.findIndex((h, i) => i > 0 && isCoverageHeader(h));
    const idCol = t.roles.id ?? (looksLikeIdColumn(t, 0) ? 0 : undefined);
    if (idCol === undefined && coverCol >= 0) {
      // A coverage table: each row's other cells are checks for the ids it lists.
      for (const row of t.rows) {
        const ids = (row.cells[coverCol]?.text.match(ID_TOKEN) ?? []).map((x) => x.toUpperCase());
        if (!ids.length) continue;
        coverage.push({ table: t, row, ids, links: row.cells.filter((_, i) => i !== coverCol).flatMap((c) => c.links) });
      }
      continue;
    }
    if (idCol === undefined) continue;
    const checkCols = headers.map((h, i) => (i !== idCol && isCheckHeader(h) ? i : -1)).filter((i) => i >= 0);
    const alertCols = headers.map((h, i) => (i !== idCol && isAlertHeader(h) ? i : -1)).filter((i) => i >= 0);
    const statementish = t.roles.title !== undefined || headers.some((h) => /invariant|rule|statement|property|guarantee/i.test(h));
    if (!checkCols.length && !statementish) continue;
    if (alertCols.length) alertTables.add(t);
    for (const row of t.rows) {
      const idCell = row.cells[idCol];
      const id = idCell?.text.trim();
      if (!idCell || !id || /^[-—–]+$/.test(id)) continue;
      // A row with nothing but its id is a group label or a stub, not a statement to judge.
      if (row.cells.filter((c) => c.text.trim()).length < 2) continue;
      const field = (i: number): InvField => {
        const c = row.cells[i];
        const r = c ? c.range : range(row.line, row.range.end.character, row.line, row.range.end.character);
        return { label: headers[i]!, text: c?.text ?? '', raw: c?.raw ?? '', range: r, links: c?.links ?? [], blank: isPlaceholder(c?.raw ?? ''), segments: c ? [[row.line, c.range.start.character, c.range.end.character]] : [] };
      };
      const rowText = row.cells.filter((_, i) => i !== idCol).map((c) => c.text).join(' ');
      const inv: Invariant = {
        id,
        idRange: idCell.range,
        line: row.line,
        source: 'table',
        table: t,
        row,
        section: t.section,
        checks: checkCols.map(field),
        alerts: alertCols.map(field),
        mentionsCheck: CHECK_WORDS.test(rowText) || row.cells.some((c) => c.links.some((l) => TEST_PATH.test(l.target))),
      };
      invariants.push(inv);
      if (!byId.has(id.toUpperCase())) byId.set(id.toUpperCase(), inv);
    }
  }

  let sectionAlerts = false;
  for (const s of model.sections) {
    const h = s.heading;
    if (!h) continue;
    const m = SECTION_ID.exec(h.text);
    if (!m || !isInvariantId(m[1]!)) continue;
    const id = m[1]!;
    const [from, to] = sectionSpan(s);
    const labels = labelsIn(model, from, to);
    const toField = (l: (typeof labels)[number]): InvField => ({
      label: l.label,
      text: l.text,
      raw: l.raw,
      range: l.text ? l.valueRange : l.labelRange,
      links: l.links,
      blank: isPlaceholder(l.text) && !isNotApplicable(l.text),
      segments: l.segments,
    });
    const checks = labels.filter((l) => isCheckHeader(l.label)).map(toField);
    const alerts = labels.filter((l) => isAlertHeader(l.label)).map(toField);
    if (alerts.length) sectionAlerts = true;
    let mentions = false;
    for (let l = from; l <= to && !mentions; l++) if (CHECK_WORDS.test(model.prose[l] ?? '')) mentions = true;
    if (!mentions) mentions = model.links.some((x) => x.range.start.line >= from && x.range.start.line <= to && TEST_PATH.test(x.target));
    const lineText = model.lines.lines[h.line]!;
    const at = lineText.indexOf(id, h.textRange.start.character);
    const idRange = at >= 0 ? range(h.line, at, h.line, at + id.length) : h.textRange;
    const existing = byId.get(id.toUpperCase());
    if (existing) {
      existing.checks.push(...checks);
      existing.alerts.push(...alerts);
      existing.mentionsCheck ||= mentions;
      continue;
    }
    const inv: Invariant = { id, idRange, line: h.line, source: 'section', table: undefined, row: undefined, section: s, checks, alerts, mentionsCheck: mentions };
    invariants.push(inv);
    byId.set(id.toUpperCase(), inv);
  }

  // Ids covered elsewhere: coverage rows, and prose lines outside the invariant that name it with a check.
  const coveredIds = new Set<string>();
  for (const c of coverage) for (const id of c.ids) coveredIds.add(id);
  const ownLines = new Set<number>();
  for (const inv of invariants) {
    if (inv.row) ownLines.add(inv.row.line);
  }
  for (let l = 0; l < model.prose.length; l++) {
    const p = model.prose[l]!;
    if (ownLines.has(l) || !p.trim()) continue;
    const ids = plainText(model.lines.lines[l]!).match(ID_TOKEN);
    if (!ids) continue;
    const hasCheck = CHECK_WORDS.test(p) || model.links.some((x) => x.range.start.line === l && TEST_PATH.test(x.target));
    if (!hasCheck) continue;
    for (const id of ids) {
      const inv = byId.get(id.toUpperCase());
      if (!inv) continue;
      if (inv.source === 'section' && inv.section?.heading && l >= inv.section.heading.line && l <= inv.section.endLine) continue;
      coveredIds.add(id.toUpperCase());
    }
  }

  const result: Invariants = { invariants, coverage, coveredIds, alertConvention: { tables: alertTables, sections: sectionAlerts } };
  cache.set(model, result);
  return result;
}

/** Ids of other things (decisions, PRs, tasks, versions) that head sections of invariants documents. */
const NOT_INVARIANT_ID = /^(?:adr|rfc|pr|mr|cap|inc|task|cve|gap|fm|jira|bug|issue|ticket)[-_.]|^v\d/i;

export function isInvariantId(id: string): boolean {
  return isDefiningId(id) && !NOT_INVARIANT_ID.test(id);
}

function looksLikeIdColumn(t: Table, col: number): boolean {
  if (!t.rows.length) return false;
  let ids = 0;
  for (const r of t.rows) if (isInvariantId(r.cells[col]?.text.trim() ?? '')) ids++;
  return ids >= Math.max(1, Math.ceil(t.rows.length * 0.6));
}
