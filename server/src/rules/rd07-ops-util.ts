/**
 * Helpers shared by the summary, file-claim, incident and owner rules (RD050–RD081): template detection,
 * section lookups by heading, action-item sections and owner hints in free text.
 */
import { isWithin, type DocumentModel, type ListItem, type Section, type Table } from '../engine/model.js';
import { normalizeHeader } from '../engine/roles.js';
import type { DocKind } from '../engine/types.js';
import { isBlankOwner } from '../engine/values.js';

export const INCIDENT_KINDS: readonly DocKind[] = ['incident', 'postmortem', 'runbook'];

/** The headings from the section up to the root, innermost first. */
export function headingChain(section: Section): string[] {
  const out: string[] = [];
  for (let s: Section | undefined = section; s; s = s.parent) if (s.heading) out.push(s.heading.text);
  return out;
}

/** True when the section or one of its ancestors is headed as a template or an example. */
export function inTemplateSection(section: Section): boolean {
  return headingChain(section).some((h) => /\b(?:templates?|examples?|samples?)\b/i.test(h));
}

/** Sections whose heading (normalised) satisfies a test, outermost first; nested matches are dropped. */
export function sectionsWhere(model: DocumentModel, test: (norm: string, s: Section) => boolean): Section[] {
  const out: Section[] = [];
  for (const s of model.sections) {
    if (!s.heading) continue;
    if (!test(normalizeHeader(s.heading.text), s)) continue;
    if (out.some((o) => isWithin(s, o))) continue;
    out.push(s);
  }
  return out;
}

const ACTION_HEADING =
  /\b(?:action items?|action plan|(?:follow ?ups?|followups?)(?! (?!items|actions|tasks|and\b)[a-z])|follow up (?:items|actions|tasks)|corrective (?:and preventive )?actions?|preventive actions?|preventative actions?|capa|remediation (?:items|actions|plan|tasks)|open actions|actions to take)\b/;
const PAST_ACTIONS = /\b(?:taken|done|completed|performed|review|reviewed|we changed)\b/;

/**
 * Sections that hold the document's action items: `Action items`, `Follow-ups`, `Corrective actions`,
 * `Remediation items`, and `Next steps` in incidents and postmortems. Sections of past actions (`Actions
 * taken`) and template or example sections are not action-item sections.
 */
export function actionSections(model: DocumentModel): Section[] {
  return sectionsWhere(model, (n, s) => {
    if (PAST_ACTIONS.test(n) || inTemplateSection(s)) return false;
    if (ACTION_HEADING.test(n)) return true;
    return model.kind !== 'runbook' && /^(?:next steps|actions)$/.test(n);
  });
}

/** Top-level list items of a section tree (the shallowest depth found there), in order. */
export function topListItems(model: DocumentModel, section: Section): ListItem[] {
  const inside = model.listItems.filter((li) => isWithin(li.section, section));
  if (!inside.length) return [];
  const min = Math.min(...inside.map((li) => li.depth));
  return inside.filter((li) => li.depth === min);
}

/** Tables inside a section tree. */
export function tablesIn(model: DocumentModel, section: Section): Table[] {
  return model.tables.filter((t) => isWithin(t.section, section));
}

/** The lines a list item spans: its own line and the lines below it up to the next item at its depth or above. */
const itemIndex = new WeakMap<DocumentModel, Map<ListItem, number>>();

export function itemExtent(model: DocumentModel, li: ListItem): { from: number; to: number } {
  let idx = itemIndex.get(model);
  if (!idx) {
    idx = new Map(model.listItems.map((x, i) => [x, i]));
    itemIndex.set(model, idx);
  }
  let next: ListItem | undefined;
  for (let i = (idx.get(li) ?? -1) + 1; i < model.listItems.length; i++) {
    const o = model.listItems[i]!;
    if (o.line > li.line && o.depth <= li.depth) {
      next = o;
      break;
    }
  }
  let to = (next ? next.line : li.section.endLine + 1) - 1;
  // Stop at the first non-indented, non-blank line that is not part of the item.
  const lines = model.lines.lines;
  const indent = (lines[li.line]!.match(/^\s*/)?.[0].length ?? 0) + 1;
  for (let l = li.line + 1; l <= to; l++) {
    const t = lines[l]!;
    if (!t.trim()) continue;
    if ((t.match(/^\s*/)?.[0].length ?? 0) < indent) {
      to = l - 1;
      break;
    }
  }
  return { from: li.line, to: Math.max(li.line, to) };
}

