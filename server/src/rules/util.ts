/** Helpers several rules share: link resolution, heading anchors, messages. */
import type { DocumentModel, Link } from '../engine/model.js';
import type { Report } from '../engine/rule.js';
import type { RuleContext } from '../engine/rule.js';
import { basename, dirname, isInside, joinPath, normalizePath } from '../engine/workspace.js';

export type LinkStatus =
  | { status: 'external' } // http(s), mailto, other schemes: not checked
  | { status: 'ok'; path: string }
  | { status: 'missing'; path: string }
  | { status: 'outside'; path: string } // climbs out of the workspace: reported, never read
  | { status: 'anchor-missing'; path: string; anchor: string }
  | { status: 'unknown' }; // no workspace to check against, or not a path

/** GitHub-style slug of a heading: lower case, punctuation dropped, spaces to dashes. */
export function slugify(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a Markdown text offers: heading slugs (with -1, -2 for repeats) and explicit ids. */
export function markdownAnchors(text: string): Set<string> {
  const out = new Set<string>();
  const counts = new Map<string, number>();
  let fence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const plain = h[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '').replace(/[*_]/g, '');
      const base = slugify(plain);
      const n = counts.get(base) ?? 0;
      counts.set(base, n + 1);
      out.add(n ? `${base}-${n}` : base);
    }
    for (const m of line.matchAll(/<a\s+(?:name|id)=["']([^"']+)["']/gi)) out.add(m[1]!);
  }
  return out;
}

/** Anchors of other documents, per workspace view while its generation holds. */
const anchorCache = new WeakMap<object, { generation: number | undefined; byPath: Map<string, Set<string>> }>();

function anchorsOf(ctx: RuleContext, path: string): Set<string> | undefined {
  if (path === ctx.model.path) return markdownAnchors(ctx.model.text);
  const ws = ctx.workspace;
  if (!ws) return undefined;
  let memo = anchorCache.get(ws);
  if (!memo || memo.generation !== ws.generation) {
    memo = { generation: ws.generation, byPath: new Map() };
    anchorCache.set(ws, memo);
  }
  const cache = memo.byPath;
  let a = cache.get(path);
  if (!a) {
    const t = ws.readText(path);
    if (t === undefined) return undefined;
    a = markdownAnchors(t);
    cache.set(path, a);
  }
  return a;
}

/** Strips a `:123` line suffix and a trailing period or comma from a path written in prose. */
function cleanTarget(target: string): string {
  return target.trim().replace(/^<|>$/g, '').replace(/[.,;]+$/, '').replace(/:(\d+)(?::\d+)?$/, '');
}

/**
 * Resolves a link or path against the document's folder (or the workspace root for `/x` and for
 * repo-root paths such as `docs/x.md` that do not exist beside the document). Nothing outside the
 * workspace root is ever looked at.
 */
export function resolveLink(ctx: RuleContext, link: Pick<Link, 'target' | 'form'>): LinkStatus {
  const ws = ctx.workspace;
  // A link into the document itself depends on its text: read every time.
  if (!ws || link.target.startsWith('#')) return resolveLinkOnce(ctx, link);
  let memo = linkMemos.get(ws);
  if (!memo || memo.generation !== ws.generation) {
    memo = { generation: ws.generation, byPath: new Map() };
    linkMemos.set(ws, memo);
  }
  let byTarget = memo.byPath.get(ctx.model.path);
  if (!byTarget) {
    if (memo.byPath.size >= LINK_MEMO_PATHS) memo.byPath.clear();
    byTarget = new Map();
    memo.byPath.set(ctx.model.path, byTarget);
  }
  const key = link.form === 'code-path' ? `\u0000${link.target}` : link.target;
  let r = byTarget.get(key);
  if (r === undefined) {
    r = resolveLinkOnce(ctx, link);
    // Same-document anchors (`?x#y`, `./this.md#y`) depend on the text: not kept.
    if (r.status !== 'unknown' && 'path' in r && r.path === ctx.model.path) return r;
    if (byTarget.size >= LINK_MEMO_TARGETS) byTarget.clear();
    byTarget.set(key, r);
  }
  return r;
}

