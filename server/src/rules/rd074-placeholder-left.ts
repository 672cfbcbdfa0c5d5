import type { DocumentModel } from '../engine/model.js';
import { sectionAt } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { range } from '../engine/text.js';
import { statusClass } from '../engine/values.js';
import { INCIDENT_KINDS, actionSections, inTemplateSection } from './rd07-ops-util.js';
import { isTemplateDoc } from './util.js';
import { isWithin } from '../engine/model.js';

/** HTML elements people write in Markdown; anything else in angle brackets is a placeholder. */
const HTML_TAGS = new Set(
  (
    'a abbr b big blockquote br caption center cite code col dd del details dfn div dl dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img ' +
    'ins kbd li mark ol p picture pre q s samp small source span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var video wbr ' +
    'address area article aside audio base bdi bdo body button canvas data datalist dialog embed fieldset footer form head header hgroup html ' +
    'iframe input label legend link main map menu meta meter nav noscript object optgroup option output param path progress rp rt ruby script ' +
    'section select slot style svg template textarea time title track'
  ).split(' '),
);

/** Angle-bracket placeholders that are instructions anywhere: `<fill in>`, `<description>`, `<your name>`. */
const INSTRUCTION =
  /^(?:fill(?: in| me)?|describe\b.*|description|insert\b.*|add\b.*|enter\b.*|your\b.*|todo|tbd|summary|details|explain\b.*|list\b.*|provide\b.*|write\b.*|link(?: to\b.*)?|date|time|owner|name|team|value|impact|root cause)$/i;

/** Bracketed instructions: `[Describe the impact]`, `[Insert link]`, `[Owner]`, `[Date]`. `[Team vote]` is not one. */
const BRACKET_INSTRUCTION =
  /^(?:describe|insert|add|enter|fill(?: in)?|list|explain|summari[sz]e|recap|provide|include|paste|write|specify|replace|link to|todo|tbd)\b|^(?:name|owner|date|time|timestamp|link|url|details|description|summary|team|team name|service|service name|your name|person|assignee|value|impact|root cause|n)$/i;

interface Hit {
  start: number;
  end: number;
  token: string;
}

