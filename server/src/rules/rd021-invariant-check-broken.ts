/**
 * RD021 invariant-check-broken: the check an invariant points to does not exist. A link or path in an
 * Enforcement/Test field (or a coverage table) that resolves to nothing in the workspace, or a test it
 * names (`tests/x.py::test_y`, `path.rs#test_y`, `` `test_y` in `tests/x.py` ``, `[test_y](tests/x.py)`)
 * that does not appear in that file's text. Links that climb out of the workspace are reported, never read.
 */
import type { Link } from '../engine/model.js';
import type { Report, Rule, RuleContext } from '../engine/rule.js';
import type { Range } from '../engine/types.js';
import { range } from '../engine/text.js';
import { invariantsOf, type InvField } from './kd-invariants.js';
import { isPlaceholderPath } from './kd-util.js';
import { isTemplateDoc, reportLinkFindings } from './util.js';
import { displayPath, resolveLink } from './util.js';

interface NamedRef {
  /** The path as written. */
  target: string;
  /** Where to report a missing file. */
  range: Range;
  names: { name: string; range: Range }[];
  form: Link['form'];
}

const CODE_EXT = 'py|rs|go|ts|tsx|js|jsx|mjs|cjs|rb|java|kt|kts|ex|exs|erl|hrl|cs|cpp|cc|cxx|c|h|hpp|php|swift|scala|sol|move|lua|sh|sql';
const PYTEST = new RegExp(`((?:\\.{1,2}\\/)?[\\w@.\\/-]+\\.(?:${CODE_EXT}))::((?:\\w+::)*\\w+)`, 'g');
const NAME_IN = /`([A-Za-z_]\w*)`((?:\s*(?:,|and|&)\s*`[A-Za-z_]\w*`)*)\s+in\s+(?:`([^`\s]+)`|\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\))/g;
const BARE_NAME_IN = /\b(test_\w+|\w+_test|test[A-Z]\w*)\s+in\s+`?((?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.-]+)+|[\w@.-]+\.\w{1,5})`?/g;

function isIdentifier(s: string): boolean {
  return s.length >= 3 && /^[A-Za-z_]\w*$/.test(s) && (s.includes('_') || /[a-z][A-Z]/.test(s));
}

/** Identifiers in a link's text (`vault.rs:sy_backing_for_pt`, `market_two.rs virtualization_tests`). */
function linkTextNames(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.split(/\s+/)) {
    for (const sub of tok.split(/::?/)) {
      const t = sub.replace(/^[(\[`'"]+|[)\]`'",.;]+$/g, '');
      if (!t || t.includes('/') || /\.\w{1,5}$/.test(t)) continue;
      if (isIdentifier(t)) out.push(t);
    }
  }
  return out;
}

/** The value's text joined over its segments, with a map back to positions. */
function joined(ctx: RuleContext, f: InvField): { text: string; pos: (offset: number) => { line: number; character: number } } {
  const parts: string[] = [];
  const starts: { off: number; line: number; ch: number }[] = [];
  let off = 0;
  for (const [line, s, e] of f.segments) {
    const t = ctx.model.lines.lines[line]!.slice(s, e);
    starts.push({ off, line, ch: s });
    parts.push(t);
    off += t.length + 1;
  }
  return {
    text: parts.join('\n'),
    pos(o) {
      let seg = starts[0]!;
      for (const st of starts) if (st.off <= o) seg = st;
      return { line: seg.line, character: seg.ch + (o - seg.off) };
    },
  };
}