/**
 * What each link target of a document resolved to, per workspace view while its generation holds: a
 * register links the same few evidence files thousands of times, and an edit relints it whole.
 */
const linkMemos = new WeakMap<object, { generation: number | undefined; byPath: Map<string, Map<string, LinkStatus>> }>();
const LINK_MEMO_PATHS = 256;
const LINK_MEMO_TARGETS = 20_000;

function resolveLinkOnce(ctx: RuleContext, link: Pick<Link, 'target' | 'form'>): LinkStatus {
  let target = cleanTarget(link.target);
  if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target)) return { status: 'external' };
  if (target.startsWith('//')) return { status: 'external' };
  let anchor: string | undefined;
  const hash = target.indexOf('#');
  if (hash >= 0) {
    anchor = decodeSafe(target.slice(hash + 1));
    target = target.slice(0, hash);
  }
  target = decodeSafe(target.replace(/\?.*$/, ''));
  const model = ctx.model;
  if (!target) {
    if (!anchor) return { status: 'unknown' };
    const anchors = markdownAnchors(model.text);
    return anchors.has(anchor.toLowerCase()) || anchors.has(anchor) ? { status: 'ok', path: model.path } : { status: 'anchor-missing', path: model.path, anchor };
  }
  const ws = ctx.workspace;
  const root = ws?.root;
  // No workspace, or a document outside it: nothing to check against.
  if (!ws || !root || !isInside(root, model.path)) return { status: 'unknown' };
  const here = dirname(model.path);
  const candidates = target.startsWith('/') ? [joinPath(root, target.replace(/^\/+/, ''))] : [joinPath(here, target)];
  // Repo-root-relative paths are common in registers (`docs/runbooks/x.md`): try the root too.
  if (!target.startsWith('/') && !/^\.\.?\//.test(target)) candidates.push(joinPath(root, target));
  let found: string | undefined;
  let outside: string | undefined;
  for (const c of candidates) {
    const p = normalizePath(c);
    if (!isInside(root, p)) {
      outside ??= p;
      continue;
    }
    if (ws.stat(p)) {
      found = p;
      break;
    }
  }
  if (!found) {
    if (outside && candidates.every((c) => !isInside(root, normalizePath(c)))) return { status: 'outside', path: outside };
    // A bare file name in backticks (`check_ledger.py`) names a file somewhere in the repository, not
    // a path beside the document: it cannot be judged missing.
    if (link.form === 'code-path' && !target.includes('/')) return { status: 'unknown' };
    return { status: 'missing', path: normalizePath(candidates[0]!) };
  }
  if (anchor && /\.(?:md|markdown)$/i.test(found) && ws.stat(found) === 'file') {
    const anchors = anchorsOf(ctx, found);
    if (anchors && !anchors.has(anchor.toLowerCase()) && !anchors.has(anchor)) return { status: 'anchor-missing', path: found, anchor };
  }
  return { status: 'ok', path: found };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A path relative to the workspace root, for messages. */
export function displayPath(ctx: RuleContext, p: string): string {
  const root = ctx.workspace?.root;
  return root && isInside(root, p) ? p.slice(root.length + 1) || '.' : p;
}

/** True when the line is inside code, HTML, comments or quotes (not prose). */
export function isMasked(model: DocumentModel, line: number): boolean {
  return model.masked[line] === true;
}

/** `n` followed by the noun, pluralised naively: `1 row`, `3 rows`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Reports link findings, unless the document is being read outside the repository it describes: when
 * three or more paths are missing and not one resolves, one information finding says so instead of an
 * error per path (other findings, such as links that leave the workspace, are still reported).
 */
/** Reports made on demand: a rule may count thousands of missing paths that end up as one summary. */
export interface ReportList {
  readonly length: number;
  first(): Report;
  all(): readonly Report[];
}

export function reportLinkFindings(ctx: RuleContext, missingReports: readonly Report[] | ReportList, other: readonly Report[], resolved: number, what: string, unjudged = 0): void {
  const missing: ReportList = Array.isArray(missingReports)
    ? { length: missingReports.length, first: () => missingReports[0]!, all: () => missingReports }
    : (missingReports as ReportList);
  // A document outside the workspace root cannot have its relative paths judged at all.
  const root = ctx.workspace?.root;
  if (!root || !isInside(root, ctx.model.path)) return;
  // `unjudged`: bare file names that could not be looked up; with nothing resolving they count as
  // evidence that the repository is not here either.
  const unresolved = missing.length + unjudged;
  if (missing.length && unresolved >= 3 && resolved === 0) {
    // Outside any repository (a folder of copied documents) there is nothing to act on: say nothing.
    if (ctx.workspace?.repository === false) {
      for (const r of other) ctx.report(r);
      return;
    }
    ctx.report({
      range: missing.first().range,
      severity: 'info',
      message: `None of the ${unresolved} ${what} in this document exist in the workspace (${ctx.workspace?.root ?? 'no root'}); is this the repository it describes? Lint from the repository root to check them.`,
    });
  } else for (const r of missing.all()) ctx.report(r);
  for (const r of other) ctx.report(r);
}

/** A value that only holds a template placeholder (`TBD`, `<name>`, `[Date]`, `YYYY-MM-DD`, `{{x}}`). */
export function isPlaceholderValue(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  return (
    /^(?:tbd|tba|tbc|todo|xxx+|\.\.\.|…|n\/a\?)$/i.test(t) ||
    /^<[^<>]{1,40}>$/.test(t) ||
    /^\[[^\]]{1,40}\]$/.test(t) ||
    /^\{\{[^}]*\}\}$/.test(t) ||
    /^(?:YYYY[-/.]MM[-/.]DD|DD[-/.]MM[-/.]YYYY|MM\/DD\/YYYY|HH:MM(?::SS)?)(?:\s+HH:MM)?$/.test(t)
  );
}