export const HANDLE = /(?<![\w.@/])@[A-Za-z0-9](?:[\w.-]*[\w])?(?:\/[A-Za-z0-9](?:[\w.-]*[\w])?)?/g;

/** An owner named by a label (`Owner: X`, `(owner: X)`, `assignee: X`): the value, or undefined. */
export function labelledOwner(text: string): { value: string; index: number } | undefined {
  const m = /\b(?:owners?|assignees?|assigned to|dri|responsible|who)\s*[:=]\s*([^,;)\]|]*)/i.exec(text);
  if (!m) return undefined;
  return { value: m[1]!.trim(), index: m.index + m[0].length - m[1]!.length };
}

const NOT_OWNER_WORDS =
  /^(?:optional|required|done|open|closed|wip|in progress|pending|blocked|ongoing|complete|completed|planned|p[0-4]|sev ?\d|high|medium|low|critical|minor|major|see below|see above|draft|tbd|todo|none|n\/a|etc|e\.g\.|i\.e\.|if needed|if any|stretch|nice to have|must have|this week|next week|next sprint|today|tomorrow)$/i;

function nameLike(s: string): boolean {
  const t = s.trim();
  if (!t || t.length > 40 || /\d/.test(t) || NOT_OWNER_WORDS.test(t)) return false;
  const words = t.split(/\s+/);
  if (words.length > 4) return false;
  // Every word capitalised (`Platform Team`, `SRE`, `Alice`), or a team/role noun (`platform team`, `on-call`).
  if (words.every((w) => /^[A-Z][\p{L}&.'-]*$/u.test(w) || /^(?:and|&|of|the|\/)$/.test(w))) return true;
  return /\b(?:team|squad|guild|on-?call|sre|ops|devops|lead|owner|eng|engineering|oncall|platform|security|infra|dba)\b/i.test(t);
}

export type OwnerHint = { kind: 'named'; text: string } | { kind: 'blank'; text: string } | undefined;

/**
 * Who a free-text action item names as its owner: an @handle, a labelled owner (`Owner: X`), a trailing
 * `— Team` or `(Alice)`. A labelled owner that names nobody (`Owner: TBD`) is `blank`.
 */
export function ownerHint(text: string): OwnerHint {
  HANDLE.lastIndex = 0;
  const h = HANDLE.exec(text);
  if (h) return { kind: 'named', text: h[0] };
  const lab = labelledOwner(text);
  if (lab) return isBlankOwner(lab.value) || /^[<[{]/.test(lab.value) ? { kind: 'blank', text: lab.value } : { kind: 'named', text: lab.value };
  const t = text.trim().replace(/[.;]+$/, '');
  // `… — Platform team`, `… — Messaging team, due 2026-06-10`, `… - SRE (by Friday)`.
  const dash = /\s[—–-]{1,2}\s*([^—–]{1,80})$/.exec(t);
  const who = dash ? dash[1]!.split(/[,;(]/)[0]!.trim() : '';
  if (who && nameLike(who)) return { kind: 'named', text: who };
  const paren = /\(([^()]{1,40})\)$/.exec(t);
  if (paren && nameLike(paren[1]!)) return { kind: 'named', text: paren[1]!.trim() };
  const brack = /^\[([^\]]{1,40})\]\s/.exec(t);
  if (brack && nameLike(brack[1]!) && !/^[ xX]$/.test(brack[1]!)) return { kind: 'named', text: brack[1]!.trim() };
  return undefined;
}

/** Number words a document may use for counts. */
export const NUMBER_WORDS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen',
  'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];

export function numberValue(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const i = NUMBER_WORDS.indexOf(s.toLowerCase());
  return i >= 0 ? i : undefined;
}

/** Writes `n` the way `like` was written: digits, or a number word with the same capitalisation. */
export function formatLike(n: number, like: string): string {
  if (/^\d+$/.test(like) || n > 20) return String(n);
  const w = NUMBER_WORDS[n]!;
  if (like === like.toUpperCase()) return w.toUpperCase();
  if (like[0] === like[0]!.toUpperCase()) return w[0]!.toUpperCase() + w.slice(1);
  return w;
}

/** Naive English singular of a lower-case noun (`categories` → `category`, `gaps` → `gap`). */
export function singular(w: string): string {
  const t = w.toLowerCase();
  if (/ies$/.test(t) && t.length > 4) return t.slice(0, -3) + 'y';
  if (/(?:ches|shes|sses|xes)$/.test(t)) return t.slice(0, -2);
  if (t === 'criteria') return 'criterion';
  if (/s$/.test(t) && !/ss$/.test(t) && t.length > 2) return t.slice(0, -1);
  return t;
}