function refsOf(ctx: RuleContext, f: InvField): NamedRef[] {
  const refs: NamedRef[] = [];
  const byRange = new Map<string, NamedRef>();
  const key = (r: Range) => `${r.start.line}:${r.start.character}`;
  for (const l of f.links) {
    if (l.form === 'definition') continue;
    const ref: NamedRef = { target: l.target, range: l.range, names: [], form: l.form };
    const hash = l.target.indexOf('#');
    if (hash >= 0) {
      const path = l.target.slice(0, hash);
      const anchor = l.target.slice(hash + 1);
      if (path && !/\.(?:md|markdown)$/i.test(path) && anchor && !/^L\d+(?:-L?\d+)?$/i.test(anchor) && isIdentifier(anchor)) {
        ref.names.push({ name: anchor, range: l.range });
      }
    }
    if (l.form === 'link' && !/\.(?:md|markdown)(?:#|$)/i.test(l.target)) {
      for (const n of linkTextNames(l.text)) ref.names.push({ name: n, range: l.range });
    }
    refs.push(ref);
    byRange.set(key(l.range), ref);
  }
  const { text, pos } = joined(ctx, f);
  const at = (a: number, b: number): Range => {
    const s = pos(a);
    const e = pos(b);
    return range(s.line, s.character, e.line, e.character);
  };
  for (const m of text.matchAll(PYTEST)) {
    const r = at(m.index!, m.index! + m[0].length);
    const names = m[2]!.split('::').filter(isIdentifierOrTest).map((name) => ({ name, range: r }));
    refs.push({ target: m[1]!, range: r, names, form: 'code-path' });
  }
  for (const m of text.matchAll(NAME_IN)) {
    const target = m[3] ?? m[4]!;
    const linkStart = m.index! + m[0].lastIndexOf(m[3] ? `\`${target}` : '[');
    // Each name is reported at its own backticked span.
    const named: { name: string; range: Range }[] = [];
    for (const x of m[0].slice(0, linkStart - m.index!).matchAll(/`([A-Za-z_]\w*)`/g)) {
      named.push({ name: x[1]!, range: at(m.index! + x.index!, m.index! + x.index! + x[0].length) });
    }
    const existing = byRange.get(key(at(linkStart, linkStart + 1)));
    if (existing) existing.names.push(...named);
    else if (m[3]) refs.push({ target, range: at(linkStart, linkStart + target.length + 2), names: named, form: 'code-path' });
  }
  for (const m of text.matchAll(BARE_NAME_IN)) {
    const r = at(m.index!, m.index! + m[1]!.length);
    const pathAt = m.index! + m[0].lastIndexOf(m[2]!);
    const existing = byRange.get(key(at(pathAt - 1, pathAt))) ?? byRange.get(key(at(pathAt, pathAt + 1)));
    if (existing) existing.names.push({ name: m[1]!, range: r });
    else refs.push({ target: m[2]!, range: at(pathAt, pathAt + m[2]!.length), names: [{ name: m[1]!, range: r }], form: 'code-path' });
  }
  return refs;
}

function isIdentifierOrTest(s: string): boolean {
  return /^[A-Za-z_]\w*$/.test(s) && s.length >= 3;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const rd021: Rule = {
  meta: {
    id: 'RD021',
    name: 'invariant-check-broken',
    description: 'The test or check an invariant points to does not exist, or does not contain the test it names.',
    defaultSeverity: 'error',
    kinds: ['invariants'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model) || !ctx.workspace) return;
    const ws = ctx.workspace;
    const { invariants, coverage } = invariantsOf(model);
    const seen = new Set<string>();
    const missing: Report[] = [];
    const other: Report[] = [];
    let resolved = 0;
    const bare = new Set<string>();
    const judge = (f: InvField, owner: string) => {
      for (const ref of refsOf(ctx, f)) {
        if (isPlaceholderPath(ref.target)) continue;
        const st = resolveLink(ctx, { target: ref.target, form: ref.form });
        const k = `${ref.range.start.line}:${ref.range.start.character}:${ref.target}`;
        if (st.status === 'unknown' && ref.form === 'code-path' && !ref.target.includes('/')) bare.add(k);
        if (st.status === 'external' || st.status === 'unknown') continue;
        const first = !seen.has(k);
        seen.add(k);
        if (st.status === 'ok' || st.status === 'anchor-missing') resolved += first ? 1 : 0;
        if (st.status === 'outside') {
          if (first) {
            other.push({
              range: ref.range,
              severity: 'info',
              message: `Check \`${ref.target}\` of ${owner} lies outside the workspace; it was not verified (open the folder that holds it to check it).`,
            });
          }
          continue;
        }
        if (st.status === 'missing') {
          if (first) missing.push({ range: ref.range, message: `Check \`${ref.target}\` of ${owner} does not exist in the workspace (looked for ${displayPath(ctx, st.path)}).` });
          continue;
        }
        if (st.status === 'anchor-missing') {
          if (first) other.push({ range: ref.range, message: `Check \`${ref.target}\` of ${owner} points to #${st.anchor}, which is not a heading of ${displayPath(ctx, st.path)}.` });
          continue;
        }
        if (!ref.names.length || ws.stat(st.path) !== 'file') continue;
        const text = ws.readText(st.path);
        if (text === undefined) continue;
        for (const n of ref.names) {
          const nk = `${k}:${n.name}`;
          if (seen.has(nk)) continue;
          seen.add(nk);
          if (new RegExp(`(?<![\\w$])${escapeRe(n.name)}(?![\\w$])`).test(text)) continue;
          other.push({ range: n.range, message: `\`${n.name}\`, named as a check of ${owner}, does not appear in ${displayPath(ctx, st.path)}.` });
        }
      }
    };
    for (const inv of invariants) for (const c of inv.checks) if (!c.blank) judge(c, `invariant ${inv.id}`);
    for (const c of coverage) {
      for (const cell of c.row.cells) {
        if (!cell.links.length) continue;
        judge(
          { label: '', text: cell.text, raw: cell.raw, range: cell.range, links: cell.links, blank: false, segments: [[c.row.line, cell.range.start.character, cell.range.end.character]] },
          `invariant${c.ids.length > 1 ? 's' : ''} ${c.ids.join(', ')}`,
        );
      }
    }
    reportLinkFindings(ctx, missing, other, resolved, 'check paths', bare.size);
  },
};