const templateCache = new WeakMap<DocumentModel, boolean>();

/**
 * True when the document is a template to be filled in, not a filled document: its file name, folder or
 * title says template, its front matter is a GitHub issue template's (`name` + `about`), or most of its
 * fields, cells and list items are empty or placeholders.
 */
export function isTemplateDoc(model: DocumentModel): boolean {
  const cached = templateCache.get(model);
  if (cached !== undefined) return cached;
  const v = computeTemplate(model);
  templateCache.set(model, v);
  return v;
}

function computeTemplate(model: DocumentModel): boolean {
  // The file name, or the folder holding it (`.github/ISSUE_TEMPLATE/`, `docs/templates/`).
  if (/template/i.test(basename(model.path)) || /template/i.test(basename(dirname(model.path)))) return true;
  if (model.title && /\btemplates?\b/i.test(model.title.text)) return true;
  const fm = model.frontMatter?.data;
  if (fm && typeof fm === 'object' && !Array.isArray(fm)) {
    const d = fm as Record<string, unknown>;
    if ('name' in d && 'about' in d) return true;
    if (d.template === true) return true;
  }
  let slots = 0;
  let blank = 0;
  for (const f of model.fieldLines) {
    slots++;
    if (!f.text.trim() || isPlaceholderValue(f.text)) blank++;
  }
  for (const t of model.tables) {
    for (const r of t.rows) {
      for (const c of r.cells) {
        slots++;
        if (!c.text || isPlaceholderValue(c.text)) blank++;
      }
    }
  }
  for (const li of model.listItems) {
    slots++;
    if (!li.text.trim() || isPlaceholderValue(li.text)) blank++;
  }
  return slots >= 4 && blank * 2 >= slots;
}

