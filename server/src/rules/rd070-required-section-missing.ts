import type { DocumentModel, Section } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { normalizeHeader } from '../engine/roles.js';
import { range } from '../engine/text.js';
import { basename } from '../engine/workspace.js';
import { findDates } from '../engine/dates.js';
import { isTemplateDoc } from './util.js';
import { DEFAULT_REQUIRED_SECTIONS } from '../engine/config.js';
import { DOC_KINDS, type DocKind } from '../engine/types.js';

/**
 * Headings that stand for a required section, by the section's canonical name (normalised). A heading
 * satisfies a name when it contains the name or one of its synonyms as whole words.
 */
const SYNONYMS: Record<string, string[]> = {
  summary: ['summary', 'overview', 'tl dr', 'tldr', 'executive summary', 'what happened', 'description', 'abstract', 'synopsis', 'incident summary'],
  impact: ['impact', 'customer impact', 'user impact', 'business impact', 'blast radius', 'who was affected', 'users affected', 'affected users', 'affected services'],
  timeline: ['timeline', 'chronology', 'sequence of events', 'timeline of events', 'event log'],
  'root cause': ['root cause', 'root causes', 'root cause analysis', 'rca', 'cause', 'causes', 'what went wrong', 'why it happened', 'contributing factors', 'causal analysis'],
  'action items': [
    'action items', 'action item', 'actions', 'action plan', 'follow ups', 'follow up', 'followups', 'followup', 'corrective actions',
    'corrective action', 'preventive actions', 'preventative actions', 'capa', 'remediation', 'remediations', 'next steps',
    'what we changed', 'what we are changing', 'prevention', 'tech debt',
  ],
};

/** Words in a summary that state the impact, so a short report with no Impact heading still has one. */
const IMPACT_WORDS = /\b(?:impact(?:ed|s)?|downtime|outage|affected|degraded|degradation|unavailable|data loss|users?|customers?|blocked|errors?)\b/i;

function containsWords(hay: string, needle: string): boolean {
  if (!needle) return false;
  return ` ${hay} `.includes(` ${needle} `);
}

function synonymsOf(name: string): string[] {
  const n = normalizeHeader(name);
  return [n, ...(SYNONYMS[n] ?? [])].filter(Boolean);
}

/** Labels written as fields (`**Impact:** …`, `Root cause: …`) anywhere in the prose. */
function fieldLabels(model: DocumentModel): string[] {
  const out = model.fieldLines.map((f) => f.keyNorm);
  for (const line of model.prose) {
    if (!line.includes(':')) continue;
    for (const m of line.matchAll(/(?:\*\*|__)([^*_:]{1,40}?):?(?:\*\*|__)\s*:?/g)) out.push(normalizeHeader(m[1]!));
  }
  return out;
}

const KIND_LABEL: Record<DocKind, string> = {
  'gap-register': 'Gap register',
  fmea: 'FMEA',
  invariants: 'Invariants document',
  slo: 'SLO document',
  checklist: 'Checklist',
  'gap-analysis': 'Gap analysis',
  incident: 'Incident report',
  postmortem: 'Postmortem',
  runbook: 'Runbook',
  summary: 'Summary',
  other: 'Document',
};

function orList(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

/** An incident report says when it happened; a document about incidents in general (a policy, a process) need not. */
function mentionsADate(model: DocumentModel): boolean {
  if (model.title && findDates(model.title.text).length) return true;
  return model.prose.some((l) => /\b\d{1,2}:\d{2}\b/.test(l) || (/\d{4}/.test(l) && findDates(l).length > 0));
}

/** A log of many incidents (a table, one row each) is not one incident report. */
function isIncidentLog(model: DocumentModel): boolean {
  const title = model.title?.text ?? '';
  const named = /\b(?:log|logs|register|tracker|index|list|history|catalog(?:ue)?)\b/i.test(title) || /(?:^|[-_ .])(?:log|index|list)(?:[-_ .]|$)/i.test(basename(model.path));
  return named && model.tables.some((t) => t.rows.length >= 2 && (t.roles.time !== undefined || t.roles.id !== undefined));
}

/**
 * RD070: an incident, postmortem or runbook lacks sections its kind requires (`requiredSections`;
 * postmortem Summary, Impact, Timeline, Root cause, Action items; incident Summary, Impact, Timeline).
 * Headings match tolerantly: `TL;DR` is a summary, `Root Cause Analysis` a root cause, `Follow-ups` the
 * action items; a `**Impact:**` field or a summary that states the impact counts as the Impact.
 */
export const rd070: Rule = {
  meta: {
    id: 'RD070',
    name: 'required-section-missing',
    description: 'A document lacks a section its kind requires (postmortems: Summary, Impact, Timeline, Root cause, Action items).',
    defaultSeverity: 'warning',
    kinds: DOC_KINDS.filter((k) => k !== 'other'),
  },
  check(ctx) {
    const model = ctx.model;
    const required = ctx.config.requiredSections[model.kind] ?? [];
    if (!required.length) return;
    // A template is a form to fill in, not a write-up: its structure is the team's to choose.
    if (isTemplateDoc(model)) return;
    if (model.kind === 'incident' && (isIncidentLog(model) || !mentionsADate(model))) return;
    const isH1Title = (h: unknown) => h === model.title && model.title?.depth === 1 && model.headings.length > 1;
    const headings = model.headings.filter((h) => !isH1Title(h)).map((h) => normalizeHeader(h.text));
    const labels = fieldLabels(model);
    const has = (name: string) => synonymsOf(name).some((syn) => headings.some((h) => containsWords(h, syn)));
    const hasLabel = (name: string) => synonymsOf(name).some((syn) => labels.includes(syn));
    const summarySection = (): Section | undefined =>
      model.sections.find((s) => s.heading && !isH1Title(s.heading) && synonymsOf('summary').some((syn) => containsWords(normalizeHeader(s.heading!.text), syn)));
    const missing: string[] = [];
    for (const name of required) {
      if (has(name) || hasLabel(name)) continue;
      if (normalizeHeader(name) === 'impact') {
        const s = summarySection();
        if (s && model.prose.slice(s.startLine, s.endLine + 1).some((l) => IMPACT_WORDS.test(l))) continue;
      }
      missing.push(name);
    }
    // Fewer than two of the usual sections: the document follows another structure or language
    // (`## Resumo`, `## Linha do tempo`), or is a project retrospective rather than an incident write-up
    // ("What went well", "Challenges"); a list of headings it lacks is nothing its authors can act on.
    // (When a team configured its own list, it is checked whatever the document looks like.)
    const isDefault = (DEFAULT_REQUIRED_SECTIONS[model.kind] ?? []).join('|') === required.join('|');
    if (!missing.length || (isDefault && required.length - missing.length < Math.min(2, required.length - 1))) return;
    const what = KIND_LABEL[model.kind];
    const title = model.title && model.title.depth === 1 ? model.title : undefined;
    ctx.report({
      range: title ? title.textRange : range(0, 0, 0, model.lines.lines[0]?.length ?? 0),
      message: `${what} has no ${orList(missing)} section; its kind requires ${required.join(', ')}.`,
    });
  },
};