/** Offsets of inline code spans and HTML comments on a raw line. */
function excludedSpans(raw: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of raw.matchAll(/(`+)[^`]*?\1(?!`)/g)) out.push([m.index!, m.index! + m[0].length]);
  for (const m of raw.matchAll(/<!--.*?(?:-->|$)/g)) out.push([m.index!, m.index! + m[0].length]);
  return out;
}

function inside(spans: [number, number][], s: number, e: number): boolean {
  return spans.some(([a, b]) => s >= a && e <= b);
}

/** Placeholders on one line; `proseLine` has code, comments and HTML blanked out, `raw` is the line as written. */
export function findPlaceholders(raw: string, proseLine: string, opts: { angleAnywhere: boolean; tbd: boolean }): Hit[] {
  const hits: Hit[] = [];
  const add = (start: number, token: string) => {
    if (!hits.some((h) => start < h.end && h.start < start + token.length)) hits.push({ start, end: start + token.length, token });
  };
  if (opts.tbd) {
    for (const m of proseLine.matchAll(/\b(?:TBD|TBA|TBC)\b/g)) add(m.index!, m[0]);
    for (const m of proseLine.matchAll(/\bTODO\b(?=\s*:|\s*$|\s*[|)\]])/g)) add(m.index!, m[0]);
    for (const m of proseLine.matchAll(/(?<=:\s*|\|\s*)\?{3,}(?=\s*(?:$|\|))/g)) add(m.index!, m[0]);
  }
  for (const m of proseLine.matchAll(/\b(?:YYYY[-/.]MM[-/.]DD|DD[-/.]MM[-/.]YYYY|MM\/DD\/YYYY|HH:MM(?::SS)?)\b/g)) add(m.index!, m[0]);
  for (const m of proseLine.matchAll(/\{\{[^{}]{0,60}\}\}/g)) add(m.index!, m[0]);
  for (const m of proseLine.matchAll(/(?<![\w.])(?:[A-Z]+-)?X{3,}\b/g)) add(m.index!, m[0]);
  for (const m of proseLine.matchAll(/(?<![!\]\\])\[([^\][\n]{1,60})\](?![(\[:])/g)) {
    const inner = m[1]!.trim();
    if (/^[ xX]$/.test(inner) || inner.startsWith('^')) continue;
    if (BRACKET_INSTRUCTION.test(inner)) add(m.index!, m[0]);
  }
  // Angle brackets: read from the raw line (the prose has them blanked as HTML), outside code and comments.
  if (raw.includes('<')) {
    const spans = excludedSpans(raw);
    for (const m of raw.matchAll(/(?<![\w<])<([A-Za-z][\w .'/-]{0,40}?)>/g)) {
      const inner = m[1]!.trim();
      const tag = inner.split(/[\s/]/)[0]!.toLowerCase();
      if (HTML_TAGS.has(tag) || /^\/?[a-z]+\s+[\w-]+=/.test(inner) || /^https?:/i.test(inner) || /@/.test(inner)) continue;
      if (inside(spans, m.index!, m.index! + m[0].length)) continue;
      if (INSTRUCTION.test(inner) || (opts.angleAnywhere && /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/.test(inner))) add(m.index!, m[0]);
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

function blankSpans(raw: string, spans: [number, number][]): string {
  let out = raw;
  for (const [a, b] of spans) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  return out;
}

/**
 * Lines the model masks as an HTML block although the block opens with a placeholder, not an element
 * (`<describe the impact>` alone on a line starts a CommonMark HTML block that runs to the next blank line).
 */
function placeholderHtmlLines(model: DocumentModel): Set<number> {
  const out = new Set<number>();
  const lines = model.lines.lines;
  const fm = model.frontMatter;
  let fence: string | undefined;
  let block = false;
  for (let l = 0; l < lines.length; l++) {
    const t = lines[l]!;
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(t);
    if (f) {
      if (!fence) fence = f[1]![0]!.repeat(f[1]!.length);
      else if (t.trim().startsWith(fence)) fence = undefined;
      block = false;
      continue;
    }
    if (fence || (fm && l >= fm.startLine && l <= fm.endLine)) continue;
    if (!t.trim()) {
      block = false;
      continue;
    }
    if (!model.masked[l]) {
      block = false;
      continue;
    }
    if (block) {
      out.add(l);
      continue;
    }
    const m = /^ {0,3}<([A-Za-z][\w-]*)(?=[\s>])/.exec(t);
    if (m && !HTML_TAGS.has(m[1]!.toLowerCase()) && m[1]!.toLowerCase() !== 'math') {
      block = true;
      out.add(l);
    }
  }
  return out;
}

/** An incident still being worked on: `TBD` is an honest answer there. */
function openIncident(model: DocumentModel): boolean {
  if (model.kind !== 'incident') return false;
  const status = model.fieldLines.find((f) => f.role === 'status' && f.section === model.root || f.role === 'status' && /^status$/i.test(f.key));
  return status ? statusClass(status.text) === 'open' : false;
}

/**
 * RD074: template placeholders left in a filled incident, postmortem or runbook: `TBD`, `TODO:`, `<fill in>`,
 * `<description>`, `YYYY-MM-DD`, `{{…}}`, `[Describe …]`-style bracketed instructions, `XXX`. Not in a
 * document that is itself a template, not in code, HTML comments or quotes, not in sections headed
 * template or example, and not in action-item owner and due cells (RD072 and RD073 report those).
 */
export const rd074: Rule = {
  meta: {
    id: 'RD074',
    name: 'placeholder-left',
    description: 'A template placeholder (TBD, <fill in>, YYYY-MM-DD, {{…}}) is left in a filled incident, postmortem or runbook.',
    defaultSeverity: 'warning',
    kinds: INCIDENT_KINDS,
  },
  check(ctx) {
    const model = ctx.model;
    if (isTemplateDoc(model)) return;
    const tbd = !openIncident(model);
    // Owner and due cells of action tables are judged by RD072/RD073.
    const skip = new Map<number, [number, number][]>();
    const actions = actionSections(model);
    for (const t of model.tables) {
      if (!actions.some((s) => isWithin(t.section, s))) continue;
      for (const r of t.rows) {
        for (const role of ['owner', 'due'] as const) {
          const i = t.roles[role];
          const c = i !== undefined ? r.cells[i] : undefined;
          if (c) skip.set(r.line, [...(skip.get(r.line) ?? []), [c.range.start.character, c.range.end.character]]);
        }
      }
    }
    for (const f of model.fieldLines) {
      if ((f.role === 'owner' || f.role === 'due') && actions.some((s) => isWithin(f.section, s))) {
        skip.set(f.line, [...(skip.get(f.line) ?? []), [f.valueRange.start.character, f.valueRange.end.character]]);
      }
    }
    const pseudo = placeholderHtmlLines(model);
    for (let l = 0; l < model.lines.lineCount; l++) {
      let proseLine = model.prose[l]!;
      if (model.masked[l]) {
        // A line CommonMark reads as an HTML block only because it starts with `<describe …>`.
        if (!pseudo.has(l)) continue;
        proseLine = blankSpans(model.lines.lines[l]!, excludedSpans(model.lines.lines[l]!)).replace(/<[^<>]*>/g, (x) => ' '.repeat(x.length));
      }
      const raw = model.lines.lines[l]!;
      if (!proseLine.trim() && !raw.includes('<')) continue;
      if (inTemplateSection(sectionAt(model, l))) continue;
      const hits = findPlaceholders(raw, proseLine, { angleAnywhere: model.kind !== 'runbook', tbd });
      for (const h of hits) {
        if (inside(skip.get(l) ?? [], h.start, h.end)) continue;
        ctx.report({
          range: range(l, h.start, l, h.end),
          message: `Template placeholder ${h.token} is left in this ${model.kind}; replace it with the real value or remove it.`,
        });
      }
    }
  },
};
