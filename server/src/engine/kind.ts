/**
 * What kind of readiness document this is. Front matter `readiness: <kind>` wins, then the config's
 * globs, then the file name, then the title, then the folder, then the content. Anything else is
 * `other` and gets no findings.
 */
import picomatch from 'picomatch';
import type { Config } from './config.js';
import type { DocumentModel } from './model.js';
import { DOC_KINDS, type DocKind } from './types.js';
import { basename, dirname, relativePath } from './workspace.js';

type Source = DocumentModel['kindSource'];

const NAME_RULES: [RegExp, DocKind][] = [
  [/gap[-_ ]?analysis/i, 'gap-analysis'],
  [/(?:^|[-_ .])(?:gap[-_ ]?register|risk[-_ ]?register|gaps?|signal[-_ ]?ledger|risks?)(?:[-_ .]|$)/i, 'gap-register'],
  [/(?:^|[-_ .])(?:d?fmea|critical[-_ ]?items?(?:[-_ ]list)?|cil)(?:[-_ .]|$)/i, 'fmea'],
  [/invariants?/i, 'invariants'],
  [/(?:^|[-_ .])(?:slos?|sli|service[-_ ]?level[-_ ]?objectives?)(?:[-_ .]|$)/i, 'slo'],
  [/post[-_ ]?mortems?|(?:^|[-_ .])pm(?:[-_ .]|$)|^pm[-_ ]?\d{2,}|retrospective|(?:^|[-_ .])rca(?:[-_ .]|$)/i, 'postmortem'],
  [/runbook|playbook|game[-_ ]?day|drill/i, 'runbook'],
  [/incidents?(?![-_ ]?response)/i, 'incident'],
  [/checklist|scorecard|(?:^|[-_ .])prr(?:[-_ .]|$)|production[-_ ]?readiness|readiness[-_ ]?(?:review|audit|checklist)|launch[-_ ]?readiness/i, 'checklist'],
];

const TITLE_RULES: [RegExp, DocKind][] = [
  [/\bgap\s+register\b|\brisk\s+register\b|\bgap\s+tracker\b|\bsignal\s+ledger\b/i, 'gap-register'],
  [/\bfmea\b|\bfailure\s+modes?\b|\bcritical\s+items\s+list\b/i, 'fmea'],
  [/\binvariants?\b/i, 'invariants'],
  [/\bslos?\b|\bservice\s+level\s+objectives?\b/i, 'slo'],
  [/\bgap\s+analysis\b/i, 'gap-analysis'],
  [/\bpost[-\s]?mortem\b|\bpostmortem\b|\bincident\s+review\b|\bretrospective\b|\broot\s+cause\s+analysis\b/i, 'postmortem'],
  [/\brunbook\b|\bplaybook\b|\bgame\s*day\b|\bdrill\b/i, 'runbook'],
  [/\bincident\b/i, 'incident'],
  [/\bchecklist\b|\bscorecard\b|\breadiness\b|\bprr\b/i, 'checklist'],
];

const FOLDER_RULES: [RegExp, DocKind][] = [
  [/(?:^|\/)post[-_]?mortems?(?:\/|$)/i, 'postmortem'],
  [/(?:^|\/)incidents?(?:\/|$)/i, 'incident'],
  [/(?:^|\/)(?:runbooks?|playbooks?|game[-_]?days?)(?:\/|$)/i, 'runbook'],
  [/(?:^|\/)slos?(?:\/|$)/i, 'slo'],
  [/(?:^|\/)checklists?(?:\/|$)|readiness(?:\/|$)|prod[-_]readiness/i, 'checklist'],
  [/(?:^|\/)fmea(?:\/|$)/i, 'fmea'],
  [/(?:^|\/)(?:gaps|risks)(?:\/|$)/i, 'gap-register'],
  [/(?:^|\/)invariants(?:\/|$)/i, 'invariants'],
];

const globCache = new Map<string, (p: string) => boolean>();

function matchGlob(glob: string, rel: string): boolean {
  let m = globCache.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true, matchBase: !glob.includes('/') });
    globCache.set(glob, m);
  }
  return m(rel);
}

export function detectKind(model: DocumentModel, config: Config): { kind: DocKind; source: Source } {
  const fm = model.frontMatter?.data;
  if (fm && typeof fm === 'object' && !Array.isArray(fm)) {
    const v = (fm as Record<string, unknown>).readiness;
    if (typeof v === 'string' && (DOC_KINDS as readonly string[]).includes(v)) return { kind: v as DocKind, source: 'front-matter' };
    if (v === false || v === 'off' || v === 'none') return { kind: 'other', source: 'front-matter' };
  }
  const globs = Object.entries(config.kinds);
  if (globs.length) {
    const rel = relativePath(config.baseDir, model.path);
    for (const [glob, kind] of globs) if (matchGlob(glob, rel)) return { kind, source: 'config' };
  }
  const stem = basename(model.path).replace(/\.(?:md|markdown|mdown|mkd)$/i, '');
  for (const [re, kind] of NAME_RULES) if (re.test(stem)) return refine(model, kind, 'file-name');
  const title = model.title?.text ?? '';
  for (const [re, kind] of TITLE_RULES) if (title && re.test(title)) return refine(model, kind, 'title');
  const dir = dirname(model.path);
  for (const [re, kind] of FOLDER_RULES) if (re.test(dir)) return refine(model, kind, 'folder');
  return fromContent(model);
}

/** A hook for kinds that need the content to confirm them (none yet). */
function refine(model: DocumentModel, kind: DocKind, source: Source): { kind: DocKind; source: Source } {
  return { kind, source };
}

function fromContent(model: DocumentModel): { kind: DocKind; source: Source } {
  const t = model.tables;
  if (t.some((x) => x.roles.severity !== undefined && x.roles.occurrence !== undefined && x.roles.detection !== undefined)) return { kind: 'fmea', source: 'content' };
  if (t.some((x) => x.roles.id !== undefined && x.roles.rpn !== undefined)) return { kind: 'gap-register', source: 'content' };
  if (t.some((x) => x.roles.sli !== undefined && (x.roles.target !== undefined || x.roles.window !== undefined))) return { kind: 'slo', source: 'content' };
  // A write-up with the sections of a postmortem (or of an incident report).
  const heads = new Set(model.headings.map((h) => h.text.toLowerCase()));
  const has = (re: RegExp) => [...heads].some((h) => re.test(h));
  const timeline = has(/\btimeline\b/);
  const cause = has(/\broot causes?\b|\bcontributing factors?\b|\bwhat went wrong\b/);
  const actions = has(/\baction items?\b|\bfollow[- ]?ups?\b|\bcorrective actions?\b|\bremediation items?\b/);
  const impact = has(/\bimpact\b/);
  const summary = has(/\bsummary\b|\boverview\b|\btl;?dr\b/);
  if (timeline && [cause, actions, impact, summary].filter(Boolean).length >= 2 && (cause || actions)) return { kind: 'postmortem', source: 'content' };
  if (timeline && impact && summary) return { kind: 'incident', source: 'content' };
  // A scorecard: categories with scores.
  if (t.some((x) => x.roles.category !== undefined && x.roles.score !== undefined)) return { kind: 'checklist', source: 'content' };
  // A document that quotes RPNs of ids in prose (`G-003: … (RPN: 105)`) summarises a register.
  for (const line of model.prose) if (/\b[A-Z][A-Z0-9]*-\d+[A-Z0-9-]*\b[^|]*\bRPN\b\s*[:=]?\s*\d+/.test(line)) return { kind: 'summary', source: 'content' };
  return { kind: 'other', source: 'none' };
}
